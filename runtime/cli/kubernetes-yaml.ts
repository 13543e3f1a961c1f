// A small YAML emitter for the manifests `minima sweep --on kubernetes` writes: block mappings and
// sequences, every string double-quoted with JSON's escapes (a subset of YAML's double-quoted
// style, so no string can turn into a number, a boolean or a comment), numbers, booleans, null.
// Keys are plain when they are identifiers or label keys (`app.kubernetes.io/name`), quoted
// otherwise. The output is also valid YAML 1.1 and is read back by the tests' parser.

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

/** The YAML text of `value` (a mapping at the top), ending with a newline. */
export function toYaml(value: YamlValue): string {
  return `${lines(value, 0).join('\n')}\n`;
}

function lines(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    const out: string[] = [];
    for (const item of value as readonly YamlValue[]) {
      if (isBlock(item)) {
        const inner = lines(item, indent + 2);
        out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
      } else out.push(`${pad}- ${scalar(item)}`);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter((e): e is [string, YamlValue] => e[1] !== undefined);
    if (entries.length === 0) return [`${pad}{}`];
    const out: string[] = [];
    for (const [k, v] of entries) {
      if (isBlock(v)) out.push(`${pad}${key(k)}:`, ...lines(v, indent + 2));
      else out.push(`${pad}${key(k)}: ${scalar(v)}`);
    }
    return out;
  }
  return [`${pad}${scalar(value)}`];
}

/** A non-empty mapping or sequence, written as a block below its key. */
function isBlock(v: YamlValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && typeof v === 'object' && Object.values(v).some((x) => x !== undefined);
}

function scalar(v: YamlValue): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`YAML cannot hold the number ${v} here`);
    return String(v);
  }
  return v === null ? 'null' : String(v);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : quote(k);
}

/** JSON's string escapes, plus the characters YAML treats as line breaks or forbids raw (C1 controls, U+2028/9, U+FEFF). */
export function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

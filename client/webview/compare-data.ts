// The compare view's data: a chosen final metric of the ticked runs against their
// hyper-parameters, as a scatter (one hyper-parameter on x) and as parallel coordinates (one
// axis per hyper-parameter that differs, the metric last). Hyper-parameters are the run
// summary's short texts (`sam(rho: 0.05, base: adamp(lr: 0.001))`); their numeric arguments
// become axes of their own (`optimizer.rho`, `optimizer.base.lr`), since a sweep varies those.
// Pure: no DOM.

type Hyper = Readonly<Record<string, string>> | undefined;

export type HyperValue = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'text'; readonly value: string };

/** Every key of one run's hyper-parameters, with nested technique arguments flattened. */
export function flattenHyper(hyper: Hyper): Map<string, HyperValue> {
  const out = new Map<string, HyperValue>();
  for (const [k, v] of Object.entries(hyper ?? {})) flattenValue(k, v.trim(), out);
  return out;
}

function flattenValue(key: string, text: string, out: Map<string, HyperValue>): void {
  const n = numberOf(text);
  if (n !== undefined) return void out.set(key, { kind: 'number', value: n });
  const call = /^([A-Za-z_][\w-]*)\((.*)\)$/s.exec(text);
  if (!call) return void out.set(key, { kind: 'text', value: text });
  out.set(key, { kind: 'text', value: call[1]! });
  for (const [arg, value] of splitArgs(call[2]!)) flattenValue(`${key}.${arg}`, value, out);
}

/** `1e-3`, `0.05`, `30%` (as 0.3), `10ep` (as 10); else undefined. */
function numberOf(text: string): number | undefined {
  const m = /^(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(%|ep|steps?)?$/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return m[2] === '%' ? v / 100 : v;
}

/** `rho: 0.05, base: adamp(lr: 0.001)` → [['rho', '0.05'], ['base', 'adamp(lr: 0.001)']] (commas inside parentheses kept). */
function splitArgs(text: string): [string, string][] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.flatMap((p) => {
    const m = /^\s*([A-Za-z_]\w*)\s*:\s*(.*?)\s*$/s.exec(p);
    return m ? [[m[1]!, m[2]!] as [string, string]] : [];
  });
}

export interface CompareRun { readonly id: string; readonly hyper: Hyper; readonly final: Readonly<Record<string, number>> | undefined }

export interface CompareAxis {
  readonly key: string;
  readonly kind: 'number' | 'text';
  /** Numbers: the range; text: the categories in order of appearance. */
  readonly min: number;
  readonly max: number;
  readonly categories: readonly string[];
  /** Whether the numbers span more than a decade and are all positive: drawn on a log scale (lr, rho). */
  readonly log: boolean;
}

/** The flattened hyper-parameters that differ among the runs, as axes (the runs lacking a key leave it unset). */
export function compareAxes(runs: readonly CompareRun[]): CompareAxis[] {
  const flat = runs.map((r) => flattenHyper(r.hyper));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  return keys.flatMap((key): CompareAxis[] => {
    const values = flat.map((f) => f.get(key));
    const distinct = new Set(values.map((v) => (v ? `${v.kind}:${v.value}` : '')));
    if (distinct.size < 2) return [];
    return [axisOf(key, values)];
  });
}

/** The final metrics any ticked run has, best first for a default pick: val_accuracy, val_loss, loss, then by name. */
export function metricChoices(runs: readonly CompareRun[]): string[] {
  const rank = (k: string) => ['val_accuracy', 'val_accuracy_quantized', 'val_loss', 'accuracy', 'loss'].indexOf(k);
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.final ?? {})))];
  return keys.sort((a, b) => (rank(a) < 0 ? 99 : rank(a)) - (rank(b) < 0 ? 99 : rank(b)) || a.localeCompare(b));
}

export function metricAxis(runs: readonly CompareRun[], metric: string): CompareAxis {
  return axisOf(metric, runs.map((r) => (r.final?.[metric] !== undefined ? { kind: 'number', value: r.final[metric]! } : undefined)));
}

/** Where a run's value sits on an axis, in [0, 1] (0 at the bottom/left); undefined when the run lacks it. */
export function position(axis: CompareAxis, v: HyperValue | undefined): number | undefined {
  if (!v) return undefined;
  if (axis.kind === 'text') {
    const i = axis.categories.indexOf(String(v.value));
    return i < 0 ? undefined : axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
  }
  if (v.kind !== 'number') return undefined;
  if (axis.max === axis.min) return 0.5;
  if (axis.log) return (Math.log10(v.value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  return (v.value - axis.min) / (axis.max - axis.min);
}

/** The value of `key` for a run: a final metric, else a flattened hyper-parameter. */
export function valueOf(run: CompareRun, key: string, isMetric: boolean): HyperValue | undefined {
  if (isMetric) return run.final?.[key] !== undefined ? { kind: 'number', value: run.final[key]! } : undefined;
  return flattenHyper(run.hyper).get(key);
}

/** The best run for a metric: by the goal when given (a sweep's), else highest for accuracies, lowest for losses and anything else. */
export function bestRun(runs: readonly CompareRun[], metric: string, goal?: 'max' | 'min'): string | undefined {
  const higher = goal ? goal === 'max' : /acc|conformance|sparsity/.test(metric);
  let best: CompareRun | undefined;
  for (const r of runs) {
    const v = r.final?.[metric];
    if (v === undefined || !Number.isFinite(v)) continue;
    const b = best?.final?.[metric];
    if (b === undefined || (higher ? v > b : v < b)) best = r;
  }
  return best?.id;
}

function axisOf(key: string, values: readonly (HyperValue | undefined)[]): CompareAxis {
  const present = values.filter((v): v is HyperValue => v !== undefined);
  const numeric = present.length > 0 && present.every((v) => v.kind === 'number');
  if (!numeric) {
    const categories = [...new Set(present.map((v) => String(v.value)))];
    return { key, kind: 'text', min: 0, max: Math.max(0, categories.length - 1), categories, log: false };
  }
  const nums = present.map((v) => v.value as number);
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  return { key, kind: 'number', min, max, categories: [], log: min > 0 && max / min > 10 };
}

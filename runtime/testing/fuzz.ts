// A seeded mutation engine for fuzzing the language core and the editor features. It never uses
// Math.random: the same seed gives the same mutants, so a failure reproduces from its seed.

import { BLOCKS, CATALOG } from '../catalog';

/** A small, fast PRNG (mulberry32); `next()` is uniform in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[this.int(xs.length)];
    if (x === undefined) throw new Error('Rng.pick: empty list');
    return x;
  }
}

/** Words and symbols of the language that mutations insert: keywords, names, punctuation, literals. */
export function vocabulary(): readonly string[] {
  const names = new Set<string>();
  for (const b of BLOCKS) {
    names.add(b.name);
    for (const a of b.attributes) names.add(a.name);
  }
  for (const e of CATALOG.entries) {
    names.add(e.name);
    for (const p of e.params) names.add(p.name);
  }
  const punct = ['{', '}', '(', ')', '[', ']', '=', ',', ':', ';', '"', '#', '\n', ' ', '\\', '%', '-', '.'];
  const literals = ['0', '1', '-2', '1e-3', '0.5', '80%', '2ep', '500step', '3eq', '2:4', '1:0', '"x"', '"a\\"b"', 'true', 'false', '1e400', '99999999999', ''];
  const junk = ['@', '$', '\t', '\r\n', '\u00e9', '\uFEFF', '# comment\n', 'dense_1', 'conv2d_1', 'fc1:', 'x ='];
  return [...names, ...punct, ...literals, ...junk];
}

export type MutationKind = 'delete-char' | 'insert-char' | 'duplicate-span' | 'swap-chars' | 'delete-token' | 'insert-token' | 'swap-tokens' | 'delete-line' | 'duplicate-line' | 'swap-lines' | 'truncate';

const KINDS: readonly MutationKind[] = ['delete-char', 'insert-char', 'duplicate-span', 'swap-chars', 'delete-token', 'insert-token', 'insert-token', 'swap-tokens', 'delete-line', 'duplicate-line', 'swap-lines', 'truncate'];

/** Applies `count` random mutations (1–3 by default) to `text`. */
export function mutate(text: string, rng: Rng, vocab: readonly string[], count = 1 + rng.int(3)): string {
  let t = text;
  for (let i = 0; i < count; i++) t = mutateOnce(t, rng, vocab, rng.pick(KINDS));
  return t;
}

export function mutateOnce(text: string, rng: Rng, vocab: readonly string[], kind: MutationKind): string {
  const n = text.length;
  const at = rng.int(n + 1);
  switch (kind) {
    case 'delete-char':
      return text.slice(0, at) + text.slice(at + 1 + rng.int(3));
    case 'insert-char':
      return text.slice(0, at) + String.fromCharCode(32 + rng.int(95)) + text.slice(at);
    case 'duplicate-span': {
      const len = 1 + rng.int(40);
      return text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
    }
    case 'swap-chars': {
      const b = rng.int(n + 1);
      const [lo, hi] = at < b ? [at, b] : [b, at];
      if (hi >= n || lo === hi) return text;
      return text.slice(0, lo) + text[hi] + text.slice(lo + 1, hi) + text[lo] + text.slice(hi + 1);
    }
    case 'delete-token': {
      const toks = tokenSpans(text);
      if (toks.length === 0) return text;
      const [s, e] = rng.pick(toks);
      return text.slice(0, s) + text.slice(e);
    }
    case 'insert-token': {
      const toks = tokenSpans(text);
      // Insert at a token boundary most of the time, anywhere otherwise.
      const pos = toks.length > 0 && rng.next() < 0.7 ? rng.pick(toks)[rng.int(2)] : at;
      const word = rng.pick(vocab);
      const pad = rng.next() < 0.5 ? ' ' : '';
      return text.slice(0, pos) + pad + word + pad + text.slice(pos);
    }
    case 'swap-tokens': {
      const toks = tokenSpans(text);
      if (toks.length < 2) return text;
      const a = rng.pick(toks);
      const b = rng.pick(toks);
      const [x, y] = a[0] < b[0] ? [a, b] : [b, a];
      if (x[1] > y[0]) return text;
      return text.slice(0, x[0]) + text.slice(y[0], y[1]) + text.slice(x[1], y[0]) + text.slice(x[0], x[1]) + text.slice(y[1]);
    }
    case 'delete-line':
    case 'duplicate-line':
    case 'swap-lines': {
      const lines = text.split('\n');
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      if (kind === 'delete-line') lines.splice(i, 1);
      else if (kind === 'duplicate-line') lines.splice(i, 0, lines[i] ?? '');
      else [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, at);
  }
}

/** Rough token boundaries ([start, end) pairs): runs of word characters, and single other non-blank characters. */
function tokenSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/[A-Za-z0-9_.%:-]+|"[^"\n]*"?|#[^\n]*|[^\sA-Za-z0-9_]/g)) {
    if (m.index !== undefined) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

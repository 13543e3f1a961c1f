// Helpers for tests that run emitted ONNX on a backend and compare with the reference interpreter:
// tensor conversion, seeded feeds (rounded to float32 when the graph runs in float32, so that both
// sides see the same numbers) and a relative comparison.

import { type Dim, GraphBuilder, type Tensor, type Value, interpret, toOnnx } from '../compiler';
import type { Backend, HostTensor } from '../engine/backend';
import { type InputSpec, randomTensor } from './gradcheck';

export type FloatMode = 'float32' | 'float64';

/** A reference tensor as a host tensor, its floats written as `mode`. */
export function toHost(t: Tensor, mode: FloatMode): HostTensor {
  switch (t.dtype) {
    case 'float32':
    case 'float64':
      return mode === 'float32' ? { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) } : { dtype: 'float64', shape: t.shape, data: Float64Array.from(t.data) };
    case 'int64':
      return { dtype: 'int64', shape: t.shape, data: BigInt64Array.from(t.data, (v) => BigInt(v)) };
    case 'bool':
      return { dtype: 'bool', shape: t.shape, data: Uint8Array.from(t.data, (v) => (v !== 0 ? 1 : 0)) };
  }
}

/** A seeded input; in float32 mode float values are rounded to float32 first. */
export function feedFor(spec: InputSpec, rand: () => number, mode: FloatMode): Tensor {
  const t = randomTensor(spec, rand);
  return mode === 'float32' && (t.dtype === 'float32' || t.dtype === 'float64') ? { ...t, data: t.data.map(Math.fround) } : t;
}

/**
 * Why `actual` differs from the reference, or undefined: floats within tol·max(1, |expected|)
 * (NaN matches NaN, infinities must be equal), int64 and bool exactly; dtype must be `mode`'s.
 */
export function mismatch(actual: HostTensor | undefined, expected: Tensor, mode: FloatMode, tol: number): string | undefined {
  if (actual === undefined) return 'no output';
  const dtype = expected.dtype === 'float32' || expected.dtype === 'float64' ? mode : expected.dtype;
  if (actual.dtype !== dtype) return `dtype ${actual.dtype}, expected ${dtype}`;
  if (actual.shape.join(',') !== expected.shape.join(',')) return `shape [${actual.shape.join(',')}], expected [${expected.shape.join(',')}]`;
  const exact = dtype === 'int64' || dtype === 'bool';
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const e = expected.data[i] ?? NaN;
    const same = Number.isNaN(e) ? Number.isNaN(a) : exact || !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!same) return `element ${i}: ${a}, expected ${e} (tolerance ${tol})`;
  }
  return undefined;
}

export interface RunCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, InputSpec & { readonly staticShape?: readonly Dim[] }>>;
  readonly build: (x: Readonly<Record<string, Value>>) => readonly Value[];
}

export interface CaseResult {
  readonly name: string;
  /** One entry per output: undefined when it matched. */
  readonly problems: readonly (string | undefined)[];
}

/**
 * Builds every case into ONE graph (so one session serves them all), emits it in `mode`, runs it
 * on the backend and compares each output with the interpreter.
 */
export async function runCases(backend: Backend, cases: readonly RunCase[], mode: FloatMode, tol: number, rand: () => number): Promise<CaseResult[]> {
  const g = new GraphBuilder();
  const feeds: Record<string, Tensor> = {};
  const outputs: { name: string; value: Value; case: number }[] = [];
  cases.forEach((c, k) => {
    const values: Record<string, Value> = {};
    for (const [name, spec] of Object.entries(c.inputs)) {
      const full = `c${k}_${name}`;
      values[name] = g.input(full, spec.staticShape ?? spec.shape, spec.dtype ?? 'float64');
      feeds[full] = feedFor(spec, rand, mode);
    }
    c.build(values).forEach((value, j) => outputs.push({ name: `c${k}_out${j}`, value, case: k }));
  });
  if (g.errors.length > 0) throw new Error(`shape errors: ${g.errors.map((e) => e.message).join('; ')}`);
  const expected = interpret(outputs.map((o) => o.value), feeds);
  const session = await backend.createSession(toOnnx(g, outputs, { name: `cases_${mode}`, dtype: mode }));
  try {
    const hostFeeds: Record<string, HostTensor> = {};
    for (const [name, t] of Object.entries(feeds)) hostFeeds[name] = toHost(t, mode);
    const actual = await session.run(hostFeeds);
    return cases.map((c, k) => ({
      name: c.name,
      problems: outputs.flatMap((o, i) => (o.case === k ? [mismatch(actual[o.name], expected[i] as Tensor, mode, tol)] : [])),
    }));
  } finally {
    await session.release();
  }
}


// Gradient checking for runtime/compiler tests: builds a graph, reduces its output to a scalar with
// a random weighting (sum(out · r)), and compares grad() evaluated by the interpreter against
// central finite differences. All randomness comes from a seeded PRNG.

import * as assert from 'node:assert/strict';
import { type DType, type Dim, GraphBuilder, type Tensor, type Value, grad, interpret, mul, reduceSum, tensor } from '../compiler';

/** mulberry32: a small seeded PRNG returning uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputSpec {
  /** Runtime shape. */
  readonly shape: readonly number[];
  /** Static shape if it differs (e.g. with a symbolic batch dim 'B'). */
  readonly staticShape?: readonly Dim[];
  readonly dtype?: DType;
  /** Values: uniform in [lo, hi] by default, optionally with |x| ≥ away (keeps away from kinks at 0). */
  readonly lo?: number;
  readonly hi?: number;
  readonly away?: number;
  readonly data?: readonly number[];
  /** Whether to check the gradient for this input (default: float inputs). */
  readonly check?: boolean;
}

export interface GradCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly build: (x: Readonly<Record<string, Value>>) => Value;
  readonly seed?: number;
  /** Max |analytic − numeric| ≤ tol · max(1, |analytic|). */
  readonly tol?: number;
}

export const FD_EPS = 1e-6;
export const DEFAULT_TOL = 1e-6;

export function randomTensor(spec: InputSpec, rand: () => number): Tensor {
  const dtype = spec.dtype ?? 'float64';
  if (spec.data !== undefined) return tensor(spec.shape, spec.data, dtype);
  const lo = spec.lo ?? -1;
  const hi = spec.hi ?? 1;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => {
    const v = lo + (hi - lo) * rand();
    const away = spec.away ?? 0;
    return Math.abs(v) < away ? (v < 0 ? -away : away) + v : v;
  });
  return tensor(spec.shape, values, dtype);
}

/** Runs a gradient check and returns the worst error ratio (≤ 1 passes). */
export function checkGradient(c: GradCase): number {
  const rand = seededRandom(c.seed ?? 1234);
  const g = new GraphBuilder();
  const values: Record<string, Value> = {};
  const feeds: Record<string, Tensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    values[name] = g.input(name, spec.staticShape ?? spec.shape, spec.dtype ?? 'float64');
    feeds[name] = randomTensor(spec, rand);
  }
  const out = c.build(values);
  assert.deepEqual(g.errors, [], `${c.name}: shape errors`);
  const [outValue] = interpret([out], feeds);
  assert.ok(outValue, `${c.name}: no output`);
  // The weighting is an input (not a constant) so that it can carry a symbolic batch dim.
  feeds['__r'] = randomTensor({ shape: outValue.shape, lo: 0.5, hi: 1.5 }, rand);
  const loss = reduceSum(mul(out, g.input('__r', out.shape)), [], false);
  const names = Object.keys(c.inputs).filter((n) => {
    const spec = c.inputs[n];
    return spec !== undefined && (spec.check ?? ((spec.dtype ?? 'float64') === 'float64'));
  });
  const wrt = names.map((n) => values[n] as Value);
  const grads = grad(loss, wrt);
  const analytic = interpret(grads, feeds);
  const lossAt = (f: Record<string, Tensor>): number => interpret([loss], f)[0]?.data[0] ?? NaN;
  const tol = c.tol ?? DEFAULT_TOL;
  let worst = 0;
  names.forEach((name, k) => {
    const base = feeds[name] as Tensor;
    const a = analytic[k] as Tensor;
    assert.deepEqual(a.shape, base.shape, `${c.name}: gradient shape for ${name}`);
    for (let i = 0; i < base.data.length; i++) {
      const numeric = (lossAt(perturb(feeds, name, i, FD_EPS)) - lossAt(perturb(feeds, name, i, -FD_EPS))) / (2 * FD_EPS);
      const exact = a.data[i] ?? NaN;
      const ratio = Math.abs(exact - numeric) / (tol * Math.max(1, Math.abs(exact)));
      assert.ok(ratio <= 1, `${c.name}: d/d${name}[${i}] analytic ${exact} vs numeric ${numeric} (tolerance ${tol})`);
      worst = Math.max(worst, ratio);
    }
  });
  return worst;
}

export function perturb(feeds: Readonly<Record<string, Tensor>>, name: string, i: number, delta: number): Record<string, Tensor> {
  const t = feeds[name];
  if (t === undefined) throw new Error(`no feed ${name}`);
  const data = Float64Array.from(t.data);
  data[i] = (data[i] ?? NaN) + delta;
  return { ...feeds, [name]: { ...t, data } };
}

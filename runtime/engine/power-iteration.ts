// Power iteration for the top Hessian eigenvalue (PyHessian's `eigenvalues`, top-1): the vectors
// live on the host in float64 as one array per parameter tensor, and the Hessian is only seen
// through a Hessian-vector product, which the caller computes (a graph run per batch).

import type { Rng } from './data';

/** H·v for v given as one array per parameter tensor; the result has the same layout. */
export type HessianVectorProduct = (v: readonly Float64Array[]) => Promise<Float64Array[]>;

export interface PowerIterationOptions {
  /** At most this many Hessian-vector products. */
  readonly iters: number;
  /** Stop when |λ_k − λ_{k−1}| / (|λ_{k−1}| + 1e-6) < tol. */
  readonly tol: number;
}

export interface PowerIterationResult {
  /** The Rayleigh quotient λ = ⟨v, Hv⟩ of the last unit vector v: the eigenvalue of largest magnitude. */
  readonly eigenvalue: number;
  /** That unit vector v. */
  readonly vector: readonly Float64Array[];
  /** ‖Hv − λv‖ for that v: how far it is from an eigenvector (0 for an exact one). */
  readonly residual: number;
  /** Hessian-vector products computed. */
  readonly iterations: number;
  /** Whether the relative change fell below tol before `iters` ran out. */
  readonly converged: boolean;
}

/**
 * v ← v₀/‖v₀‖; repeat: Hv, λ = ⟨v, Hv⟩, stop on a small relative change of λ, v ← Hv/‖Hv‖.
 * NOTE: like PyHessian, this finds the eigenvalue of largest magnitude, which at a saddle can be
 * a negative one; the sign is kept.
 */
export async function powerIteration(hvp: HessianVectorProduct, v0: readonly Float64Array[], options: PowerIterationOptions): Promise<PowerIterationResult> {
  let v = normalized(v0);
  let previous: number | undefined;
  let last = { eigenvalue: 0, vector: v, residual: 0, iterations: 0, converged: false };
  for (let k = 1; k <= options.iters; k++) {
    const hv = await hvp(v);
    const eigenvalue = dot(v, hv);
    const converged = previous !== undefined && Math.abs(eigenvalue - previous) / (Math.abs(previous) + 1e-6) < options.tol;
    last = { eigenvalue, vector: v, residual: residualOf(hv, v, eigenvalue), iterations: k, converged };
    const size = norm(hv);
    // A zero product means v lies in the null space: λ = 0 is exact for it, and there is no next v.
    if (converged || size === 0 || !Number.isFinite(size)) return { ...last, converged: converged || size === 0 };
    previous = eigenvalue;
    v = hv.map((a) => a.map((x) => x / size));
  }
  return last;
}

/** One standard normal draw per parameter element, in the shapes of `sizes`. */
export function randomDirection(sizes: readonly number[], rng: Rng): Float64Array[] {
  return sizes.map((n) => Float64Array.from({ length: n }, () => rng.normal()));
}

export function dot(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let s = 0;
  a.forEach((x, i) => {
    const y = b[i];
    if (y === undefined) return;
    for (let k = 0; k < x.length; k++) s += (x[k] ?? 0) * (y[k] ?? 0);
  });
  return s;
}

export function norm(a: readonly ArrayLike<number>[]): number {
  return Math.sqrt(dot(a, a));
}

function normalized(v: readonly Float64Array[]): Float64Array[] {
  const size = norm(v);
  if (size === 0 || !Number.isFinite(size)) throw new Error('powerIteration: the start vector must be nonzero and finite');
  return v.map((a) => a.map((x) => x / size));
}

function residualOf(hv: readonly Float64Array[], v: readonly Float64Array[], lambda: number): number {
  let s = 0;
  hv.forEach((h, i) => {
    const u = v[i];
    if (u === undefined) return;
    for (let k = 0; k < h.length; k++) s += ((h[k] ?? 0) - lambda * (u[k] ?? 0)) ** 2;
  });
  return Math.sqrt(s);
}

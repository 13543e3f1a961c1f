// The pieces every sharpness-aware wrapper shares: SAM's normalized ascent step and moving the
// parameters by a perturbation. GAM builds on the same `ascent` so that its degenerate settings
// reproduce SAM bit for bit.

import type { Value } from '../ir';
import { add, div, mul } from '../ops';
import { at, globalNorm } from './tensors';

/** SAM's denominator guard ‖g‖ + 1e-12 (davda54/sam). */
export const SAM_EPS = 1e-12;

/** e = ρ·g/(‖g‖ + eps), the norm taken jointly over all tensors. */
export function ascent(grads: readonly Value[], rho: number, eps = SAM_EPS): Value[] {
  const first = at(grads, 0);
  const scale = div(first.graph.scalar(rho, first.dtype), add(globalNorm(grads), eps));
  return grads.map((gi) => mul(gi, scale));
}

/** w + e, elementwise per tensor. */
export function perturb(params: readonly Value[], e: readonly Value[]): Value[] {
  return params.map((w, i) => add(w, at(e, i)));
}

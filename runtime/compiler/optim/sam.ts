// SAM (davda54/sam): the gradient at w + e, e = ρ g/(‖g‖ + 1e-12); with `adaptive`, the davda54
// variant e = ρ w²⊙g/‖w⊙g‖. The second pass leaves batch-norm buffers alone.

import type { Value } from '../ir';
import { abs, add, div, mul } from '../ops';
import { ascent, perturb, SAM_EPS } from './ascent';
import { boolHp, numberHp } from './hp';
import { globalNorm } from './tensors';
import type { WrapperBuilder } from './types';

export const sam: WrapperBuilder = {
  name: 'sam',
  state: () => [],
  gradient: (_g, { params, lossAndGrad, hp }) => {
    const first = lossAndGrad(params, { updateBuffers: true });
    const e = samPerturbation(params, first.grads, numberHp(hp, 'rho'), boolHp(hp, 'adaptive'));
    const second = lossAndGrad(perturb(params, e), { updateBuffers: false });
    return { loss: first.loss, grads: second.grads, state: [] };
  },
};

/** SAM's perturbation e for gradients `grads` at `params` (exported for the ‖e‖ = ρ oracle). */
export function samPerturbation(params: readonly Value[], grads: readonly Value[], rho: number, adaptive: boolean): Value[] {
  if (!adaptive) return ascent(grads, rho);
  const n = globalNorm(grads.map((g, i) => mul(abs(params[i] ?? g), g)));
  const first = grads[0];
  if (first === undefined) return [];
  const scale = div(first.graph.scalar(rho, first.dtype), add(n, SAM_EPS));
  return grads.map((g, i) => {
    const w = params[i] ?? g;
    return mul(mul(mul(w, w), g), scale);
  });
}

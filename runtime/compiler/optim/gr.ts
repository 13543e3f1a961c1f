// Gradient regularization by finite differences (catalog A16, [paper/mem]): the gradient of
// L + (γ/2)‖∇L‖², g + γHg, with Hg taken along g by a forward (F-GR, at w + εg) or backward
// (B-GR, at w − εg) difference. Only the first pass updates batch-norm buffers; the reported loss
// is L at w (the penalty is reported apart, as `gr_penalty`).

import type { Value } from '../ir';
import { add, mul, sub } from '../ops';
import { numberHp, stringHp } from './hp';
import { at, sumOfSquares } from './tensors';
import type { WrapperBuilder } from './types';

export const gr: WrapperBuilder = {
  name: 'gr',
  state: () => [],
  gradient: (_g, { params, lossAndGrad, hp }) => {
    const gamma = numberHp(hp, 'gamma');
    const eps = numberHp(hp, 'epsilon');
    const forward = stringHp(hp, 'form') === 'forward';
    const first = lossAndGrad(params, { updateBuffers: true });
    const g = first.grads;
    const moved = params.map((w, i) => add(w, mul(at(g, i), forward ? eps : -eps)));
    const second = lossAndGrad(moved, { updateBuffers: false }).grads;
    const penalty = mul(g.map(sumOfSquares).reduce((a, b) => add(a, b)), gamma / 2);
    return { loss: first.loss, grads: grFiniteDifference(g, second, gamma, eps, forward), state: [], metrics: [{ name: 'gr_penalty', value: penalty }] };
  },
};

/** F-GR (1 − γ/ε) g + (γ/ε) g₊, or B-GR (1 + γ/ε) g − (γ/ε) g₋ (exported for the oracles). */
export function grFiniteDifference(g: readonly Value[], second: readonly Value[], gamma: number, eps: number, forward: boolean): Value[] {
  const alpha = gamma / eps;
  return g.map((x, i) => (forward ? add(mul(x, 1 - alpha), mul(at(second, i), alpha)) : sub(mul(x, 1 + alpha), mul(at(second, i), alpha))));
}

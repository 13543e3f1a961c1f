// Grams (catalog A12): the bias-corrected Adam step's magnitude with the current gradient's sign,
// plus decoupled decay: w ← w − η(sign(g)⊙|u| + λw). NOTE: kozistr/pytorch_optimizer's Grams inverts
// β₁ in its lerp; this follows the paper's m ← β₁m + (1 − β₁)g.

import { abs, add, div, mul, sign, sqrt, sub } from '../ops';
import { biasCorrection, moments } from './adam';
import { numberHp } from './hp';
import { at } from './tensors';
import type { OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const grams: OptimizerBuilder = {
  name: 'grams',
  state: (info) => [{ name: 'exp_avg', shape: info.shape }, { name: 'exp_avg_sq', shape: info.shape }],
  update: (_g, args) => gramsUpdate(args),
};

function gramsUpdate({ params, grads, state, lr, hostScalar, hp }: UpdateArgs): UpdateResult {
  const beta1 = numberHp(hp, 'beta1');
  const beta2 = numberHp(hp, 'beta2');
  const eps = numberHp(hp, 'eps');
  const wd = numberHp(hp, 'weight_decay');
  const bc1 = biasCorrection(hostScalar, beta1);
  const bc2 = biasCorrection(hostScalar, beta2);
  const out = params.map((w, i) => {
    const s = at(state, i);
    const g = at(grads, i);
    const { m, v } = moments(at(s, 0), at(s, 1), g, beta1, beta2);
    const u = div(div(m, bc1), add(sqrt(div(v, bc2)), eps));
    const direction = mul(sign(g), abs(u));
    const total = wd !== 0 ? add(direction, mul(w, wd)) : direction;
    return { w: sub(w, mul(total, lr)), s: [m, v] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

// Lion (google/automl lion_pytorch.py): decoupled decay, then a step of η·sign(β₁m + (1 − β₁)g),
// then the momentum update with β₂. One state tensor per parameter.

import { add, mul, sign, sub } from '../ops';
import { numberHp } from './hp';
import { at } from './tensors';
import type { OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const lion: OptimizerBuilder = {
  name: 'lion',
  state: (info) => [{ name: 'exp_avg', shape: info.shape }],
  update: (_g, args) => lionUpdate(args),
};

function lionUpdate({ params, grads, state, lr, hp }: UpdateArgs): UpdateResult {
  const beta1 = numberHp(hp, 'beta1');
  const beta2 = numberHp(hp, 'beta2');
  const wd = numberHp(hp, 'weight_decay');
  const out = params.map((w, i) => {
    const g = at(grads, i);
    const m = at(at(state, i), 0);
    const decayed = mul(w, sub(1, mul(lr, wd)));
    const c = add(mul(m, beta1), mul(g, 1 - beta1));
    return { w: sub(decayed, mul(sign(c), lr)), s: [add(mul(m, beta2), mul(g, 1 - beta2))] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

// AdamP (clovaai/AdamP adamp.py): Adam with the scale-invariance projection and decoupled decay
// scaled by wd_ratio where the projection fired.

import { add, div, mul, sqrt, sub } from '../ops';
import { adamStepScalars, moments } from './adam';
import { boolHp, numberHp } from './hp';
import { project } from './projection';
import { at } from './tensors';
import type { OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const adamp: OptimizerBuilder = {
  name: 'adamp',
  state: (info) => [{ name: 'exp_avg', shape: info.shape }, { name: 'exp_avg_sq', shape: info.shape }],
  update: (_g, args) => adampUpdate(args),
};

function adampUpdate({ params, grads, state, lr, hostScalar, hp }: UpdateArgs): UpdateResult {
  const beta1 = numberHp(hp, 'beta1');
  const beta2 = numberHp(hp, 'beta2');
  const eps = numberHp(hp, 'eps');
  const wd = numberHp(hp, 'weight_decay');
  const delta = numberHp(hp, 'delta');
  const wdRatio = numberHp(hp, 'wd_ratio');
  const nesterov = boolHp(hp, 'nesterov');
  // The same step as Adam's (adam.ts: adamStepScalars); the projection is linear in u, so u may
  // carry Adam's scale outside it.
  const { scale, epsHat } = adamStepScalars(hostScalar, lr, beta1, beta2, eps);
  const out = params.map((w, i) => {
    const s = at(state, i);
    const g = at(grads, i);
    const { m, v } = moments(at(s, 0), at(s, 1), g, beta1, beta2);
    const denom = add(sqrt(v), epsHat);
    let u = div(nesterov ? add(mul(m, beta1), mul(g, 1 - beta1)) : m, denom);
    let decayed = w;
    if (w.shape.length > 1) {
      const p = project(w, g, u, delta, wdRatio, eps);
      u = p.update;
      if (wd > 0) decayed = mul(w, sub(1, mul(mul(lr, wd), p.decayFactor)));
    } else if (wd > 0) {
      decayed = mul(w, sub(1, mul(lr, wd)));
    }
    return { w: sub(decayed, mul(u, scale)), s: [m, v] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

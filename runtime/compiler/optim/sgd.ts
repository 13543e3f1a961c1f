// SGD exactly as torch.optim.SGD (1.13): coupled weight decay, momentum with dampening, Nesterov.

import type { Value } from '../ir';
import { add, equal, mul, sub, where } from '../ops';
import { boolHp, numberHp } from './hp';
import { at } from './tensors';
import type { OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const sgd: OptimizerBuilder = {
  name: 'sgd',
  state: (info, hp) => (numberHp(hp, 'momentum') !== 0 ? [{ name: 'momentum', shape: info.shape }] : []),
  update: (_g, args) => sgdUpdate(args),
};

function sgdUpdate({ params, grads, state, lr, step, hp }: UpdateArgs): UpdateResult {
  const momentum = numberHp(hp, 'momentum');
  const dampening = numberHp(hp, 'dampening');
  const nesterov = boolHp(hp, 'nesterov');
  const wd = numberHp(hp, 'weight_decay');
  const out = params.map((w, i) => {
    let d = at(grads, i);
    if (wd !== 0) d = add(d, mul(w, wd));
    if (momentum === 0) return { w: sub(w, mul(d, lr)), s: [] as Value[] };
    const old = at(at(state, i), 0);
    const decayed = add(mul(old, momentum), mul(d, 1 - dampening));
    // torch starts the buffer as a copy of the first gradient (no dampening on step 1).
    const buf = dampening === 0 ? decayed : where(equal(step, 1), d, decayed);
    const dir = nesterov ? add(d, mul(buf, momentum)) : buf;
    return { w: sub(w, mul(dir, lr)), s: [buf] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

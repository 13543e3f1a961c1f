// SGDP (clovaai/AdamP sgdp.py): momentum SGD with the AdamP projection (tested on the raw gradient)
// and decoupled decay divided by (1 − μ), as the official code does. The buffer starts at zero.

import type { Value } from '../ir';
import { add, div, mul, sub } from '../ops';
import { boolHp, numberHp } from './hp';
import { project } from './projection';
import { at } from './tensors';
import type { OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const sgdp: OptimizerBuilder = {
  name: 'sgdp',
  state: (info) => [{ name: 'momentum', shape: info.shape }],
  update: (_g, args) => sgdpUpdate(args),
};

function sgdpUpdate({ params, grads, state, lr, hp }: UpdateArgs): UpdateResult {
  const momentum = numberHp(hp, 'momentum');
  const dampening = numberHp(hp, 'dampening');
  const wd = numberHp(hp, 'weight_decay');
  const nesterov = boolHp(hp, 'nesterov');
  const eps = numberHp(hp, 'eps');
  const delta = numberHp(hp, 'delta');
  const wdRatio = numberHp(hp, 'wd_ratio');
  const out = params.map((w, i) => {
    const g = at(grads, i);
    const buf = add(mul(at(at(state, i), 0), momentum), mul(g, 1 - dampening));
    let d = nesterov ? add(g, mul(buf, momentum)) : buf;
    let decayed = w;
    if (w.shape.length > 1) {
      const p = project(w, g, d, delta, wdRatio, eps);
      d = p.update;
      if (wd !== 0) decayed = mul(w, sub(1, div1m(mul(mul(lr, wd), p.decayFactor), momentum)));
    } else if (wd !== 0) {
      decayed = mul(w, sub(1, div1m(mul(lr, wd), momentum)));
    }
    return { w: sub(decayed, mul(d, lr)), s: [buf] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

/** x/(1 − μ), the official code's decay correction. */
function div1m(x: Value, momentum: number): Value {
  return div(x, 1 - momentum);
}

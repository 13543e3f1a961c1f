// AuON (ryyzn9/AuON auon/optimizer.py `AuON.step`): decoupled decay, momentum by lerp, the
// look-ahead G = g.lerp(b, β), then G divided by the cosh brake r = √mean(cosh(γ G/(‖G‖ + 1e-7))²).
// As in the README's usage, parameters with fewer than two dimensions go to the `aux` optimizer
// (Adam by default), whose own lr follows the same schedule factor: η_aux(t) = lr(t)·aux.lr/auon.lr.
// NOTE: the code skips a parameter whose ‖G‖ is 0; here G = 0 gives X = 0, r = 1 and an update of
// exactly 0, the same result without a branch.

import type { Value } from '../ir';
import { add, div, exp, mul, neg, reduceMean, sqrt, sub } from '../ops';
import { numberHp } from './hp';
import { norm } from './tensors';
import { withAux } from './with-aux';

export const auon = withAux({
  name: 'auon',
  takes: (info) => info.shape.length >= 2,
  step: (w, grad, old, { lr, hp }) => {
    const beta = numberHp(hp, 'momentum');
    const wd = numberHp(hp, 'weight_decay');
    const buf = add(old, mul(sub(grad, old), 1 - beta));
    const G = add(grad, mul(sub(buf, grad), beta));
    const decayed = wd !== 0 ? mul(w, sub(1, mul(lr, wd))) : w;
    const update = div(G, add(auonBrake(G, numberHp(hp, 'gamma')), 1e-8));
    return { w: sub(decayed, mul(update, lr)), buf };
  },
});

/** AuON's brake r = √mean(cosh(γ G/(‖G‖_F + 1e-7))²), a scalar [] (exported for its oracles). */
export function auonBrake(G: Value, gamma: number): Value {
  const x = mul(div(G, add(norm(G), 1e-7)), gamma);
  const cosh = mul(add(exp(x), exp(neg(x))), 0.5);
  return sqrt(reduceMean(mul(cosh, cosh), [], false));
}

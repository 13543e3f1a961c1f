// Bloop (apple/ml-bloop src/bloop/optim.py `_bloop_direction_general`, utils.py `tree_proj`,
// `update_ema`), in the graph: the auxiliary loss of the recipe (a function of the weights), its
// gradient by autodiff, the EMA ḡ of the main gradient as wrapper state, and the projection of the
// auxiliary gradient off ḡ with the norms and the dot product taken over all parameters jointly.
// `init: grad` copies the first main gradient into ḡ (the state starts at zero, so step 1 takes
// g itself); the EMA then leaves it unchanged on that step, as in the library.

import { grad } from '../grad';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { abs, add, cast, div, equal, greater, mul, reduceSum, sub, where } from '../ops';
import { boolHp, numberHp, stringHp } from './hp';
import { at, sumOfSquares } from './tensors';
import type { StateSpec, WrapperBuilder } from './types';

const EPS = 1e-7;

export const bloop: WrapperBuilder = {
  name: 'bloop',
  // `mixed` keeps no moving average.
  state: (infos, hp) => (hp['direction'] === 'mixed' ? [] : infos.map((info): StateSpec => ({ name: `grad_main_ema:${info.name}`, shape: info.shape }))),
  gradient: (_g, { params, infos, lossAndGrad, state, step, hp }) => {
    const lambda = numberHp(hp, 'lambda');
    const a = numberHp(hp, 'ema');
    const direction = stringHp(hp, 'direction');
    const main = lossAndGrad(params, { updateBuffers: true });
    const gMain = main.grads;
    const auxLoss = bloopAuxLoss(params, infos, stringHp(hp, 'aux'));
    const gAux = grad(auxLoss, params);
    if (direction === 'mixed') {
      const d = gMain.map((x, i) => add(x, mul(at(gAux, i), lambda)));
      return { loss: main.loss, grads: d, state: [], metrics: [{ name: 'aux_loss', value: auxLoss }] };
    }
    const first = equal(cast(step, 'int64'), step.graph.scalar(1, 'int64'));
    const previous = stringHp(hp, 'init') === 'grad' ? state.map((s, i) => where(first, at(gMain, i), s)) : state;
    const ema = previous.map((s, i) => add(s, mul(sub(at(gMain, i), s), a)));
    let r = bloopRatio(ema, gAux);
    if (direction === 'dynamic_barrier' && lambda > 0) r = minimum(r, 1 / lambda);
    const d = boolHp(hp, 'ratio_only')
      ? gMain.map((x, i) => add(mul(x, sub(1, mul(r, lambda))), mul(at(gAux, i), lambda)))
      : gMain.map((x, i) => add(x, mul(sub(at(gAux, i), mul(at(ema, i), r)), lambda)));
    return { loss: main.loss, grads: d, state: ema, metrics: [{ name: 'aux_loss', value: auxLoss }, { name: 'bloop_ratio', value: r }] };
  },
};

/** r = ⟨ḡ, g_aux⟩/(‖ḡ‖² + 1e-7) over all tensors jointly (`tree_proj`), as a scalar []. */
export function bloopRatio(ema: readonly Value[], gAux: readonly Value[]): Value {
  const dot = ema.map((e, i) => reduceSum(mul(e, at(gAux, i)), [], false)).reduce((x, y) => add(x, y));
  const sq = ema.map(sumOfSquares).reduce((x, y) => add(x, y));
  return div(dot, add(sq, EPS));
}

/** The recipe's auxiliary loss over the weights with two or more dimensions, as a scalar []. */
export function bloopAuxLoss(params: readonly Value[], infos: readonly ParamInfo[], kind: string): Value {
  const weights = params.filter((_, i) => at(infos, i).shape.length >= 2);
  const first = at(params, 0);
  if (weights.length === 0) return first.graph.scalar(0, first.dtype);
  const terms = weights.map((w) => (kind === 'l1' ? reduceSum(abs(w), [], false) : mul(sumOfSquares(w), 0.5)));
  if (kind !== 'l1' && kind !== 'l2') throw new Error(`bloop: unknown auxiliary loss ${kind}`);
  return terms.reduce((x, y) => add(x, y));
}

/** min(v, c) for a scalar v and a constant c. */
function minimum(v: Value, c: number): Value {
  return where(greater(v, c), v.graph.scalar(c, v.dtype), v);
}

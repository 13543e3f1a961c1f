// AuON (ryyzn9/AuON auon/optimizer.py `AuON.step`): decoupled decay, momentum by lerp, the
// look-ahead G = g.lerp(b, β), then G divided by the cosh brake r = √mean(cosh(γ G/(‖G‖ + 1e-7))²).
// As in the README's usage, parameters with fewer than two dimensions go to the `aux` optimizer
// (Adam by default), whose own lr follows the same schedule factor: η_aux(t) = lr(t)·aux.lr/auon.lr.
// NOTE: the code skips a parameter whose ‖G‖ is 0; here G = 0 gives X = 0, r = 1 and an update of
// exactly 0, the same result without a branch.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, div, exp, mul, neg, reduceMean, sqrt, sub } from '../ops';
import { BASE_OPTIMIZERS } from './base-optimizers';
import { numberHp, techniqueHp } from './hp';
import { at, norm } from './tensors';
import type { HyperParams, OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const auon: OptimizerBuilder = {
  name: 'auon',
  state: (info, hp) => (usesAuon(info) ? [{ name: 'momentum_buffer', shape: info.shape }] : auxOf(hp).builder.state(info, auxOf(hp).hp)),
  update: auonUpdate,
};

/** AuON's brake r = √mean(cosh(γ G/(‖G‖_F + 1e-7))²), a scalar [] (exported for its oracles). */
export function auonBrake(G: Value, gamma: number): Value {
  const x = mul(div(G, add(norm(G), 1e-7)), gamma);
  const cosh = mul(add(exp(x), exp(neg(x))), 0.5);
  return sqrt(reduceMean(mul(cosh, cosh), [], false));
}

function usesAuon(info: ParamInfo): boolean {
  return info.shape.length >= 2;
}

function auxOf(hp: HyperParams): { builder: OptimizerBuilder; hp: HyperParams } {
  const use = techniqueHp(hp, 'aux');
  const builder = BASE_OPTIMIZERS.get(use.name);
  if (builder === undefined) throw new Error(`auon: aux optimizer ${use.name} is not compiled`);
  return { builder, hp: use.args };
}

function auonUpdate(g: GraphBuilder, args: UpdateArgs): UpdateResult {
  const { params, grads, state, infos, lr, hp } = args;
  const beta = numberHp(hp, 'momentum');
  const wd = numberHp(hp, 'weight_decay');
  const gamma = numberHp(hp, 'gamma');
  const newParams: Value[] = [...params];
  const newState: (readonly Value[])[] = [...state];
  const auxIdx: number[] = [];
  params.forEach((w, i) => {
    if (!usesAuon(at(infos, i))) {
      auxIdx.push(i);
      return;
    }
    const grad = at(grads, i);
    const old = at(at(state, i), 0);
    const buf = add(old, mul(sub(grad, old), 1 - beta));
    const G = add(grad, mul(sub(buf, grad), beta));
    const decayed = wd !== 0 ? mul(w, sub(1, mul(lr, wd))) : w;
    const update = div(G, add(auonBrake(G, gamma), 1e-8));
    newParams[i] = sub(decayed, mul(update, lr));
    newState[i] = [buf];
  });
  if (auxIdx.length > 0) {
    const aux = auxOf(hp);
    const pick = <T>(xs: readonly T[]): T[] => auxIdx.map((i) => at(xs, i));
    const auxLr = mul(lr, numberHp(aux.hp, 'lr') / numberHp(hp, 'lr'));
    const r = aux.builder.update(g, { ...args, params: pick(params), grads: pick(grads), state: pick(state), infos: pick(infos), lr: auxLr, hp: aux.hp });
    auxIdx.forEach((i, k) => {
      newParams[i] = at(r.params, k);
      newState[i] = at(r.state, k);
    });
  }
  return { params: newParams, state: newState };
}

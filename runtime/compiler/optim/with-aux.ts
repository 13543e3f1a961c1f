// Optimizers for weight matrices that hand every other parameter to the recipe's `aux` optimizer
// (Muon, AuON): the state and update of each parameter come from the optimizer's own rule where
// `takes` says so, else from `aux`, whose own lr follows the same schedule factor:
// η_aux(t) = lr(t)·aux.lr/lr.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { mul } from '../ops';
import { BASE_OPTIMIZERS } from './base-optimizers';
import { numberHp, techniqueHp } from './hp';
import { at } from './tensors';
import type { HyperParams, OptimizerBuilder, StateSpec, UpdateArgs, UpdateResult } from './types';

export interface MatrixRule {
  readonly name: string;
  /** Whether the optimizer's own rule updates this parameter (else `aux` does). */
  takes(info: ParamInfo, hp: HyperParams): boolean;
  /** The new weight and momentum buffer of a parameter it takes. */
  step(w: Value, grad: Value, buf: Value, args: UpdateArgs): { readonly w: Value; readonly buf: Value };
}

/** An optimizer with one momentum buffer per taken parameter and `aux` for the rest. */
export function withAux(rule: MatrixRule): OptimizerBuilder {
  return {
    name: rule.name,
    state: (info, hp): readonly StateSpec[] => (rule.takes(info, hp) ? [{ name: 'momentum_buffer', shape: info.shape }] : auxOf(rule.name, hp).builder.state(info, auxOf(rule.name, hp).hp)),
    update: (g, args) => update(g, args, rule),
  };
}

function update(g: GraphBuilder, args: UpdateArgs, rule: MatrixRule): UpdateResult {
  const { params, grads, state, infos, lr, hp } = args;
  const newParams: Value[] = [...params];
  const newState: (readonly Value[])[] = [...state];
  const auxIdx: number[] = [];
  params.forEach((w, i) => {
    if (!rule.takes(at(infos, i), hp)) {
      auxIdx.push(i);
      return;
    }
    const r = rule.step(w, at(grads, i), at(at(state, i), 0), args);
    newParams[i] = r.w;
    newState[i] = [r.buf];
  });
  if (auxIdx.length > 0) {
    const aux = auxOf(rule.name, hp);
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

function auxOf(name: string, hp: HyperParams): { builder: OptimizerBuilder; hp: HyperParams } {
  const use = techniqueHp(hp, 'aux');
  const builder = BASE_OPTIMIZERS.get(use.name);
  if (builder === undefined) throw new Error(`${name}: aux optimizer ${use.name} is not compiled`);
  return { builder, hp: use.args };
}

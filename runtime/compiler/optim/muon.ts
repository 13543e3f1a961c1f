// Muon (KellerJordan/Muon muon.py, `muon_update` + `MuonWithAuxAdam`): momentum by lerp, Nesterov
// look-ahead, Newton–Schulz orthogonalization of the [out, −1] view, scaled by √max(1, rows/cols),
// decoupled decay. Parameters with ndim < 2 go to the `aux` optimizer (AdamW by default), and so,
// with `hidden_only` (the default), do the weights of the model's first and last layers
// (ParamInfo.edge), as MuonWithAuxAdam keeps embeddings and the head on AdamW. The aux optimizer's
// own lr is scaled by the same schedule factor as Muon's: η_aux(t) = lr(t)·aux.lr/muon.lr.
// NOTE: muon.py scales by grad.size(-2)/grad.size(-1), which for a 4-D conv kernel is kh/kw; we
// use the rows/cols of the [out, −1] view that is orthogonalized, as the catalog rule states.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, mul, reshape, sub } from '../ops';
import { BASE_OPTIMIZERS } from './base-optimizers';
import { boolHp, numberHp, techniqueHp } from './hp';
import { newtonSchulz } from './newton-schulz';
import { at, rowViewShape } from './tensors';
import type { HyperParams, OptimizerBuilder, UpdateArgs, UpdateResult } from './types';

export const muon: OptimizerBuilder = {
  name: 'muon',
  state: (info, hp) => (usesMuon(info, hp) ? [{ name: 'momentum_buffer', shape: info.shape }] : auxOf(hp).builder.state(info, auxOf(hp).hp)),
  update: muonUpdate,
};

/** Muon takes ≥2-D weights, except the first and last layers' unless `hidden_only` is false. */
function usesMuon(info: ParamInfo, hp: HyperParams): boolean {
  return info.shape.length >= 2 && !(info.edge === true && hp['hidden_only'] !== false);
}

function auxOf(hp: HyperParams): { builder: OptimizerBuilder; hp: HyperParams } {
  const use = techniqueHp(hp, 'aux');
  const builder = BASE_OPTIMIZERS.get(use.name);
  if (builder === undefined) throw new Error(`muon: aux optimizer ${use.name} is not compiled`);
  return { builder, hp: use.args };
}

function muonUpdate(g: GraphBuilder, args: UpdateArgs): UpdateResult {
  const { params, grads, state, infos, lr, hp } = args;
  const beta = numberHp(hp, 'momentum');
  const nesterov = boolHp(hp, 'nesterov');
  const steps = numberHp(hp, 'ns_steps');
  const wd = numberHp(hp, 'weight_decay');
  const newParams: Value[] = [...params];
  const newState: (readonly Value[])[] = [...state];
  const auxIdx: number[] = [];
  params.forEach((w, i) => {
    if (!usesMuon(at(infos, i), hp)) {
      auxIdx.push(i);
      return;
    }
    const grad = at(grads, i);
    const old = at(at(state, i), 0);
    const buf = add(old, mul(sub(grad, old), 1 - beta));
    const u = nesterov ? add(grad, mul(sub(buf, grad), beta)) : buf;
    const [rows, cols] = rowViewShape(w.shape);
    const ortho = mul(newtonSchulz(reshape(u, [rows, cols]), steps), Math.sqrt(Math.max(1, rows / cols)));
    const decayed = wd !== 0 ? mul(w, sub(1, mul(lr, wd))) : w;
    newParams[i] = sub(decayed, mul(reshape(ortho, w.shape.map(Number)), lr));
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


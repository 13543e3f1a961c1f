// ASAM (SamsungLabs/ASAM asam.py): e = ρ T²⊙g/(‖T⊙g‖ + 1e-16) with T = |w| + η for weights (role
// 'weight') and T = 1 for every other parameter (the official code tests `'weight' in name`).

import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { abs, add, div, mul } from '../ops';
import { perturb } from './ascent';
import { numberHp } from './hp';
import { at, globalNorm } from './tensors';
import type { WrapperBuilder } from './types';

export const ASAM_EPS = 1e-16;

export const asam: WrapperBuilder = {
  name: 'asam',
  state: () => [],
  gradient: (_g, { params, infos, lossAndGrad, hp }) => {
    const first = lossAndGrad(params, { updateBuffers: true });
    const { e } = asamPerturbation(params, first.grads, infos, numberHp(hp, 'rho'), numberHp(hp, 'eta'));
    const second = lossAndGrad(perturb(params, e), { updateBuffers: false });
    return { loss: first.loss, grads: second.grads, state: [] };
  },
};

/** The perturbation and the scaling T per tensor (undefined where T = 1), for the ‖e/T‖ = ρ oracle. */
export function asamPerturbation(params: readonly Value[], grads: readonly Value[], infos: readonly ParamInfo[], rho: number, eta: number): { e: Value[]; t: (Value | undefined)[] } {
  const t = params.map((w, i) => (at(infos, i).role === 'weight' ? add(abs(w), eta) : undefined));
  const tg = grads.map((g, i) => {
    const ti = t[i];
    return ti === undefined ? g : mul(g, ti);
  });
  const first = at(grads, 0);
  const scale = div(first.graph.scalar(rho, first.dtype), add(globalNorm(tg), ASAM_EPS));
  const e = tg.map((x, i) => {
    const ti = t[i];
    return mul(ti === undefined ? x : mul(x, ti), scale);
  });
  return { e, t };
}

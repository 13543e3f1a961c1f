// FSAM (WHU-ZQH/FSAM4PLM SAM_Mask): SAM's ascent e = ρ g/(‖g‖ + 1e-7) (norm over all parameters),
// masked on the eligible parameters (weights that are not normalization parameters; biases and
// norm parameters are perturbed fully, as in the official code) to the top ⌊keep_ratio·N⌋ entries
// of the Fisher score g⊙g. The mask is wrapper state, recomputed on steps 1, 1 + mask_every, ….
//
// NOTE: the IR has no TopK, so the k-th largest score is found by bisection inside the graph
// (BISECTIONS halvings of [0, 2·max F]): the mask is {F ≥ lo} with count(F ≥ lo) ≥ k > count(F ≥ hi).
// It equals the exact top-k unless scores tie, or lie within 2·max F·2⁻¹⁰⁰ of the k-th one.

import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, cast, equal, less, mod, mul, reduceMax, reduceSum, where } from '../ops';
import { ascent, perturb } from './ascent';
import { numberHp } from './hp';
import { at, maximum } from './tensors';
import type { StateSpec, WrapperBuilder } from './types';

const FSAM_EPS = 1e-7;
const BISECTIONS = 100;

export const fsam: WrapperBuilder = {
  name: 'fsam',
  state: (infos) => infos.filter(eligible).map((info): StateSpec => ({ name: `fisher_mask:${info.name}`, shape: info.shape })),
  gradient: (_g, { params, infos, lossAndGrad, state, step, hp }) => {
    const first = lossAndGrad(params, { updateBuffers: true });
    const grads = first.grads;
    const idx = infos.map((info, i) => (eligible(info) ? i : -1)).filter((i) => i >= 0);
    const fresh = fisherMask(idx.map((i) => at(grads, i)), numberHp(hp, 'keep_ratio'));
    const stepInt = cast(step, 'int64');
    const every = numberHp(hp, 'mask_every');
    const refresh = equal(mod(stepInt, step.graph.scalar(every, 'int64')), step.graph.scalar(1 % every, 'int64'));
    const masks = fresh.map((m, k) => where(refresh, m, at(state, k)));
    const e = ascent(grads, numberHp(hp, 'rho'), FSAM_EPS);
    idx.forEach((i, k) => {
      e[i] = mul(at(e, i), at(masks, k));
    });
    const second = lossAndGrad(perturb(params, e), { updateBuffers: false });
    return { loss: first.loss, grads: second.grads, state: masks };
  },
};

export function eligible(info: ParamInfo): boolean {
  return (info.role === 'weight' || info.role === 'weight_g') && !info.isNorm;
}

/** 1 on the top ⌊keepRatio·N⌋ Fisher scores g² over all of `grads` jointly, 0 elsewhere. */
export function fisherMask(grads: readonly Value[], keepRatio: number): Value[] {
  const total = grads.reduce((n, g) => n + g.shape.reduce<number>((a, d) => a * Number(d), 1), 0);
  const k = Math.floor(keepRatio * total);
  const scores = grads.map((g) => mul(g, g));
  const filledLike = (x: Value, v: number): Value => add(mul(x, 0), v);
  if (k >= total) return scores.map((s) => filledLike(s, 1));
  if (k <= 0) return scores.map((s) => filledLike(s, 0));
  const first = at(scores, 0);
  const g = first.graph;
  const one = g.scalar(1, first.dtype);
  const zero = g.scalar(0, first.dtype);
  const atLeast = (s: Value, t: Value): Value => where(less(s, t), zero, one);
  const count = (t: Value): Value => scores.map((s) => reduceSum(atLeast(s, t), [], false)).reduce((a, b) => add(a, b));
  const fMax = scores.map((s) => reduceMax(s, [], false)).reduce((a, b) => maximum(a, b));
  let lo = zero;
  let hi = add(mul(fMax, 2), 1e-300);
  for (let it = 0; it < BISECTIONS; it++) {
    const mid = mul(add(lo, hi), 0.5);
    const enough = less(count(mid), k - 0.5);
    lo = where(enough, lo, mid);
    hi = where(enough, mid, hi);
  }
  return scores.map((s) => atLeast(s, lo));
}

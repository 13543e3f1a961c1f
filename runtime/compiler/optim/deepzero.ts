// DeepZero (OPTML-Group/DeepZero algorithm/zoo/gradient_estimate.py `cge`, `rge`): the gradient
// from loss values only, all forward passes in the train-step graph on the same batch (the
// backward graphs `lossAndGrad` builds for them are unused, so not emitted).
//
// CGE: per parameter, the coordinates to estimate are a host input (`deepzero_coords:<name>`, the
// indices of the unmasked entries, redrawn by the engine's deepzero pass) for weights under
// `sparsity` > 0, else every index. A one-hot matrix OH [c, n] from them gives each perturbation
// w + μ·OH_j and the estimate ĝ = ((L_j − L₀)/μ)_j · OH, so masked entries are exactly 0.
// RGE: the q·(tensors) Gaussian directions are host inputs (`rge_u<j>:<name>`), normalized here
// per tensor as the code does.

import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, concat, div, equal, matmul, mul, reshape, sub, where } from '../ops';
import { tensor } from '../tensor';
import { numberHp, stringHp } from './hp';
import { at, norm } from './tensors';
import type { StateSpec, WrapperBuilder } from './types';

/** A per-step input of DeepZero: the coordinates CGE estimates for a parameter, or an RGE direction. */
export interface ZoInput extends StateSpec {
  readonly kind: 'coords' | 'gaussian';
  /** Index of the parameter it belongs to. */
  readonly param: number;
  /** Elements of that parameter. */
  readonly size: number;
}

export const deepzero: WrapperBuilder = {
  name: 'deepzero',
  ownGradients: true,
  state: () => [],
  inputs: (infos, hp) => deepzeroInputs(infos, hp),
  gradient: (_g, { params, infos, lossAndGrad, inputs = [], hp }) => {
    const mu = numberHp(hp, 'mu');
    const first = lossAndGrad(params, { updateBuffers: true });
    const base = first.loss;
    const lossAt = (ps: readonly Value[]): Value => lossAndGrad(ps, { updateBuffers: false }).loss;
    const specs = deepzeroInputs(infos, hp);
    const inputOf = (kind: ZoInput['kind'], param: number, from = 0): Value | undefined => {
      const k = specs.findIndex((s, i) => i >= from && s.kind === kind && s.param === param);
      return k < 0 ? undefined : at(inputs, k);
    };
    if (stringHp(hp, 'estimator') === 'rge') {
      const q = numberHp(hp, 'queries');
      const perQuery = params.length;
      const sums: Value[] = [];
      for (let j = 0; j < q; j++) {
        // perturb = μ·u/(‖u‖ + 1e-8) per tensor; the directional derivative (L − L₀)/μ.
        const perturbs = params.map((_, i) => {
          const u = at(inputs, j * perQuery + i);
          return mul(div(u, add(norm(u), 1e-8)), mu);
        });
        const dd = div(sub(lossAt(params.map((w, i) => add(w, at(perturbs, i)))), base), mu);
        perturbs.forEach((p, i) => {
          const term = div(mul(p, dd), q);
          sums[i] = j === 0 ? term : add(at(sums, i), term);
        });
      }
      return { loss: base, grads: sums, state: [] };
    }
    const grads = params.map((w, i) => {
      const n = w.shape.reduce<number>((a, d) => a * Number(d), 1);
      const coords = inputOf('coords', i) ?? w.graph.constant(tensor([n], Array.from({ length: n }, (_, k) => k), w.dtype));
      const c = Number(coords.shape[0]);
      const iota = w.graph.constant(tensor([1, n], Array.from({ length: n }, (_, k) => k), w.dtype));
      const oneHot = where(equal(reshape(coords, [c, 1]), iota), w.graph.scalar(1, w.dtype), w.graph.scalar(0, w.dtype));
      const dds: Value[] = [];
      for (let j = 0; j < c; j++) {
        const unit = w.graph.constant(tensor([1, c], Array.from({ length: c }, (_, k) => (k === j ? mu : 0)), w.dtype));
        const moved = add(w, reshape(matmul(unit, oneHot), w.shape.map(Number)));
        const ps = params.map((p, k) => (k === i ? moved : p));
        dds.push(reshape(div(sub(lossAt(ps), base), mu), [1, 1]));
      }
      const row = dds.length === 1 ? at(dds, 0) : concat(dds, 1);
      return reshape(matmul(row, oneHot), w.shape.map(Number));
    });
    return { loss: base, grads, state: [] };
  },
};

/** DeepZero's per-step inputs: CGE's coordinates of the weights under sparsity, or RGE's q directions per tensor. */
export function deepzeroInputs(infos: readonly ParamInfo[], hp: { readonly [k: string]: unknown }): ZoInput[] {
  const size = (info: ParamInfo): number => info.shape.reduce((a, d) => a * d, 1);
  if (hp['estimator'] === 'rge') {
    const q = numberHp(hp, 'queries');
    return Array.from({ length: q }, (_, j) => infos.map((info, i): ZoInput => ({ name: `rge_u${j}:${info.name}`, shape: info.shape, kind: 'gaussian', param: i, size: size(info) }))).flat();
  }
  const s = numberHp(hp, 'sparsity');
  if (s <= 0) return [];
  return infos.flatMap((info, i): ZoInput[] => (info.shape.length >= 2 ? [{ name: `deepzero_coords:${info.name}`, shape: [cgeKept(size(info), s)], kind: 'coords', param: i, size: size(info) }] : []));
}

/** How many of n coordinates CGE estimates under sparsity s: n − round(s·n), at least 1. */
export function cgeKept(n: number, s: number): number {
  return Math.max(1, n - Math.round(s * n));
}

/** Loss evaluations per step: nnz + 1 (CGE) or q + 1 (RGE). */
export function zoEvaluations(infos: readonly ParamInfo[], hp: { readonly [k: string]: unknown }): number {
  if (hp['estimator'] === 'rge') return numberHp(hp, 'queries') + 1;
  const s = numberHp(hp, 'sparsity');
  return 1 + infos.reduce((sum, info) => {
    const n = info.shape.reduce((a, d) => a * d, 1);
    return sum + (info.shape.length >= 2 && s > 0 ? cgeKept(n, s) : n);
  }, 0);
}

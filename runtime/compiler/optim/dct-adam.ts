// Low-rank Adam on DCT bases (catalog A21, [paper/mem]): per weight matrix (conv kernels viewed
// as [out, −1]), the orthonormal DCT-II matrix Q of the smaller side is a constant; every T steps
// the r columns of Q with the largest ‖Q_jᵀG‖ are selected, and their indices are optimizer state
// (`dct_index`, r floats, in decreasing order of alignment). Adam's moments live in the projected
// r×n (or m×r) space. Weights with fewer than two dimensions take AdamW with the same settings.
//
// NOTE: the IR has no TopK; the selection ranks each column by counting the columns that beat it
// (a larger score, or an equal one at a smaller index), which is the order torch.topk returns
// for distinct scores. O(m²) comparisons per weight, negligible next to the projection.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, cast, div, equal, greater, matmul, mod, mul, reduceSum, reduceSumSquare, reshape, sqrt, sub, transpose, where } from '../ops';
import { tensor } from '../tensor';
import { adamw, adamStepScalars, moments } from './adam';
import { numberHp } from './hp';
import { at, rowViewShape } from './tensors';
import type { HyperParams, OptimizerBuilder, StateSpec, UpdateArgs, UpdateResult } from './types';

export const dctAdam: OptimizerBuilder = {
  name: 'dct_adam',
  state: (info, hp) => {
    const layout = projection(info, hp);
    if (layout === undefined) return adamw.state(info, { ...hp, amsgrad: false });
    return [{ name: 'exp_avg', shape: layout.stateShape }, { name: 'exp_avg_sq', shape: layout.stateShape }, { name: 'dct_index', shape: [layout.rank] }] satisfies StateSpec[];
  },
  update: (g, args) => dctUpdate(g, args),
};

/** How a parameter is projected: on the left (rows ≤ cols) or the right, with its rank and state shape. */
interface Projection {
  readonly rows: number;
  readonly cols: number;
  readonly side: 'left' | 'right';
  /** The size of the side the DCT acts on. */
  readonly m: number;
  readonly rank: number;
  readonly stateShape: readonly number[];
}

function projection(info: ParamInfo, hp: HyperParams): Projection | undefined {
  if (info.shape.length < 2) return undefined;
  const [rows, cols] = rowViewShape(info.shape);
  const side = rows <= cols ? 'left' : 'right';
  const m = Math.min(rows, cols);
  const rank = Math.min(numberHp(hp, 'rank'), m);
  return { rows, cols, side, m, rank, stateShape: side === 'left' ? [rank, cols] : [rows, rank] };
}

/** The orthonormal DCT-II matrix of size m, column j the j-th basis vector: Q[k, j] = c_j cos(π(2k + 1)j/(2m)). */
export function dctMatrix(m: number): number[] {
  return Array.from({ length: m * m }, (_, i) => {
    const [k, j] = [Math.floor(i / m), i % m];
    return Math.sqrt((j === 0 ? 1 : 2) / m) * Math.cos((Math.PI * (2 * k + 1) * j) / (2 * m));
  });
}

/**
 * The r columns of Q (m×m constant) best aligned with G on the side given: scores s_j = ‖Q_jᵀG‖²
 * (left) or ‖GQ_j‖² (right), ranked; returns the indices [r] in decreasing order of score.
 */
export function dctSelect(q: Value, G: Value, side: 'left' | 'right', rank: number): Value {
  const m = Number(q.shape[0]);
  // scores [m]: the squared norms of the rows of QᵀG (left) or of the columns of GQ (right).
  const scores = side === 'left' ? reduceSumSquare(matmul(transpose(q), G), [1], false) : reduceSumSquare(matmul(G, q), [0], false);
  const row = reshape(scores, [1, m]);
  const col = reshape(scores, [m, 1]);
  const one = q.graph.scalar(1, q.dtype);
  const zero = q.graph.scalar(0, q.dtype);
  const earlier = q.graph.constant(tensor([m, m], Array.from({ length: m * m }, (_, i) => (i % m < Math.floor(i / m) ? 1 : 0)), q.dtype));
  // beats[j, k] = 1 when column k ranks before column j.
  const beats = add(where(greater(row, col), one, zero), mul(where(equal(row, col), one, zero), earlier));
  const place = reduceSum(beats, [1], false);
  // onehot[j, p] = (place_j == p) for p < r; idx_p = Σ_j j·onehot[j, p].
  const positions = q.graph.constant(tensor([1, rank], Array.from({ length: rank }, (_, p) => p), q.dtype));
  const onehot = where(equal(reshape(place, [m, 1]), positions), one, zero);
  const ids = q.graph.constant(tensor([1, m], Array.from({ length: m }, (_, j) => j), q.dtype));
  return reshape(matmul(ids, onehot), [rank]);
}

/** P = Q[:, idx] (m×r), built from the indices as Q·S with S[j, p] = (idx_p == j). */
export function dctBasis(q: Value, idx: Value): Value {
  const m = Number(q.shape[0]);
  const rank = Number(idx.shape[0]);
  const ids = q.graph.constant(tensor([m, 1], Array.from({ length: m }, (_, j) => j), q.dtype));
  const s = where(equal(ids, reshape(idx, [1, rank])), q.graph.scalar(1, q.dtype), q.graph.scalar(0, q.dtype));
  return matmul(q, s);
}

function dctUpdate(g: GraphBuilder, args: UpdateArgs): UpdateResult {
  const { params, grads, state, infos, lr, step, hostScalar, hp } = args;
  const beta1 = numberHp(hp, 'beta1');
  const beta2 = numberHp(hp, 'beta2');
  const eps = numberHp(hp, 'eps');
  const wd = numberHp(hp, 'weight_decay');
  const every = numberHp(hp, 'every');
  const alpha = numberHp(hp, 'scale');
  const { scale, epsHat } = adamStepScalars(hostScalar, lr, beta1, beta2, eps);
  const refresh = equal(mod(cast(step, 'int64'), step.graph.scalar(every, 'int64')), step.graph.scalar(1 % every, 'int64'));
  const newParams: Value[] = [...params];
  const newState: (readonly Value[])[] = [...state];
  const plain: number[] = [];
  params.forEach((w, i) => {
    const p = projection(at(infos, i), hp);
    if (p === undefined) {
      plain.push(i);
      return;
    }
    const s = at(state, i);
    const G = reshape(at(grads, i), [p.rows, p.cols]);
    const q = w.graph.constant(tensor([p.m, p.m], dctMatrix(p.m), w.dtype), `dct_${p.m}`);
    const idx = where(refresh, dctSelect(q, G, p.side, p.rank), at(s, 2));
    const P = dctBasis(q, idx);
    const R = p.side === 'left' ? matmul(transpose(P), G) : matmul(G, P);
    const mv = moments(at(s, 0), at(s, 1), R, beta1, beta2);
    const U = div(mv.m, add(sqrt(mv.v), epsHat));
    const back = p.side === 'left' ? matmul(P, U) : matmul(U, transpose(P));
    const decayed = wd !== 0 ? mul(w, sub(1, mul(lr, wd))) : w;
    newParams[i] = sub(decayed, mul(reshape(back, w.shape.map(Number)), mul(scale, alpha)));
    newState[i] = [mv.m, mv.v, idx];
  });
  if (plain.length > 0) {
    const pick = <T>(xs: readonly T[]): T[] => plain.map((i) => at(xs, i));
    const r = adamw.update(g, { ...args, params: pick(params), grads: pick(grads), state: pick(state), infos: pick(infos), hp: { ...hp, amsgrad: false } });
    plain.forEach((i, k) => {
      newParams[i] = at(r.params, k);
      newState[i] = at(r.state, k);
    });
  }
  return { params: newParams, state: newState };
}

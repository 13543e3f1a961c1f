// The lowrank block on the host (catalog svd and trp, A57): weights of the targeted layers are
// replaced by truncated-SVD reconstructions between optimizer steps, and training continues.
//   svd(energy | rank): once, before step `from`; the matrix is W viewed as [out, in·kh·kw].
//   trp(energy, nuclear, every): before every `every`-th step in [from, to); convs use TRP's
//     channel decomposition M = reshape(permute(W, (1, 2, 0, 3)), (C·kh, N·kw)) (1×1 convs are not
//     decomposed, as in the official code); dense layers use W as [out, in].
// The nuclear-norm term is folded into the projection as a decoupled step: W ← P_k(W) − lr·λ·U_kV_kᵀ
// (the official code adds λ·U_kV_kᵀ to the gradient; for plain SGD the two are the same step).
// After training, each target is truncated once more to the rank of its last projection and
// exported as two factors (factor.ts) where that saves parameters. Optimizer state is left as it is.

import { isDuration, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { compressTargets } from './targets';
import type { ParamInfo } from '../../compiler/model';
import { lowRank, rankForEnergy, retainedEnergy, svd } from './svd';

export interface LowrankPlan {
  readonly method: 'svd' | 'trp';
  readonly targets: readonly number[];
  readonly energy?: number;
  readonly rank?: number;
  readonly nuclear: number;
  /** Steps between projections (trp). */
  readonly every: number;
  /** Steps (0-based count of steps done). */
  readonly from: number;
  readonly to: number;
}

export function lowrankPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): LowrankPlan | undefined {
  const block = recipe.blocks['lowrank'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || (method.name !== 'svd' && method.name !== 'trp')) return undefined;
  const a = block.attrs;
  const steps = (v: PlanValue | undefined, fallback: number) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : fallback);
  const trp = method.name === 'trp';
  const rank = num(method.args['rank']);
  const energy = num(method.args['energy']) ?? (trp ? 0.99 : undefined);
  return {
    method: trp ? 'trp' : 'svd',
    targets: compressTargets(recipe, 'lowrank', infos).filter((i) => (infos[i]?.shape.length ?? 0) >= 2 && !(trp && isPointwiseConv(infos[i]?.shape ?? []))),
    ...(energy !== undefined ? { energy } : {}),
    ...(rank !== undefined && !trp ? { rank } : {}),
    nuclear: trp ? (num(method.args['nuclear']) ?? 0) : 0,
    every: Math.max(1, steps(method.args['every'], 1)),
    from: steps(a['from'], 0),
    to: steps(a['to'], Number.POSITIVE_INFINITY),
  };
}

export interface Projection {
  readonly weights: Float32Array;
  /** Rank kept and share of Σσ² retained. */
  readonly rank: number;
  readonly energy: number;
}

/** The matrix a weight is projected as: [rows, cols] and the index map between W and M. */
export function matrixOf(shape: readonly number[], method: 'svd' | 'trp'): { rows: number; cols: number; index: (r: number, c: number) => number } {
  const out = shape[0] ?? 1;
  if (shape.length === 4 && method === 'trp') {
    const [n, c, kh, kw] = shape as [number, number, number, number];
    // M[(ci·kh + y), (o·kw + x)] = W[o, ci, y, x]
    return { rows: c * kh, cols: n * kw, index: (r, col) => ((Math.floor(col / kw) * c + Math.floor(r / kh)) * kh + (r % kh)) * kw + (col % kw) };
  }
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  return { rows: out, cols, index: (r, c) => r * cols + c };
}

/** Projects w onto rank k (chosen by energy or rank), optionally minus step·U_kV_kᵀ. */
export function project(w: Float32Array, shape: readonly number[], plan: Pick<LowrankPlan, 'method' | 'energy' | 'rank'>, nuclearStep = 0): Projection {
  const m = matrixOf(shape, plan.method);
  const a = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) a[r * m.cols + c] = w[m.index(r, c)] ?? 0;
  const d = svd(a, m.rows, m.cols);
  const k = Math.min(d.s.length, plan.rank ?? rankForEnergy(d.s, plan.energy ?? 1));
  const rec = lowRank(d, k);
  const nuc = nuclearStep > 0 ? lowRank(d, k, 'unit') : undefined;
  const out = new Float32Array(w.length);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) out[m.index(r, c)] = (rec[r * m.cols + c] ?? 0) - nuclearStep * (nuc?.[r * m.cols + c] ?? 0);
  return { weights: out, rank: k, energy: retainedEnergy(d.s, k) };
}

export interface Lowrank {
  readonly plan: LowrankPlan;
  /** Whether `beforeStep(t)` projects or reports anything, so the caller downloads the weights only then. */
  touches(t: number): boolean;
  /** Projects the targets in place before step t (0-based); returns phase details to emit. */
  beforeStep(t: number, params: Float32Array[], lr: number): string[];
  /** rank/<layer> and energy/<layer> of the latest projection of each target. */
  metrics(): Record<string, number>;
  /** The rank of the latest projection of each target (by parameter index); empty before the first. */
  ranks(): ReadonlyMap<number, number>;
  /** fwsvd: the row weights Î (by parameter index) the export factors the final weights with (factor.ts). */
  rowWeights?(): ReadonlyMap<number, Float64Array>;
}

export function createLowrank(plan: LowrankPlan, infos: readonly ParamInfo[]): Lowrank {
  const last = new Map<number, { rank: number; energy: number }>();
  const due = (t: number) => (plan.method === 'svd' ? t === plan.from : t >= plan.from && t < plan.to && (t - plan.from) % plan.every === 0);
  const summary = () => plan.targets.map((i) => `${infos[i]?.layer} rank ${last.get(i)?.rank} (${((last.get(i)?.energy ?? 0) * 100).toFixed(1)}% energy)`).join(', ');
  return {
    plan,
    touches: (t) => due(t) || (plan.method === 'trp' && t === plan.to && last.size > 0),
    beforeStep(t, params, lr) {
      const details: string[] = [];
      if (plan.method === 'trp' && t === plan.to && last.size > 0) details.push(`trp finished: ${summary()}`);
      if (!due(t)) return details;
      const first = last.size === 0;
      for (const i of plan.targets) {
        const p = project(params[i] ?? new Float32Array(), infos[i]?.shape ?? [], plan, lr * plan.nuclear);
        params[i] = p.weights;
        last.set(i, { rank: p.rank, energy: p.energy });
      }
      if (plan.method === 'svd') details.push(`svd: ${summary()}`);
      else if (first) details.push(`trp started (every ${plan.every} step${plan.every === 1 ? '' : 's'}${plan.nuclear > 0 ? `, nuclear ${plan.nuclear}` : ''}): ${summary()}`);
      return details;
    },
    ranks: () => new Map([...last].map(([i, v]) => [i, v.rank])),
    metrics: () => rankMetrics(last, infos),
  };
}

/** The per-layer `rank/<layer>` and `energy/<layer>` metrics of the last projection (lowrank and fwsvd). */
export function rankMetrics(last: ReadonlyMap<number, { readonly rank: number; readonly energy: number }>, infos: readonly ParamInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [i, v] of last) {
    const layer = infos[i]?.layer ?? String(i);
    out[`rank/${layer}`] = v.rank;
    out[`energy/${layer}`] = v.energy;
  }
  return out;
}

function isPointwiseConv(shape: readonly number[]): boolean {
  return shape.length === 4 && shape[2] === 1 && shape[3] === 1;
}

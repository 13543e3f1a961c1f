// fwsvd (catalog A58, Fisher-weighted SVD) on the host: the row importances from summed squared
// gradients, the weighted truncation W ← Î⁻¹·P_k(ÎW) of each target (W viewed as [out, in·kh·kw],
// as svd does), and the run's lowrank state. The projection happens once, before step `from`;
// training continues dense, and the export factors the final weights with the same Î
// (factor.ts, `rowWeights`), so the two factors are A = Î⁻¹U_k√S_k and B = √S_kV_kᵀ.

import { isDuration, isLayerRef, isList, isTechnique, num } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import { matrixOf, rankMetrics, type Lowrank, type LowrankPlan } from './lowrank';
import { rankForEnergy, retainedEnergy, svd } from './svd';

export interface FwsvdPlan extends LowrankPlan {
  readonly method: 'svd';
  /** Training batches the Fisher information is summed over (the last ones before `from`). */
  readonly batches: number;
}

export function fwsvdPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): FwsvdPlan | undefined {
  const block = recipe.blocks['lowrank'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'fwsvd') return undefined;
  const a = block.attrs;
  const layers = new Set(isList(a['layers']) ? a['layers'].filter(isLayerRef).map((r) => r.name) : []);
  const from = a['from'];
  const rank = num(method.args['rank']);
  const energy = num(method.args['energy']);
  return {
    method: 'svd',
    targets: infos.flatMap((p, i) => (p.compressible && layers.has(p.layer) && p.shape.length >= 2 ? [i] : [])),
    ...(energy !== undefined ? { energy } : {}),
    ...(rank !== undefined ? { rank } : {}),
    nuclear: 0,
    every: 1,
    from: isDuration(from) ? Math.round(from.unit === 'ep' ? from.value * stepsPerEpoch : from.value) : 0,
    to: Number.POSITIVE_INFINITY,
    batches: Math.max(1, num(method.args['batches']) ?? 8),
  };
}

/**
 * Row importances I_i = Σ_j F_ij of a weight from its summed squared gradients F (same layout as
 * W), as the scale √I_i per row. Rows with I_i = 0 take the smallest positive importance of the
 * layer; when every row is 0, all scales are 1 (plain SVD).
 */
export function rowScales(fisher: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const rows = shape[0] ?? 1;
  const cols = fisher.length / rows;
  const importance = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += fisher[r * cols + c] ?? 0;
    importance[r] = s;
  }
  const positive = [...importance].filter((v) => v > 0);
  const floor = positive.length > 0 ? Math.min(...positive) : 1;
  return importance.map((v) => Math.sqrt(v > 0 ? v : floor));
}

export interface WeightedProjection {
  readonly weights: Float32Array;
  readonly rank: number;
  /** Share of the weighted Σσ² kept. */
  readonly energy: number;
}

/** W ← Î⁻¹·P_k(ÎW) with Î = diag(scales) over the rows of W's matrix view; k = rank, or by energy of ÎW's spectrum. */
export function weightedProject(w: ArrayLike<number>, shape: readonly number[], scales: ArrayLike<number>, choose: { readonly rank?: number; readonly energy?: number }): WeightedProjection {
  const m = matrixOf(shape, 'svd');
  const a = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) a[r * m.cols + c] = (scales[r] ?? 1) * (w[m.index(r, c)] ?? 0);
  const d = svd(a, m.rows, m.cols);
  const k = Math.min(d.s.length, choose.rank ?? rankForEnergy(d.s, choose.energy ?? 1));
  const out = new Float32Array(w.length);
  for (let r = 0; r < m.rows; r++) {
    const inv = 1 / (scales[r] ?? 1);
    for (let c = 0; c < m.cols; c++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += (d.s[j] ?? 0) * (d.u[j]?.[r] ?? 0) * (d.v[j]?.[c] ?? 0);
      out[m.index(r, c)] = inv * acc;
    }
  }
  return { weights: out, rank: k, energy: retainedEnergy(d.s, k) };
}

/** The run's fwsvd: a Lowrank whose projection needs the Fisher information, which the pass computes. */
export interface Fwsvd extends Lowrank {
  readonly plan: FwsvdPlan;
  /** Projects the targets in place with these summed squared gradients (by parameter index); returns the phase detail. */
  project(params: Float32Array[], fisher: ReadonlyMap<number, ArrayLike<number>>, batches: number): string;
}

export function createFwsvd(plan: FwsvdPlan, infos: readonly ParamInfo[]): Fwsvd {
  const last = new Map<number, { rank: number; energy: number; scales: Float64Array }>();
  return {
    plan,
    touches: (t) => t === plan.from,
    beforeStep: () => [],
    project(params, fisher, batches) {
      const parts: string[] = [];
      for (const i of plan.targets) {
        const info = infos[i];
        const w = params[i];
        if (!info || !w) continue;
        const f = fisher.get(i);
        const scales = f ? rowScales(f, info.shape) : new Float64Array(info.shape[0] ?? 1).fill(1);
        const p = weightedProject(w, info.shape, scales, plan);
        params[i] = p.weights;
        last.set(i, { rank: p.rank, energy: p.energy, scales });
        const spread = Math.max(...scales) / Math.min(...scales);
        parts.push(`${info.layer} rank ${p.rank} (${(p.energy * 100).toFixed(1)}% weighted energy, row weights spread ${spread.toPrecision(3)}×)`);
      }
      return `fwsvd (Fisher over ${batches} batch${batches === 1 ? '' : 'es'}): ${parts.join(', ')}`;
    },
    ranks: () => new Map([...last].map(([i, v]) => [i, v.rank])),
    rowWeights: () => new Map([...last].map(([i, v]) => [i, v.scales])),
    metrics: () => rankMetrics(last, infos),
  };
}

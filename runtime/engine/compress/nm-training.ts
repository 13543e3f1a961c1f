// The N:M training methods during a run (issue 15), behind the same `Pruning` interface as
// magnitude pruning and SR-STE (pruning.ts), so the pruning pass and the train step's masked
// weight (compiler/compress/masked-weight.ts) serve them unchanged:
// - transposable (catalog A46): from `from`, every `every` steps, the transposable 2:4 mask of
//   the dense weights (transposable-mask.ts); keep = 1, so the gradient is straight-through and
//   the step adds α(1 − m)⊙W after clipping; at `to` the last mask is fixed (keep = m) or
//   dropped (`finish: dense`, both masks all ones).

import type { ParamInfo } from '../../compiler/model';
import type { NmTrainingPlan } from './nm-training-plan';
import { nmConformance, rowLengthOf, zeroShare } from './prune-masks';
import type { PrunePlan } from './prune-plan';
import type { Pruning } from './pruning';
import { transposableMask } from './transposable-mask';

export function createNmTraining(plan: PrunePlan & { readonly nm: NmTrainingPlan }, infos: readonly ParamInfo[]): Pruning {
  const nm = plan.nm;
  const shapeOf = (param: number) => infos[param]?.shape ?? [];
  const ones = plan.targets.map((i) => new Float32Array(sizeOf(shapeOf(i))).fill(1));
  const slot = new Map(plan.targets.map((p, k) => [p, k]));
  const state: { masks: Float32Array[]; keep: Float32Array[]; learned: Float32Array[] | undefined; finished: boolean } = { masks: ones, keep: ones, learned: undefined, finished: false };
  const compute = (params: readonly Float32Array[]) =>
    plan.targets.map((i) => {
      const shape = shapeOf(i);
      return transposableMask(params[i] ?? new Float32Array(), shape[0] ?? 0, rowLengthOf(shape));
    });
  const learning = (t: number) => t >= plan.from && t < plan.to && (t - plan.from) % nm.every === 0;

  const needsWeights = (t: number) => !state.finished && (learning(t) || t >= plan.to);

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (state.finished || t < plan.from) return [];
    if (t >= plan.to) {
      state.finished = true;
      if (nm.finish === 'dense') {
        state.masks = ones;
        state.keep = ones;
        state.learned = undefined;
        return ['finished: mask dropped, training continues dense'];
      }
      const learned = state.learned ?? compute(params);
      state.learned = learned;
      state.masks = learned;
      state.keep = learned;
      return [`finished: transposable 2:4 mask fixed, sparsity ${percent(share(learned))} in the pruned layers`];
    }
    if (!learning(t)) return [];
    const first = state.learned === undefined;
    state.learned = compute(params);
    state.masks = state.learned;
    return first ? [`started (transposable 2:4, masked decay ${nm.decay}: masks recomputed every ${nm.every} steps)`] : [];
  };

  const masksOf = (param: number) => {
    const k = slot.get(param);
    const mask = k === undefined ? undefined : state.masks[k];
    const keep = k === undefined ? undefined : state.keep[k];
    return mask && keep ? { mask, keep } : undefined;
  };

  const effective = (params: readonly Float32Array[]): Float32Array[] =>
    params.map((p, i) => {
      const m = masksOf(i)?.mask;
      return m ? p.map((v, k) => v * (m[k] ?? 0)) : p;
    });

  const metrics = (params: readonly Float32Array[], requested: ReadonlySet<string>): Record<string, number> => {
    const out: Record<string, number> = {};
    const pattern = plan.pattern ?? { n: 2, m: 4 };
    const conformance: [number, number][] = [];
    for (const i of plan.targets) {
      const w = params[i] ?? new Float32Array();
      const layer = infos[i]?.layer ?? '';
      if (requested.has('sparsity')) out[`sparsity/${layer}`] = zeroShare(w);
      if (requested.has('nm_conformance')) {
        const c = nmConformance(w, rowLengthOf(shapeOf(i)), pattern.n, pattern.m);
        out[`nm_conformance/${layer}`] = c;
        conformance.push([c, w.length]);
      }
    }
    if (requested.has('nm_conformance')) out['nm_conformance'] = weighted(conformance);
    return out;
  };

  // The binary structure, for the flip rate: the learned mask while one is in force.
  const structure = (param: number): Float32Array | undefined => {
    const k = slot.get(param);
    return k === undefined || state.masks === ones ? undefined : state.masks[k];
  };

  return { plan, needsWeights, beforeStep, masksOf, effective, metrics, structure };
}

function share(masks: readonly Float32Array[]): number {
  const total = masks.reduce((s, m) => s + m.length, 0);
  return total === 0 ? 0 : masks.reduce((s, m) => s + m.length * zeroShare(m), 0) / total;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function weighted(parts: readonly [number, number][]): number {
  const n = parts.reduce((s, [, w]) => s + w, 0);
  return n === 0 ? 0 : parts.reduce((s, [v, w]) => s + v * w, 0) / n;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

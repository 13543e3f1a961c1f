// The N:M training methods during a run (issue 15), behind the same `Pruning` interface as
// magnitude pruning and SR-STE (pruning.ts), so the pruning pass and the train step's masked
// weight (compiler/compress/masked-weight.ts) serve them unchanged:
// - transposable (catalog A46): from `from`, every `every` steps, the transposable 2:4 mask of
//   the dense weights (transposable-mask.ts); keep = 1, so the gradient is straight-through and
//   the step adds α(1 − m)⊙W after clipping; at `to` the last mask is fixed (keep = m) or
//   dropped (`finish: dense`, both masks all ones).
// - pgf (A45): every step from `from`, the N:M mask m of the current frame; the forward mask is
//   m + (1 − m)·d_t with keep = 1 (dense straight-through gradient); d_t = 0 from the fine-tune
//   on; at `to` the mask is fixed and held (keep = m), as SR-STE's.
// - bimask (A44): every step from `from`, the forward N:M mask m_f (keep = 1, SR-STE's decay) and
//   the backward mask m_b for the row permutation chosen every `every` steps among `candidates`
//   seeded random ones (bimask-mask.ts); at `to` m_f is fixed and held, and m_b = m_f.

import type { ParamInfo } from '../../compiler/model';
import { createRng, permutation } from '../data';
import { bestPermutation, biMaskBackward } from './bimask-mask';
import { pgfDecayFactor, type BiMaskPlan, type NmTrainingPlan, type PgfPlan, type TransposablePlan } from './nm-training-plan';
import { nmConformance, nmMask, rowLengthOf, zeroShare } from './prune-masks';
import type { PrunePlan } from './prune-plan';
import type { Pruning } from './pruning';
import { transposableMask } from './transposable-mask';

type Masks = { readonly mask: Float32Array; readonly keep: Float32Array };

export function createNmTraining(plan: PrunePlan & { readonly nm: NmTrainingPlan }, infos: readonly ParamInfo[]): Pruning {
  const nm = plan.nm;
  switch (nm.kind) {
    case 'transposable':
      return transposableTraining(plan, nm, infos);
    case 'pgf':
      return pgfTraining(plan, nm, infos);
    case 'bimask':
      return biMaskTraining(plan, nm, infos, (t, rows) => Array.from({ length: nm.candidates }, (_, k) => permutation(rows, createRng(nm.seed, 'bimask', t * nm.candidates + k))));
  }
}

/** Candidate row permutations for the search at step t of a weight with `rows` rows. */
export type PermutationSource = (t: number, rows: number, target: number) => readonly ArrayLike<number>[];

/** Bi-Mask with the candidate permutations from `candidates` (the run's seeded ones, or a test's). */
export function biMaskTraining(plan: PrunePlan, nm: BiMaskPlan, infos: readonly ParamInfo[], candidates: PermutationSource): Pruning {
  const base = common(plan, infos);
  const p = plan.pattern ?? { n: 2, m: 4 };
  const shapeOf = (i: number) => ({ rows: base.shapeOf(i)[0] ?? 0, cols: rowLengthOf(base.shapeOf(i)), n: p.n, m: p.m });
  const state: { masks: Float32Array[]; keep: Float32Array[]; backward: Float32Array[]; perms: (ArrayLike<number> | undefined)[]; started: boolean; finished: boolean } = { masks: base.ones, keep: base.ones, backward: base.ones, perms: plan.targets.map(() => undefined), started: false, finished: false };

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (state.finished || t < plan.from) return [];
    const forward = plan.targets.map((i) => nmMask(params[i] ?? new Float32Array(), shapeOf(i).cols, p.n, p.m));
    if (t >= plan.to) {
      state.finished = true;
      state.masks = forward;
      state.keep = forward;
      state.backward = forward;
      return [`finished: ${p.n}:${p.m} mask fixed, sparsity ${percent(share(forward))} in the pruned layers`];
    }
    const search = (t - plan.from) % nm.every === 0;
    state.backward = plan.targets.map((i, k) => {
      const w = params[i] ?? new Float32Array();
      const f = forward[k] ?? new Float32Array();
      if (search || !state.perms[k]) {
        const best = bestPermutation(w, f, candidates(t, shapeOf(i).rows, k), shapeOf(i));
        state.perms[k] = best?.perm;
        if (best) return best.backward;
      }
      return biMaskBackward(w, f, state.perms[k] ?? [], shapeOf(i));
    });
    state.masks = forward;
    state.keep = base.ones;
    const notes = state.started ? [] : [`started (${p.n}:${p.m} Bi-Mask, decay ${nm.decay}: permutation search over ${nm.candidates} candidates every ${nm.every} steps)`];
    state.started = true;
    return notes;
  };

  return base.pruning(state, {
    needsWeights: (t) => !state.finished && t >= plan.from,
    beforeStep,
    backwardMaskOf: (param) => {
      const k = base.slot.get(param);
      return k === undefined ? undefined : state.backward[k];
    },
  });
}

function transposableTraining(plan: PrunePlan, nm: TransposablePlan, infos: readonly ParamInfo[]): Pruning {
  const base = common(plan, infos);
  const state: { masks: Float32Array[]; keep: Float32Array[]; learned: Float32Array[] | undefined; finished: boolean } = { masks: base.ones, keep: base.ones, learned: undefined, finished: false };
  const compute = (params: readonly Float32Array[]) =>
    plan.targets.map((i) => {
      const shape = base.shapeOf(i);
      return transposableMask(params[i] ?? new Float32Array(), shape[0] ?? 0, rowLengthOf(shape));
    });
  const learning = (t: number) => t >= plan.from && t < plan.to && (t - plan.from) % nm.every === 0;

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (state.finished || t < plan.from) return [];
    if (t >= plan.to) {
      state.finished = true;
      if (nm.finish === 'dense') {
        state.masks = base.ones;
        state.keep = base.ones;
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

  return base.pruning(state, {
    needsWeights: (t) => !state.finished && (learning(t) || t >= plan.to),
    beforeStep,
    // The binary structure, for the flip rate: the learned mask while one is in force.
    structure: (param) => (state.masks === base.ones ? undefined : base.at(param, state.masks, state.keep)?.mask),
  });
}

function pgfTraining(plan: PrunePlan, nm: PgfPlan, infos: readonly ParamInfo[]): Pruning {
  const base = common(plan, infos);
  const state: { masks: Float32Array[]; keep: Float32Array[]; binary: Float32Array[] | undefined; frame: number; fineTune: boolean; finished: boolean } = { masks: base.ones, keep: base.ones, binary: undefined, frame: -1, fineTune: false, finished: false };
  const frameAt = (t: number) => nm.frames.reduce((k, f, i) => (f.start <= t ? i : k), 0);
  const compute = (params: readonly Float32Array[], n: number, m: number) => plan.targets.map((i) => nmMask(params[i] ?? new Float32Array(), rowLengthOf(base.shapeOf(i)), n, m));

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (state.finished || t < plan.from) return [];
    const notes: string[] = [];
    const k = frameAt(t);
    const f = nm.frames[k] ?? { n: plan.pattern?.n ?? 2, m: plan.pattern?.m ?? 4, start: plan.from };
    const binary = compute(params, f.n, f.m);
    state.binary = binary;
    if (t >= plan.to) {
      state.finished = true;
      state.masks = binary;
      state.keep = binary;
      return [`finished: ${f.n}:${f.m} mask fixed, sparsity ${percent(share(binary))} in the pruned layers`];
    }
    if (k !== state.frame) {
      notes.push(state.frame < 0 ? `started (${f.n}:${f.m}, progressive gradient flow with ${nm.decay} decay${nm.decay === 'step' ? '' : `, c = ${nm.coef}`})` : `structure decay: ${f.n}:${f.m}`);
      state.frame = k;
    }
    if (t >= nm.fineTuneFrom && !state.fineTune) {
      notes.push(`fine-tune: binary ${f.n}:${f.m} mask`);
      state.fineTune = true;
    }
    // W̃ = W ⊙ (m + (1 − m)·d_t): kept entries 1, pruned entries d_t.
    const d = pgfDecayFactor(nm, t);
    state.masks = d === 0 ? binary : binary.map((m) => m.map((v) => (v === 1 ? 1 : d)));
    state.keep = base.ones;
    return notes;
  };

  return base.pruning(state, {
    needsWeights: (t) => !state.finished && t >= plan.from,
    beforeStep,
    structure: (param) => {
      const k = base.slot.get(param);
      return k === undefined || !state.binary ? undefined : state.binary[k];
    },
  });
}

/** What the methods share: the all-ones masks, slots, and the Pruning built around a method's masks (effective weights, per-layer metrics). */
function common(plan: PrunePlan, infos: readonly ParamInfo[]) {
  const shapeOf = (param: number) => infos[param]?.shape ?? [];
  const ones = plan.targets.map((i) => new Float32Array(sizeOf(shapeOf(i))).fill(1));
  const slot = new Map(plan.targets.map((p, k) => [p, k]));
  const at = (param: number, masks: readonly Float32Array[], keep: readonly Float32Array[]): Masks | undefined => {
    const k = slot.get(param);
    const mask = k === undefined ? undefined : masks[k];
    const kept = k === undefined ? undefined : keep[k];
    return mask && kept ? { mask, keep: kept } : undefined;
  };
  const effective = (params: readonly Float32Array[], masks: readonly Float32Array[]): Float32Array[] =>
    params.map((p, i) => {
      const k = slot.get(i);
      const m = k === undefined ? undefined : masks[k];
      return m ? p.map((v, j) => v * (m[j] ?? 0)) : p;
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
  /** A method's Pruning: its own step and extras, and the masks, effective weights and metrics read from `state` at each call. */
  const pruning = (state: { readonly masks: readonly Float32Array[]; readonly keep: readonly Float32Array[] }, parts: Pick<Pruning, 'needsWeights' | 'beforeStep'> & Partial<Pruning>): Pruning => ({
    plan,
    masksOf: (param) => at(param, state.masks, state.keep),
    effective: (params) => effective(params, state.masks),
    metrics,
    ...parts,
  });
  return { shapeOf, ones, slot, at, pruning };
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

// Lottery Jackpots during a run (catalog A48; zyxxmu/lottery-jackpots utils/conv_type.py
// PretrainConv.set_prune_rate / final_pop_up, cifar.py generate_pr_cfg / adjust_rate / pop_up).
// At `from` the targets' weights W₀ are frozen (kept on the host, fed to the step as an input,
// compiler/compress/jackpot-weight.ts) and their slots in the training state are replaced by scores:
// 1 for the weights the magnitude mask keeps, 0.99 for the pruned ones. Each layer prunes
// ⌊rate_l·N_l⌋ weights, rate_l from one global |w| threshold over the targets (`l1`) or the block's
// sparsity in every layer (`uniform`). Before every later step (after the optimizer moved the
// scores), the swap: θ = the prune_num-th smallest score; R = pruned with s > θ, K = kept with
// s ≤ θ; when |R| = |K| > 0 the top ⌈|R|·rate⌉ of each (R by s descending, K ascending) change
// sides, rate = ⌈(1 − epoch/E)⁴⌉. NOTE: that ceiling is 1 for every epoch before the last (a quirk
// of the official code, kept): all of R and K swap. At `to` the mask is fixed.

import type { ParamInfo } from '../../compiler/model';
import { nmConformance, rowLengthOf, zeroShare } from './prune-masks';
import type { PrunePlan } from './prune-plan';
import type { Pruning } from './pruning';

export function createJackpot(plan: PrunePlan & { readonly jackpot: { readonly layerwise: 'l1' | 'uniform'; readonly epochs: number } }, infos: readonly ParamInfo[], stepsPerEpoch: number): Pruning {
  const slot = new Map(plan.targets.map((p, k) => [p, k]));
  const sizes = plan.targets.map((i) => (infos[i]?.shape ?? []).reduce((a, b) => a * b, 1));
  const ones = sizes.map((n) => new Float32Array(n).fill(1));
  const state: { frozen: Float32Array[] | undefined; masks: Float32Array[]; pruneNum: number[]; pending: Map<number, Float32Array> | undefined; finished: boolean } = {
    frozen: undefined, masks: ones, pruneNum: sizes.map(() => 0), pending: undefined, finished: false,
  };

  const start = (params: readonly Float32Array[]): string[] => {
    const frozen = plan.targets.map((i) => Float32Array.from(params[i] ?? []));
    const rates = layerRates(frozen, plan.sparsity, plan.jackpot.layerwise);
    const scores = new Map<number, Float32Array>();
    state.masks = frozen.map((w, k) => {
      const n = Math.floor(w.length * (rates[k] ?? 0));
      state.pruneNum[k] = n;
      const mask = new Float32Array(w.length).fill(1);
      for (const j of smallestIndices(w, n)) mask[j] = 0;
      scores.set(plan.targets[k] ?? 0, mask.map((b) => (b === 1 ? 1 : 0.99)));
      return mask;
    });
    state.frozen = frozen;
    state.pending = scores;
    return [`started (lottery jackpots: weights frozen, scores searched; sparsity ${(100 * share(state.masks)).toFixed(1)}% in the pruned layers, ${plan.jackpot.layerwise} layer rates)`];
  };

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (state.finished || t < plan.from) return [];
    if (!state.frozen) return start(params);
    const epoch = Math.floor(t / Math.max(1, stepsPerEpoch)) - (t % Math.max(1, stepsPerEpoch) === 0 ? 1 : 0);
    // The swap follows the previous step's optimizer update, in that step's epoch.
    const rate = Math.ceil((1 - Math.max(0, epoch) / Math.max(1, plan.jackpot.epochs)) ** 4);
    state.masks = state.masks.map((b, k) => swapped(params[plan.targets[k] ?? 0] ?? new Float32Array(), b, state.pruneNum[k] ?? 0, rate));
    if (t >= plan.to) {
      state.finished = true;
      return [`finished: mask fixed, sparsity ${(100 * share(state.masks)).toFixed(1)}% in the pruned layers`];
    }
    return [];
  };

  return {
    plan,
    needsWeights: (t) => !state.finished && t >= plan.from,
    beforeStep,
    masksOf: (param) => {
      const k = slot.get(param);
      const m = k === undefined ? undefined : state.masks[k];
      const keep = k === undefined ? undefined : ones[k];
      return m && keep ? { mask: m, keep } : undefined;
    },
    // The model computes with W₀ ⊙ b (the slots hold the scores once the search started).
    effective: (params) => params.map((p, i) => {
      const k = slot.get(i);
      const w = k === undefined ? undefined : state.frozen?.[k];
      const m = k === undefined ? undefined : state.masks[k];
      return w && m ? w.map((v, j) => v * (m[j] ?? 0)) : p;
    }),
    metrics: (params, requested) => {
      const out: Record<string, number> = {};
      if (requested.has('sparsity')) for (const i of plan.targets) out[`sparsity/${infos[i]?.layer ?? ''}`] = zeroShare(params[i] ?? []);
      const p = plan.pattern;
      if (requested.has('nm_conformance') && p) for (const i of plan.targets) out[`nm_conformance/${infos[i]?.layer ?? ''}`] = nmConformance(params[i] ?? [], rowLengthOf(infos[i]?.shape ?? []), p.n, p.m);
      return out;
    },
    structure: (param) => {
      const k = slot.get(param);
      return k === undefined || !state.frozen ? undefined : state.masks[k];
    },
    replacement: () => {
      const p = state.pending;
      state.pending = undefined;
      return p;
    },
    frozenWeightOf: (param) => {
      const k = slot.get(param);
      return k === undefined ? undefined : state.frozen?.[k] ?? new Float32Array(sizes[k] ?? 0);
    },
  };
}

/** Each layer's prune rate: from one global |w| threshold (generate_pr_cfg 'l1'), or the sparsity everywhere. */
export function layerRates(weights: readonly Float32Array[], sparsity: number, layerwise: 'l1' | 'uniform'): number[] {
  if (layerwise === 'uniform') return weights.map(() => sparsity);
  const all = Float32Array.from(weights.flatMap((w) => Array.from(w, Math.abs))).sort();
  const preserve = Math.floor(all.length * (1 - sparsity));
  // The preserve-th largest |w| is the threshold; a layer prunes its share strictly below it.
  const threshold = preserve > 0 ? all[all.length - preserve] ?? 0 : Number.POSITIVE_INFINITY;
  return weights.map((w) => (w.length === 0 ? 0 : Array.from(w).filter((v) => Math.abs(v) < threshold).length / w.length));
}

/** The swap of final_pop_up on one layer: returns the new mask (the input is not changed). */
export function swapped(scores: ArrayLike<number>, mask: Float32Array, pruneNum: number, rate: number): Float32Array {
  const out = Float32Array.from(mask);
  if (pruneNum <= 0) return out;
  const sorted = Float32Array.from(scores).sort();
  const theta = sorted[pruneNum - 1] ?? 0;
  const r: number[] = [];
  const k: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    const s = scores[i] ?? 0;
    if (mask[i] === 0 && s > theta) r.push(i);
    if (mask[i] !== 0 && s <= theta) k.push(i);
  }
  if (r.length === 0 || r.length !== k.length) return out;
  r.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  k.sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0) || a - b);
  const pop = r.length > 1 ? Math.ceil(r.length * rate) : 1;
  for (let j = 0; j < pop; j++) {
    out[r[j] ?? 0] = 1;
    out[k[j] ?? 0] = 0;
  }
  return out;
}

/** Indices of the n smallest |w| (ties: the earlier index), as torch.topk(largest=False) picks them on distinct values. */
function smallestIndices(w: Float32Array, n: number): number[] {
  return Array.from(w.keys()).sort((a, b) => Math.abs(w[a] ?? 0) - Math.abs(w[b] ?? 0) || a - b).slice(0, n);
}

function share(masks: readonly Float32Array[]): number {
  const total = masks.reduce((s, m) => s + m.length, 0);
  return total === 0 ? 0 : masks.reduce((s, m) => s + m.length * zeroShare(m), 0) / total;
}

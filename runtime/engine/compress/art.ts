// ART, HyperSparse's adaptive regularized training (catalog A50; GreenAutoML4FAS/HyperSparse
// utils/art.py, train.py, utils/misc.py ModelBuffer), as the prune block's `art` schedule:
// - before `from` (the warm-up) the model trains dense;
// - after each epoch from `from` on, a copy is magnitude-pruned to the target sparsity (one global
//   threshold over the pruned layers) and its accuracy on the epoch's training batches is measured;
//   a buffer of the last 2·buffer + 1 epochs keeps (mask, pruned weights, accuracy); when the
//   buffer's mean accuracy beats the best's, the buffer's middle element becomes the best;
// - ART ends when the best's mean pruned accuracy exceeds the dense training accuracy of the epoch
//   (or at `to`): the best's pruned weights replace the model's, and its mask is fixed and held.
// NOTE: the official code also restarts the optimizer (momentum) and the learning-rate steps for
// the fine-tune, and takes the best model's normalization statistics; here the optimizer state, the
// schedule and the buffers continue (the parameters, all of them, are the best pruned model's).

import type { ParamInfo } from '../../compiler/model';
import { magnitudeMasks, nmConformance, rowLengthOf, zeroShare } from './prune-masks';
import type { PrunePlan } from './prune-plan';
import type { Pruning } from './pruning';

export interface ArtPruning extends Pruning {
  readonly kind: 'art';
  /** True while ART runs (from `from` until it ends): the HyperSparse term applies then. */
  active(t: number): boolean;
  /** The epoch ART started in (the warm-up's length), for α = λ·η^(epoch − start). */
  readonly startEpoch: number;
  /** A copy of the model pruned to the target, to measure (weights in model order). */
  prunedCopy(weights: readonly Float32Array[]): { readonly weights: Float32Array[]; readonly masks: Float32Array[] };
  /** After an ART epoch: the pruned copy's and the dense model's training accuracy; returns what it decided. */
  epochEnd(epoch: number, pruned: { readonly weights: Float32Array[]; readonly masks: Float32Array[] }, prunedAccuracy: number, denseAccuracy: number): { readonly terminated: boolean; readonly best: number };
  /** Weights to upload before step t (the best pruned model's parameters, all of them, once, when ART ends), by parameter index. */
  replacement(t: number): ReadonlyMap<number, Float32Array> | undefined;
}

export function isArt(p: Pruning): p is ArtPruning {
  return (p as Partial<ArtPruning>).kind === 'art';
}

interface Entry {
  readonly epoch: number;
  readonly accuracy: number;
  readonly weights: Float32Array[];
  readonly masks: Float32Array[];
}

export function createArt(plan: PrunePlan & { readonly art: { readonly buffer: number } }, infos: readonly ParamInfo[], stepsPerEpoch = 1): ArtPruning {
  const shapeOf = (i: number) => infos[i]?.shape ?? [];
  const ones = plan.targets.map((i) => new Float32Array(shapeOf(i).reduce((a, b) => a * b, 1)).fill(1));
  const slot = new Map(plan.targets.map((p, k) => [p, k]));
  const size = 2 * plan.art.buffer + 1;
  const state: { buffer: Entry[]; best: (Entry & { mean: number }) | undefined; endAt: number | undefined; masks: Float32Array[]; replaced: boolean; finished: boolean } = {
    buffer: [], best: undefined, endAt: undefined, masks: ones, replaced: false, finished: false,
  };
  const end = () => Math.min(state.endAt ?? Number.POSITIVE_INFINITY, plan.to);

  const prunedCopy = (weights: readonly Float32Array[]) => {
    const masks = magnitudeMasks(plan.targets.map((i) => weights[i] ?? new Float32Array()), plan.sparsity, 'global');
    const pruned = weights.map((w, i) => {
      const k = slot.get(i);
      const m = k === undefined ? undefined : masks[k];
      return m ? w.map((v, j) => v * (m[j] ?? 0)) : Float32Array.from(w);
    });
    return { weights: pruned, masks };
  };

  const epochEnd = (epoch: number, pruned: { readonly weights: Float32Array[]; readonly masks: Float32Array[] }, prunedAccuracy: number, denseAccuracy: number) => {
    state.buffer.push({ epoch, accuracy: prunedAccuracy, weights: pruned.weights, masks: pruned.masks });
    if (state.buffer.length > size) state.buffer.shift();
    const mean = state.buffer.reduce((s, e) => s + e.accuracy, 0) / state.buffer.length;
    // art.py: the buffer's mean against the best's own accuracy; the best is the middle element.
    if (mean > (state.best?.accuracy ?? 0)) {
      const middle = state.buffer[Math.min(state.buffer.length - 1, Math.floor(size / 2))];
      if (middle) state.best = { ...middle, mean };
    }
    const terminated = state.best !== undefined && state.best.mean > denseAccuracy;
    if (terminated && state.endAt === undefined) state.endAt = (epoch + 1) * stepsPerEpoch;
    return { terminated, best: state.best?.epoch ?? -1 };
  };

  const finish = (t: number, params: readonly Float32Array[]): string[] => {
    state.finished = true;
    const chosen = state.best ?? { ...prunedCopy(params), epoch: -1, accuracy: 0, mean: 0 };
    state.masks = chosen.masks;
    return [`finished at step ${t}: ${state.endAt !== undefined && t >= state.endAt ? 'ART ended' : 'reached `to`'}, the pruned model of ${chosen.epoch >= 0 ? `epoch ${chosen.epoch + 1}` : 'this step'} kept (sparsity ${(100 * share(chosen.masks)).toFixed(1)}% in the pruned layers)`];
  };
  let pendingWeights: Float32Array[] | undefined;

  return {
    kind: 'art',
    plan,
    startEpoch: Math.floor(plan.from / Math.max(1, stepsPerEpoch)),
    active: (t) => t >= plan.from && t < end() && !state.finished,
    prunedCopy,
    epochEnd,
    needsWeights: (t) => !state.finished && (t >= end() || t === plan.from),
    beforeStep(t, params) {
      if (state.finished || t < end()) return t === plan.from && !state.finished ? [`started (ART: magnitude pruning to ${(plan.sparsity * 100).toFixed(1)}% measured after every epoch)`] : [];
      const notes = finish(t, params);
      pendingWeights = (state.best?.weights ?? prunedCopy(params).weights);
      return notes;
    },
    replacement(t) {
      if (!pendingWeights || state.replaced || t < end()) return undefined;
      state.replaced = true;
      const w = pendingWeights;
      pendingWeights = undefined;
      return new Map(w.map((v, i) => [i, v]));
    },
    masksOf(param) {
      const k = slot.get(param);
      const m = k === undefined ? undefined : state.masks[k];
      return m ? { mask: m, keep: m } : undefined;
    },
    effective: (params) => params.map((p, i) => {
      const k = slot.get(i);
      const m = k === undefined ? undefined : state.masks[k];
      return m ? p.map((v, j) => v * (m[j] ?? 0)) : p;
    }),
    metrics(params, requested) {
      const out: Record<string, number> = {};
      if (requested.has('sparsity')) for (const i of plan.targets) out[`sparsity/${infos[i]?.layer ?? ''}`] = zeroShare(params[i] ?? []);
      const p = plan.pattern;
      if (requested.has('nm_conformance') && p) for (const i of plan.targets) out[`nm_conformance/${infos[i]?.layer ?? ''}`] = nmConformance(params[i] ?? [], rowLengthOf(shapeOf(i)), p.n, p.m);
      return out;
    },
    structure: (param) => {
      const k = slot.get(param);
      return k === undefined || state.masks === ones ? undefined : state.masks[k];
    },
  };
}

function share(masks: readonly Float32Array[]): number {
  const total = masks.reduce((s, m) => s + m.length, 0);
  return total === 0 ? 0 : masks.reduce((s, m) => s + m.length * zeroShare(m), 0) / total;
}

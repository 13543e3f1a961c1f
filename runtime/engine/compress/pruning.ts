// Pruning during a run: which masks hold at each step, the weights the model really has (W⊙m),
// and the per-layer statistics. The train step applies the masks (compiler/compress/masked-weight.ts);
// this module only decides them, on the host, at the schedule's points:
// - magnitude + oneshot: one mask at the target sparsity at `from`, fixed afterwards;
// - magnitude + gradual: a new mask every `every` steps between `from` and `to` at Zhu & Gupta's s(t),
//   the final one at `to` (pruned weights are already zero, so they stay pruned);
// - srste: between `from` and `to` the N:M mask is recomputed every step from the dense weights and
//   gradients pass straight through (keep = 1); at `to` the mask is fixed and the weights are held at 0.
// With an N:M pattern every mask is the N:M magnitude mask (the schedule only says when).

import type { ParamInfo } from '../../compiler/model';
import { magnitudeMasks, nmConformanceFor, nmMaskFor, scheduledSparsity, zeroShare } from './prune-masks';
import type { PrunePlan } from './prune-plan';

export interface Pruning {
  readonly plan: PrunePlan;
  /** Whether `beforeStep(t)` looks at the weights (a mask is computed then), so the caller downloads them only when it does. */
  needsWeights(t: number): boolean;
  /** Called before step t (t steps done): updates the masks when the schedule says so; returns what changed, for phase events. */
  beforeStep(t: number, params: readonly Float32Array[]): readonly string[];
  /** The current forward mask and keep mask of a targeted parameter. */
  masksOf(param: number): { readonly mask: Float32Array; readonly keep: Float32Array } | undefined;
  /** The weights the model computes with: W⊙m for the targets (differs from W only under SR-STE). */
  effective(params: readonly Float32Array[]): Float32Array[];
  /** `sparsity/<layer>` (when `sparsity` is requested) and `nm_conformance[/<layer>]` (when requested, with a pattern). */
  metrics(params: readonly Float32Array[], requested: ReadonlySet<string>): Record<string, number>;
  /**
   * The binary mask in force for the flip rate (passes/flip-rate.ts), when it differs from
   * `masksOf(param).mask` or is absent (undefined: the layer is dense). Without it the forward mask is used.
   */
  structure?(param: number): Float32Array | undefined;
  /** Bi-Mask: the backward mask m_b of a targeted parameter (its layer's input gradient uses W⊙m_b). */
  backwardMaskOf?(param: number): Float32Array | undefined;
  /** Parameters to upload before step t (ART's best pruned model, Lottery Jackpots' initial scores), by index. */
  replacement?(t: number): ReadonlyMap<number, Float32Array> | undefined;
  /** Lottery Jackpots: the frozen pretrained weight of a searched parameter (whose slot holds its scores). */
  frozenWeightOf?(param: number): Float32Array | undefined;
}

export function createPruning(plan: PrunePlan, infos: readonly ParamInfo[]): Pruning {
  const ones: Float32Array[] = plan.targets.map((i) => new Float32Array(sizeOf(infos[i]?.shape ?? [])).fill(1));
  const slot = new Map(plan.targets.map((p, k) => [p, k]));
  const phase: { masks: Float32Array[]; keep: Float32Array[]; started: boolean; finished: boolean } = { masks: ones, keep: ones, started: false, finished: false };
  const weightsOf = (params: readonly Float32Array[]) => plan.targets.map((i) => params[i] ?? new Float32Array());
  const compute = (params: readonly Float32Array[], sparsity: number): Float32Array[] => {
    const ws = weightsOf(params);
    const p = plan.pattern;
    if (p) return ws.map((w, k) => nmMaskFor(w, infos[plan.targets[k] ?? 0] ?? { shape: [] }, p.n, p.m));
    return magnitudeMasks(ws, sparsity, plan.scope);
  };
  const share = () => percent(phase.masks.reduce((s, m) => s + m.length * zeroShare(m), 0) / Math.max(1, phase.masks.reduce((s, m) => s + m.length, 0)));
  const what = plan.pattern ? `${plan.pattern.n}:${plan.pattern.m}` : `sparsity ${percent(plan.sparsity)}`;

  const beforeStep = (t: number, params: readonly Float32Array[]): string[] => {
    if (t < plan.from || phase.finished) return [];
    const notes: string[] = [];
    const setMask = (sparsity: number, hold: boolean) => {
      phase.masks = compute(params, sparsity);
      phase.keep = hold ? phase.masks : ones;
    };
    if (t >= plan.to) {
      setMask(plan.sparsity, true);
      if (!phase.started) notes.push(`started (${what}, ${plan.method})`);
      phase.started = true;
      phase.finished = true;
      notes.push(`finished: mask fixed, sparsity ${share()} in the pruned layers`);
      return notes;
    }
    if (plan.method === 'srste') {
      // Masks are relearned every step; the keep mask stays all ones until `to`.
      setMask(plan.sparsity, false);
      if (!phase.started) notes.push(`started (${what}, SR-STE with decay ${plan.decay}: masks recomputed every step)`);
    } else if (plan.schedule.kind === 'oneshot') {
      if (!phase.started) {
        setMask(plan.sparsity, true);
        notes.push(`started (${what}, one-shot): sparsity ${share()} in the pruned layers`);
      }
    } else if ((t - plan.from) % plan.schedule.every === 0) {
      const s = scheduledSparsity(t, { from: plan.from, to: plan.to, initial: plan.schedule.initial, final: plan.sparsity, exponent: plan.schedule.exponent });
      setMask(s, true);
      notes.push(`${phase.started ? 'mask updated' : `started (${what}, gradual)`}: sparsity ${share()} in the pruned layers`);
    }
    phase.started = true;
    return notes;
  };

  const needsWeights = (t: number): boolean => {
    if (t < plan.from || phase.finished) return false;
    if (t >= plan.to || plan.method === 'srste') return true;
    if (plan.schedule.kind === 'oneshot') return !phase.started;
    return (t - plan.from) % plan.schedule.every === 0;
  };

  const masksOf = (param: number) => {
    const k = slot.get(param);
    const mask = k === undefined ? undefined : phase.masks[k];
    const keep = k === undefined ? undefined : phase.keep[k];
    return mask && keep ? { mask, keep } : undefined;
  };

  const effective = (params: readonly Float32Array[]): Float32Array[] =>
    params.map((p, i) => {
      const m = masksOf(i)?.mask;
      if (!m) return p;
      const out = new Float32Array(p.length);
      for (let k = 0; k < p.length; k++) out[k] = (p[k] ?? 0) * (m[k] ?? 0);
      return out;
    });

  const metrics = (params: readonly Float32Array[], requested: ReadonlySet<string>): Record<string, number> => {
    const out: Record<string, number> = {};
    const byLayer = new Map<string, Float32Array[]>();
    for (const i of plan.targets) {
      const layer = infos[i]?.layer ?? '';
      byLayer.set(layer, [...(byLayer.get(layer) ?? []), params[i] ?? new Float32Array()]);
    }
    if (requested.has('sparsity')) {
      for (const [layer, ws] of byLayer) out[`sparsity/${layer}`] = weighted(ws.map((w) => [zeroShare(w), w.length]));
    }
    const p = plan.pattern;
    if (requested.has('nm_conformance') && p) {
      const parts: [number, number][] = [];
      for (const i of plan.targets) {
        const w = params[i] ?? new Float32Array();
        const c = nmConformanceFor(w, infos[i] ?? { shape: [] }, p.n, p.m);
        parts.push([c, w.length / p.m]);
        const layer = infos[i]?.layer ?? '';
        out[`nm_conformance/${layer}`] = c;
      }
      out['nm_conformance'] = weighted(parts);
    }
    return out;
  };

  return { plan, needsWeights, beforeStep, masksOf, effective, metrics };
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

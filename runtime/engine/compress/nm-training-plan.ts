// The settings of the N:M training methods (issue 15), read from the prune block's method:
// transposable 2:4 with masked decay (catalog A46), Progressive Gradient Flow (A45) and Bi-Mask (A44). Steps
// are 0-based counts of steps done.

import { isDuration, isTechnique, num, type PlanValue } from '../../catalog';

export type NmTrainingPlan = TransposablePlan | PgfPlan | BiMaskPlan;

export interface TransposablePlan {
  readonly kind: 'transposable';
  /** Steps between mask updates. */
  readonly every: number;
  /** Masked decay α, added to the gradient after clipping. */
  readonly decay: number;
  /** At `to`: fix the last mask, or train dense. */
  readonly finish: 'fixed' | 'dense';
}

export interface PgfPlan {
  readonly kind: 'pgf';
  /** How the pruned entries' factor d_t falls: 1 − c·t (linear), e^(−c·t) (exp), 0 (step). */
  readonly decay: 'linear' | 'exp' | 'step';
  readonly coef: number;
  /** The N:M pattern of each frame, from its first step on; one frame without structure decay. */
  readonly frames: readonly { readonly start: number; readonly n: number; readonly m: number }[];
  /** First step of the binary fine-tune (d = 0), ≤ the end of the prune window. */
  readonly fineTuneFrom: number;
  /** PGF has no decay term in the step (its SR-STE variant is the `srste` method). */
  readonly decayLambda: 0;
}

export interface BiMaskPlan {
  readonly kind: 'bimask';
  /** Steps between permutation searches (the official `iter`). */
  readonly every: number;
  /** Random permutations tried per search (the official `greedy_num`). */
  readonly candidates: number;
  /** λ on the pruned weights' gradients, (1 − m_f)⊙W, as SR-STE's. */
  readonly decay: number;
  /** The recipe's seed, for the candidate permutations. */
  readonly seed: number;
}

/** Where the prune window lies: `from`, `to` (the end of training when not written), and the pattern. */
export interface NmWindow {
  readonly from: number;
  readonly end: number;
  readonly pattern: { readonly n: number; readonly m: number };
  readonly seed: number;
}

/** The method's plan, or undefined when the method is not an N:M training method. */
export function nmTrainingOf(method: PlanValue | undefined, stepsPerEpoch: number, window: NmWindow): NmTrainingPlan | undefined {
  if (!isTechnique(method)) return undefined;
  const steps = (v: PlanValue | undefined, fallback: number) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : fallback);
  if (method.name === 'transposable') {
    return { kind: 'transposable', every: Math.max(1, steps(method.args['every'], 40)), decay: num(method.args['decay']) ?? 6e-5, finish: method.args['finish'] === 'dense' ? 'dense' : 'fixed' };
  }
  if (method.name === 'pgf') {
    const decay = method.args['decay'] === 'exp' ? 'exp' : method.args['decay'] === 'step' ? 'step' : 'linear';
    const fineTuneFrom = Math.max(window.from, window.end - steps(method.args['fine_tune'], 0));
    const frames = method.args['structure'] === true ? structureFrames(window.from, fineTuneFrom, window.pattern) : [{ start: window.from, ...window.pattern }];
    return { kind: 'pgf', decay, coef: num(method.args['coef']) ?? 1e-3, frames, fineTuneFrom, decayLambda: 0 };
  }
  if (method.name === 'bimask') {
    return { kind: 'bimask', every: Math.max(1, steps(method.args['every'], 100)), candidates: Math.max(1, num(method.args['candidates']) ?? 10), decay: num(method.args['decay']) ?? 2e-4, seed: window.seed };
  }
  return undefined;
}

/**
 * PGF's structure decay (SparseLinear.__init__ of the official code, in steps): log2(M/N) equal
 * frames over [from, fineTuneFrom) holding (M−1):M, then M/2:M, M/4:M, …, and N:M from the last
 * boundary, which is fineTuneFrom. The checker requires M/N to be a power of two.
 */
export function structureFrames(from: number, fineTuneFrom: number, pattern: { readonly n: number; readonly m: number }): { start: number; n: number; m: number }[] {
  const count = Math.floor(Math.log2(pattern.m / pattern.n));
  if (count < 1) return [{ start: from, ...pattern }];
  const size = (fineTuneFrom - from) / count;
  return Array.from({ length: count + 1 }, (_, i) => ({ start: from + Math.floor(i * size), n: i === 0 ? pattern.m - 1 : Math.floor(pattern.m / 2 ** i), m: pattern.m }));
}

/** PGF's factor on the pruned entries at step t (t steps done): the official LinearDecay/ExponentialDecay. */
export function pgfDecayFactor(plan: PgfPlan, t: number): number {
  if (t >= plan.fineTuneFrom || plan.decay === 'step') return 0;
  return plan.decay === 'linear' ? Math.max(1 - plan.coef * t, 0) : Math.exp(-plan.coef * t);
}

/** The train step's decay for the plan: its λ and whether it is added after gradient clipping. */
export function nmStepDecay(plan: NmTrainingPlan): { readonly decay: number; readonly afterClip: boolean } {
  if (plan.kind === 'transposable') return { decay: plan.decay, afterClip: true };
  return { decay: plan.kind === 'bimask' ? plan.decay : plan.decayLambda, afterClip: false };
}

// The settings of the N:M training methods (issue 15), read from the prune block's method:
// transposable 2:4 with masked decay (catalog A46). Steps are 0-based counts of steps done.

import { isDuration, isTechnique, num, type PlanValue } from '../../catalog';

export type NmTrainingPlan = TransposablePlan;

export interface TransposablePlan {
  readonly kind: 'transposable';
  /** Steps between mask updates. */
  readonly every: number;
  /** Masked decay α, added to the gradient after clipping. */
  readonly decay: number;
  /** At `to`: fix the last mask, or train dense. */
  readonly finish: 'fixed' | 'dense';
}

/** The method's plan, or undefined when the method is not an N:M training method. */
export function nmTrainingOf(method: PlanValue | undefined, stepsPerEpoch: number): NmTrainingPlan | undefined {
  if (!isTechnique(method)) return undefined;
  const steps = (v: PlanValue | undefined, fallback: number) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : fallback);
  if (method.name === 'transposable') {
    return { kind: 'transposable', every: Math.max(1, steps(method.args['every'], 40)), decay: num(method.args['decay']) ?? 6e-5, finish: method.args['finish'] === 'dense' ? 'dense' : 'fixed' };
  }
  return undefined;
}

/** The train step's decay for the plan: its λ and whether it is added after gradient clipping. */
export function nmStepDecay(plan: NmTrainingPlan): { readonly decay: number; readonly afterClip: boolean } {
  return { decay: plan.decay, afterClip: plan.kind === 'transposable' };
}

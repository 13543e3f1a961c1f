// What the prune block asks for, in steps and parameter indices: read once from the checked
// recipe (whose plan already filled `layers`, `from`, `to` and `sparsity`).

import { isDuration, isRatio, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { compressTargets } from './targets';
import type { ParamInfo } from '../../compiler/model';
import { nmStepDecay, nmTrainingOf, type NmTrainingPlan } from './nm-training-plan';

export interface PrunePlan {
  /** Indices into the model's params: the weights of the targeted layers. */
  readonly targets: readonly number[];
  readonly method: 'magnitude' | 'srste';
  readonly scope: 'global' | 'layer';
  readonly pattern?: { readonly n: number; readonly m: number };
  readonly sparsity: number;
  readonly schedule: { readonly kind: 'oneshot' } | { readonly kind: 'gradual'; readonly every: number; readonly exponent: number; readonly initial: number };
  /** Steps (0-based count of steps done) at which pruning starts and ends. */
  readonly from: number;
  readonly to: number;
  /** SR-STE's λ_W; 0 for magnitude pruning. */
  readonly decay: number;
  /** Issue 15: an N:M training method (nm-training.ts), which decides the masks instead of `method`. */
  readonly nm?: NmTrainingPlan;
  /** Issue 15: the `art` schedule (art.ts): HyperSparse's adaptive regularized training decides when to prune. */
  readonly art?: { readonly buffer: number };
  /** Issue 15: Lottery Jackpots (jackpot.ts): a mask search over the targets' frozen weights. */
  readonly jackpot?: { readonly layerwise: 'l1' | 'uniform'; readonly epochs: number };
}

export function prunePlanOf(recipe: CheckedRecipe, params: readonly ParamInfo[], stepsPerEpoch: number): PrunePlan | undefined {
  const block = recipe.blocks['prune'];
  if (!block) return undefined;
  const a = block.attrs;
  // obc prunes once after training, from calibration Hessians: its own pass (passes/obc-pass.ts).
  if (isTechnique(a['method']) && a['method'].name === 'obc') return undefined;
  // An imported model's default targets follow the built-in rule (compress/targets.ts), except
  // that jackpot searches every trained weight (freezing the classifier keeps it dense, as the
  // official code does).
  const jackpotMethod = isTechnique(a['method']) && a['method'].name === 'jackpot';
  const targets = compressTargets(recipe, 'prune', params, jackpotMethod ? 'all' : undefined);
  const method = a['method'];
  const schedule = a['schedule'];
  const pattern = isRatio(a['pattern']) ? a['pattern'] : isTechnique(method) && isRatio(method.args['pattern']) ? method.args['pattern'] : undefined;
  const srste = isTechnique(method) && method.name === 'srste' && pattern !== undefined;
  const steps = (v: PlanValue | undefined, fallback: number) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : fallback);
  const from = steps(a['from'], 0);
  const epochs = num(recipe.blocks['train']?.attrs['epochs']) ?? 0;
  const nm = pattern ? nmTrainingOf(method, stepsPerEpoch, { from, end: Math.min(steps(a['to'], Number.POSITIVE_INFINITY), epochs * stepsPerEpoch), pattern, seed: recipe.seed }) : undefined;
  return {
    targets,
    method: srste ? 'srste' : 'magnitude',
    scope: isTechnique(method) && method.args['scope'] === 'layer' ? 'layer' : 'global',
    ...(pattern ? { pattern: { n: pattern.n, m: pattern.m } } : {}),
    sparsity: num(a['sparsity']) ?? (pattern ? 1 - pattern.n / pattern.m : 0.5),
    schedule: isTechnique(schedule) && schedule.name === 'gradual'
      ? { kind: 'gradual', every: Math.max(1, steps(schedule.args['every'], stepsPerEpoch)), exponent: num(schedule.args['exponent']) ?? 3, initial: num(schedule.args['initial']) ?? 0 }
      : { kind: 'oneshot' },
    from: steps(a['from'], 0),
    to: steps(a['to'], Number.POSITIVE_INFINITY),
    decay: srste && isTechnique(method) ? (num(method.args['decay']) ?? 2e-4) : nm ? nmStepDecay(nm).decay : 0,
    ...(nm ? { nm } : {}),
    ...(isTechnique(schedule) && schedule.name === 'art' && !pattern ? { art: { buffer: Math.max(0, num(schedule.args['buffer']) ?? 1) } } : {}),
    ...(isTechnique(method) && method.name === 'jackpot' && !pattern ? { jackpot: { layerwise: method.args['layerwise'] === 'uniform' ? 'uniform' : 'l1', epochs } } : {}),
  };
}


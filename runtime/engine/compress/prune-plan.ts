// What the prune block asks for, in steps and parameter indices: read once from the checked
// recipe (whose plan already filled `layers`, `from`, `to` and `sparsity`).

import { isDuration, isLayerRef, isList, isRatio, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';

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
}

export function prunePlanOf(recipe: CheckedRecipe, params: readonly ParamInfo[], stepsPerEpoch: number): PrunePlan | undefined {
  const block = recipe.blocks['prune'];
  if (!block) return undefined;
  const a = block.attrs;
  // obc prunes once after training, from calibration Hessians: its own pass (passes/obc-pass.ts).
  if (isTechnique(a['method']) && a['method'].name === 'obc') return undefined;
  const layers = new Set(isList(a['layers']) ? a['layers'].filter(isLayerRef).map((r) => r.name) : []);
  const targets = params.flatMap((p, i) => (p.compressible && layers.has(p.layer) ? [i] : []));
  const method = a['method'];
  const schedule = a['schedule'];
  const pattern = isRatio(a['pattern']) ? a['pattern'] : isTechnique(method) && isRatio(method.args['pattern']) ? method.args['pattern'] : undefined;
  const srste = isTechnique(method) && method.name === 'srste' && pattern !== undefined;
  const steps = (v: PlanValue | undefined, fallback: number) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : fallback);
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
    decay: srste && isTechnique(method) ? (num(method.args['decay']) ?? 2e-4) : 0,
  };
}

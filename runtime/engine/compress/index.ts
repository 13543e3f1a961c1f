// Compression on the host side of a run: pruning masks and schedules (the graph side is in
// compiler/compress). Knows nothing about the run loop itself; run.ts calls in at a few points.

import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import { prunePlanOf } from './prune-plan';
import { createPruning, type Pruning } from './pruning';

export * from './prune-masks';
export * from './prune-plan';
export * from './pruning';
export { pruneFeeds } from './prune-feeds';

/** The run's pruning, or undefined when the recipe has no prune block. */
export function pruningFor(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): Pruning | undefined {
  const plan = prunePlanOf(recipe, infos, stepsPerEpoch);
  return plan ? createPruning(plan, infos) : undefined;
}
export * from './quantize';
export * from './ptq';
export * from './qat';
export * from './lowrank';
export * from './svd';
export * from './factor';
export * from './activations';
export * from './export';
export * from './fwsvd';
export * from './obc';
export * from './obc-plan';

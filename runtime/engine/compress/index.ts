// Compression on the host side of a run: pruning masks and schedules (the graph side is in
// compiler/compress). Knows nothing about the run loop itself; run.ts calls in at a few points.

import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import { prunePlanOf } from './prune-plan';
import { createPruning, type Pruning } from './pruning';
import { createNmTraining } from './nm-training';
import { createArt } from './art';
import { createJackpot } from './jackpot';

export * from './prune-masks';
export * from './prune-plan';
export * from './pruning';
export * from './nm-training-plan';
export { createArt, isArt, type ArtPruning } from './art';
export { createJackpot, layerRates, swapped } from './jackpot';
export { transposableMask, isTransposable24, TRANSPOSABLE_PATTERNS } from './transposable-mask';
export { pruneFeeds } from './prune-feeds';

/** The run's pruning, or undefined when the recipe has no prune block. */
export function pruningFor(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): Pruning | undefined {
  const plan = prunePlanOf(recipe, infos, stepsPerEpoch);
  if (!plan) return undefined;
  // Issue 15: the N:M training methods decide their own masks.
  if (plan.nm) return createNmTraining({ ...plan, nm: plan.nm }, infos);
  if (plan.art) return createArt({ ...plan, art: plan.art }, infos, stepsPerEpoch);
  if (plan.jackpot) return createJackpot({ ...plan, jackpot: plan.jackpot }, infos, stepsPerEpoch);
  return createPruning(plan, infos);
}
export * from './quantize';
export * from './ptq';
export * from './qat';
export * from './lowrank';
export * from './svd';
export * from './factor';
export * from './activations';
export * from './export';
export { compressTargets, compressionProblem } from './targets';
export * from './fwsvd';
export * from './obc';
export * from './obc-plan';

// The passes of a run, in the order they act within a step: compression first (masks, then
// projections, then quantization, each seeing the weights the one before left), then the loss's
// helpers and the batch's transforms (augmentations, then mixup), then the measurements. Adding a technique that acts during training is one pass file
// and one line here; the training loop (run.ts) does not change.

import { isTechnique, type PlanValue, type TechniqueUse } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import type { LossFn } from '../../compiler/step';
import type { Augmentation, Standardizer } from '../data';
import { augmentPass } from './augment-pass';
import { lowrankPass } from './lowrank-pass';
import { fwsvdPass } from './fwsvd-pass';
import { obcPass } from './obc-pass';
import { dpPass } from './dp-pass';
import { leastVolumePass } from './least-volume-pass';
import { effectiveStepPass, probesPass } from './metric-passes';
import { mixupPass } from './mixup-pass';
import type { PassPlan } from './pass';
import { ptqPass } from './ptq-pass';
import { pruningPlan } from './pruning-pass';
import { hypersparsePass } from './hypersparse-pass';
import { qatPass } from './qat-pass';
import { safPass } from './saf-pass';
import { stepMetricsPass } from './step-metrics-pass';
import { deepzeroPass } from './deepzero-pass';

export * from './pass';
export { mergeContributions } from './export-contribution';
export { createDeviceFeeds } from './device-feeds';

export interface PassContext {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly seed: number;
  readonly stepsPerEpoch: number;
  readonly trainExamples: number;
  readonly targetWidth: number;
  readonly classification: boolean;
  /** One example's shape, and the standardization the examples went through (crop pads with black). */
  readonly inputShape: readonly number[];
  readonly standardizer: Standardizer;
  /** The data block's augmentations; none when empty. */
  readonly augment: readonly Augmentation[];
  /** SAF, when the optimizer is wrapped in it. */
  readonly saf?: TechniqueUse;
  /** The report's metric uses, and how often the costly ones run (epochs). */
  readonly metrics: readonly TechniqueUse[];
  readonly probeEvery: number;
}

export function planPasses(recipe: CheckedRecipe, c: PassContext): PassPlan[] {
  const regularizers = Array.isArray(recipe.blocks['train']?.attrs['regularizers']) ? (recipe.blocks['train']?.attrs['regularizers'] as readonly PlanValue[]).filter(isTechnique) : [];
  const mixup = regularizers.find((r) => r.name === 'mixup');
  // Issue 15: the pruning pass (and ART's phase, which the hypersparse regularizer follows).
  const pruning = pruningPlan(recipe, c.model, c.stepsPerEpoch, { loss: c.loss, targetWidth: c.targetWidth, flipRate: c.metrics.some((m) => m.name === 'flip_rate') });
  const hypersparse = regularizers.find((r) => r.name === 'hypersparse');
  const optimizer = recipe.blocks['train']?.attrs['optimizer'];
  const deepzero = isTechnique(optimizer) && optimizer.entryKind === 'wrapper' && optimizer.name === 'deepzero' ? optimizer : undefined;
  const plans = [
    pruning?.plan,
    hypersparse ? hypersparsePass(hypersparse, c.model, pruning?.art) : undefined,
    obcPass(recipe, c.model),
    lowrankPass(recipe, c.model, c.stepsPerEpoch),
    fwsvdPass(recipe, { model: c.model, loss: c.loss, targetWidth: c.targetWidth, stepsPerEpoch: c.stepsPerEpoch }),
    qatPass(recipe, c.model, c.stepsPerEpoch),
    ptqPass(recipe, c.model),
    leastVolumePass(recipe, c.model),
    dpPass(recipe, { model: c.model, loss: c.loss, targetWidth: c.targetWidth, seed: c.seed, trainExamples: c.trainExamples }),
    c.saf ? safPass(c.saf, c.trainExamples, c.targetWidth, c.stepsPerEpoch) : undefined,
    // Examples are augmented one by one before mixup mixes pairs of them, as in torchvision.
    c.augment.length > 0 ? augmentPass(c.augment, c.seed, c.inputShape, c.standardizer) : undefined,
    mixup ? mixupPass(mixup, c.seed) : undefined,
    c.metrics.some((m) => m.name === 'effective_step') ? effectiveStepPass() : undefined,
    // A15/A16: the wrapper's per-step metrics, when its step outputs any; A20: DeepZero's masks and directions.
    stepMetricsPass(),
    deepzero ? deepzeroPass(deepzero, c.model.params, c.seed, c.stepsPerEpoch) : undefined,
    probesPass(c.metrics, { model: c.model, loss: c.loss, targetWidth: c.targetWidth, classification: c.classification, seed: c.seed, every: c.probeEvery }),
  ];
  return plans.filter((p): p is PassPlan => p !== undefined);
}

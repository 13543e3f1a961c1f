// The graphs a run executes: the passes a recipe plans, the fused train step they shape and the
// evaluation step. Shared by the training loop and `minima debug placement`, so what is inspected
// is what runs.

import type { CheckedRecipe } from '../checker';
import { isDuration, isTechnique, type PlanValue, type TechniqueUse } from '../catalog';
import { buildEvalStep, buildTrainStep, type EvalStepGraph, type TrainStepGraph, type TrainStepSpec } from '../compiler/step';
import { planPasses, type PassPlan } from './passes';
import type { RunSetup } from './run-setup';

export interface RunGraphs {
  readonly plans: readonly PassPlan[];
  readonly step: TrainStepGraph;
  readonly evalStep: EvalStepGraph;
}

export function buildRunGraphs(recipe: CheckedRecipe, setup: RunSetup): RunGraphs {
  const { model, loss, targetWidth, stepsPerEpoch } = setup;
  const plans = planPasses(recipe, {
    model,
    loss,
    seed: recipe.seed,
    stepsPerEpoch,
    trainExamples: setup.trainSet.count,
    targetWidth,
    classification: setup.classification,
    inputShape: setup.trainSet.inputShape,
    standardizer: setup.standardizer,
    augment: setup.augment,
    ...(setup.saf ? { saf: setup.saf } : {}),
    metrics: metricUses(recipe),
    probeEvery: everyEpochs(recipe, stepsPerEpoch),
  });
  const spec: TrainStepSpec = Object.assign(
    {
      model,
      loss,
      optimizer: { builder: setup.optimizer, hp: setup.base.args },
      ...(setup.wrapper ? { wrapper: { builder: setup.wrapper.builder, hp: setup.wrapper.use.args } } : {}),
      targetWidth,
      dtype: 'float32' as const,
      ...(reportsGradNorm(recipe) ? { gradNorm: true } : {}),
      ...(setup.gradClip !== undefined ? { gradClip: setup.gradClip } : {}),
      ...(setup.l2 > 0 ? { l2: setup.l2 } : {}),
    },
    ...plans.map((p) => p.spec ?? {}),
  );
  return { plans, step: buildTrainStep(spec), evalStep: buildEvalStep(model, loss, targetWidth, 'float32') };
}

/**
 * Whether the report asks for the per-step `grad_norm`: the train step computes the global
 * gradient norm only then (catalog: grad_norm), since it reads every gradient once more.
 */
export function reportsGradNorm(recipe: CheckedRecipe): boolean {
  return metricUses(recipe).some((m) => m.name === 'grad_norm');
}

/** The report's metric uses. */
export function metricUses(recipe: CheckedRecipe): TechniqueUse[] {
  const metrics = recipe.blocks['report']?.attrs['metrics'];
  return Array.isArray(metrics) ? (metrics as readonly PlanValue[]).filter(isTechnique) : [];
}

/** The report's `every` in whole epochs (at least 1): costly probes run at that cadence and after the last epoch. */
function everyEpochs(recipe: CheckedRecipe, stepsPerEpoch: number): number {
  const every = recipe.blocks['report']?.attrs['every'];
  if (!isDuration(every)) return 1;
  const epochs = every.unit === 'ep' ? every.value : every.value / Math.max(1, stepsPerEpoch);
  return Math.max(1, Math.round(epochs));
}

// A bench workload's float32 train step, built as the engine builds a recipe's: its model (the
// recipe's layers, or the file PyTorch exported for the transformer, imported as `model onnx(…)`
// is), loss, optimizer and wrapper. Shared by the engine processes of `npm run bench:train`
// (train-engine.ts) and the graph tool bench/step-profile.ts.

import * as fs from 'node:fs';
import { isTechnique } from '../runtime/catalog';
import type { CheckedRecipe } from '../runtime/checker';
import { buildLoss } from '../runtime/compiler/loss';
import { type ModelGraph, buildModel, importOnnxModel } from '../runtime/compiler/model';
import { OPTIMIZERS, WRAPPERS } from '../runtime/compiler/optim';
import { buildTrainStep, type TrainStepGraph } from '../runtime/compiler/step';
import { reportsGradNorm } from '../runtime/engine/run-graphs';
import { TRANSFORMER_ONNX, checked, type Workload } from './train-workloads';

export interface WorkloadStep {
  readonly recipe: CheckedRecipe;
  readonly model: ModelGraph;
  /** The imported file's weights (the transformer); else the model is initialized from the recipe's seed. */
  readonly initial?: { params: Float64Array[]; buffers: Float64Array[] };
  readonly step: TrainStepGraph;
  /** The base optimizer's learning rate. */
  readonly lr: number;
}

export function trainStepOf(w: Workload): WorkloadStep {
  const recipe = checked(w);
  const { model, initial } = modelOf(w, recipe);
  const opt = recipe.blocks['train']?.attrs['optimizer'];
  const lossUse = recipe.blocks['train']?.attrs['loss'];
  if (!isTechnique(opt) || !isTechnique(lossUse)) throw new Error(`${w.name}: no optimizer or loss`);
  const base = opt.entryKind === 'wrapper' ? opt.args['base'] : opt;
  if (!isTechnique(base)) throw new Error(`${w.name}: no base optimizer`);
  const builder = OPTIMIZERS.get(base.name);
  if (!builder) throw new Error(`${w.name}: ${base.name} is not compiled`);
  const wrapper = opt.entryKind === 'wrapper' ? WRAPPERS.get(opt.name) : undefined;
  const step = buildTrainStep({
    model,
    loss: (g, output, target) => buildLoss(g, lossUse, output, target),
    optimizer: { builder, hp: base.args },
    ...(wrapper ? { wrapper: { builder: wrapper, hp: opt.args } } : {}),
    targetWidth: w.classes,
    dtype: 'float32',
    // As the engine builds it (engine/run-graphs.ts): the gradient norm only when the report asks for it.
    ...(reportsGradNorm(recipe) ? { gradNorm: true } : {}),
  });
  const lr = typeof base.args['lr'] === 'number' ? base.args['lr'] : 0.01;
  return { recipe, model, ...(initial ? { initial } : {}), step, lr };
}

function modelOf(w: Workload, recipe: CheckedRecipe): { model: ModelGraph; initial?: { params: Float64Array[]; buffers: Float64Array[] } } {
  if (!w.transformer) return { model: buildModel(recipe, { inputShape: w.inputShape }) };
  const imported = importOnnxModel(fs.readFileSync(TRANSFORMER_ONNX), { inputShape: w.inputShape });
  if (!imported.ok) throw new Error(`${w.name}: ${imported.message}`);
  return { model: imported.imported.model, initial: imported.imported.initial };
}

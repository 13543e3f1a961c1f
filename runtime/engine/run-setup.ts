// What a run needs before its first step, read from the checked recipe: the data (loaded, split,
// standardized on the training split), the optimizer (possibly in a wrapper), the loss and the
// model (built or imported). Every failure is a message for the user, not a throw.

import { withTarget } from './data/reconstruction';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedRecipe } from '../checker';
import { CATALOG, isTechnique, num, type PlanValue, type TechniqueUse } from '../catalog';
import { buildModel, importOnnxModel, type ImportSummary, type ModelGraph } from '../compiler/model';
import { buildLoss } from '../compiler/loss';
import { OPTIMIZERS, WRAPPERS, NOT_COMPILED, LOSS_WRAPPERS, type OptimizerBuilder, type WrapperBuilder } from '../compiler/optim';
import type { LossFn } from '../compiler/step';
import { compressionProblem } from './compress';
import { batchCount, dataOptions, describeDataError, isDataError, loadDataset, splitDataset, standardizerFor, type Augmentation, type Dataset, type Standardizer } from './data';

export interface RunSetup {
  readonly trainSet: Dataset;
  readonly valSet: Dataset;
  /** Fitted on the training split; both sets are already standardized. */
  readonly standardizer: Standardizer;
  /** The data block's augmentations, for training batches only. */
  readonly augment: readonly Augmentation[];
  readonly batch: number;
  readonly shuffle: boolean;
  readonly classification: boolean;
  /** Classes (one-hot targets) or regression targets. */
  readonly targetWidth: number;
  readonly model: ModelGraph;
  /** Imported weights (an ONNX model); otherwise the seeded initialization. */
  readonly initial?: { readonly params: Float64Array[]; readonly buffers: Float64Array[] };
  /** An imported model: how many of its tensors train, are buffers or stay constant, and the notes to log (merged copies untied, frozen tensors). */
  readonly imported?: { readonly summary: ImportSummary; readonly notes: readonly string[] };
  readonly loss: LossFn;
  readonly base: TechniqueUse;
  readonly optimizer: OptimizerBuilder;
  readonly wrapper?: { readonly use: TechniqueUse; readonly builder: WrapperBuilder };
  /** SAF, a wrapper that changes the loss rather than the update. */
  readonly saf?: TechniqueUse;
  readonly schedule?: TechniqueUse;
  readonly gradClip?: number;
  readonly l2: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
}

export function prepareRun(recipe: CheckedRecipe, options: { readonly baseDir: string; readonly assetsDir?: string; readonly epochs?: number }): RunSetup | { readonly error: string } {
  const seed = recipe.seed;
  const dataAttrs = recipe.blocks['data']?.attrs ?? {};
  const trainAttrs = recipe.blocks['train']?.attrs ?? {};

  const loaded = loadDataset(recipe.data.source, { baseDir: options.baseDir, seed, ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}) });
  if (isDataError(loaded)) return { error: describeDataError(loaded) };
  const examples = dataOptions(dataAttrs, loaded);
  if (isDataError(examples)) return { error: describeDataError(examples) };
  const shuffle = dataAttrs['shuffle'] !== false;
  const parts = splitDataset(loaded, { split: num(dataAttrs['split']) ?? 0.8, seed, shuffle });
  const standardizer = standardizerFor(parts.train, examples.standardize);
  const trainSet = withTarget(dataAttrs['target'], standardizer.apply(parts.train));
  const valSet = withTarget(dataAttrs['target'], standardizer.apply(parts.val));
  const batch = num(dataAttrs['batch']) ?? 64;
  const classification = trainSet.task === 'classification';
  const targetWidth = classification ? (loaded.classes ?? 1) : (trainSet.targets ?? 1);

  const opt = trainAttrs['optimizer'];
  if (!isTechnique(opt)) return { error: 'the recipe has no optimizer' };
  const base = opt.entryKind === 'wrapper' ? opt.args['base'] : opt;
  if (!isTechnique(base)) return { error: `${opt.name} has no base optimizer` };
  const lossWrapper = opt.entryKind === 'wrapper' && LOSS_WRAPPERS.has(opt.name);
  const wrapper = opt.entryKind === 'wrapper' && !lossWrapper ? WRAPPERS.get(opt.name) : undefined;
  const optimizer = OPTIMIZERS.get(base.name);
  const missing = (opt.entryKind === 'wrapper' && !lossWrapper && !wrapper ? opt.name : undefined) ?? (!optimizer ? base.name : undefined);
  if (missing !== undefined || !optimizer) {
    const name = missing ?? base.name;
    return { error: `${name} is not compiled by this version of the runtime${NOT_COMPILED.has(name) ? `: ${NOT_COMPILED.get(name)}` : ''}` };
  }
  if (lossWrapper && !classification) return { error: `${opt.name} needs a classification data set (it compares per-example logits)` };
  const lossUse = trainAttrs['loss'];
  if (!isTechnique(lossUse)) return { error: 'the recipe has no loss' };
  const schedule = trainAttrs['schedule'];
  const regularizers = Array.isArray(trainAttrs['regularizers']) ? (trainAttrs['regularizers'] as readonly PlanValue[]).filter(isTechnique) : [];
  const l2 = regularizers.filter((r) => r.name === 'weight_decay').reduce((s, r) => s + (num(r.args['value']) ?? 0), 0);
  const gradClip = num(trainAttrs['grad_clip']);

  const built = buildOrImport(recipe, options.baseDir, loaded.inputShape);
  if ('error' in built) return built;
  // The checker compares the model's output with the data wherever it knows both (bundled data,
  // generators: M029); csv and idx labels are only counted here, after loading.
  const mismatch = outputMismatch(recipe, built.model.outputWidth, classification, targetWidth);
  if (mismatch !== undefined) return { error: mismatch };
  const compression = compressionProblem(recipe, built.model.params);
  if (compression !== undefined) return { error: compression };
  return {
    trainSet,
    valSet,
    standardizer,
    augment: examples.augment,
    batch,
    shuffle,
    classification,
    targetWidth,
    model: built.model,
    ...(built.initial ? { initial: built.initial } : {}),
    ...(built.imported ? { imported: built.imported } : {}),
    loss: (g, output, target) => buildLoss(g, lossUse, output, target),
    base,
    optimizer,
    ...(wrapper ? { wrapper: { use: opt, builder: wrapper } } : {}),
    ...(lossWrapper ? { saf: opt } : {}),
    ...(isTechnique(schedule) ? { schedule } : {}),
    ...(gradClip !== undefined ? { gradClip } : {}),
    l2,
    epochs: options.epochs ?? num(trainAttrs['epochs']) ?? 1,
    stepsPerEpoch: batchCount(trainSet.count, batch),
  };
}

/**
 * Why the model's output cannot be trained against the loaded targets, or undefined when it fits:
 * one score per class (or one value per regression target) per example. The message names the
 * layer to change and its line: `the labels have 2 classes, the model's last layer has 7 outputs;
 * set dense(2) on line 8`.
 */
export function outputMismatch(recipe: CheckedRecipe, outputWidth: number, classification: boolean, targetWidth: number): string | undefined {
  if (outputWidth === targetWidth) return undefined;
  const what = classification ? `the labels have ${plural(targetWidth, 'class', 'classes')}` : `the data has ${plural(targetWidth, 'target', 'targets')}`;
  if (recipe.model.source.name === 'onnx') return `${what}, but the imported model outputs ${plural(outputWidth, 'value', 'values')} per example`;
  const declared = recipe.model.declared;
  // The layer that sets the output width: the last dense layer, when nothing after it reshapes.
  let last = -1;
  declared.forEach((l, i) => {
    if (CATALOG.get(l.use.name, ['layer'])?.layer?.producesFeatures) last = i;
  });
  const layer = declared[last];
  const tail = declared[declared.length - 1];
  if (layer && num(layer.use.args['units']) === outputWidth) {
    return `${what}, the model's last layer has ${plural(outputWidth, 'output', 'outputs')}; set ${layer.use.name}(${targetWidth}) on line ${layer.line}`;
  }
  return `${what}, but the model outputs ${plural(outputWidth, 'value', 'values')} per example; end it with flatten and dense(${targetWidth})${tail ? ` after line ${tail.line}` : ''}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The recipe's model: built from its layers, or imported (with its trained weights) from an ONNX file. */
function buildOrImport(recipe: CheckedRecipe, baseDir: string, inputShape: readonly number[]): Built | { error: string } {
  const source = recipe.model.source;
  const attrs = recipe.blocks['model']?.attrs ?? {};
  const freeze = Array.isArray(attrs['freeze']) ? (attrs['freeze'] as readonly PlanValue[]).filter((v): v is string => typeof v === 'string') : undefined;
  const tie = attrs['tie'] === true;
  if (source.name !== 'onnx') {
    if ((freeze?.length ?? 0) > 0 || tie) return { error: `freeze and tie apply to imported models (model onnx("…")), not to ${source.name}` };
    return { model: buildModel(recipe, { inputShape }) };
  }
  const file = path.resolve(baseDir, String(source.args['path'] ?? ''));
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { error: `cannot read the model ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const imported = importOnnxModel(bytes, { inputShape, tie, ...(freeze ? { freeze } : {}) });
  if (!imported.ok) return { error: `${path.basename(file)}: ${imported.message}` };
  const { model, initial, summary, notes } = imported.imported;
  return { model, initial, imported: { summary, notes } };
}

interface Built {
  readonly model: ModelGraph;
  readonly initial?: { params: Float64Array[]; buffers: Float64Array[] };
  readonly imported?: { readonly summary: ImportSummary; readonly notes: readonly string[] };
}

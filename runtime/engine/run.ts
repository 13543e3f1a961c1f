// The training loop: a checked recipe in, a stream of run events out. One `run()` of the fused
// train-step graph per optimizer step; parameters, buffers and optimizer state are fed back as
// tensors. Divergence (a non-finite loss) stops the run within one step; an AbortSignal stops it
// within one step too. Every event also goes to the run store when a runs folder is given.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedRecipe } from '../checker';
import { isDuration, isRatio, isTechnique, num, type PlanValue, type TechniqueUse } from '../catalog';
import { buildModel, importOnnxModel, initTensors, type ModelGraph } from '../compiler/model';
import { buildLoss } from '../compiler/loss';
import { OPTIMIZERS, WRAPPERS, NOT_COMPILED, LOSS_WRAPPERS, learningRate } from '../compiler/optim';
import { toOnnx } from '../compiler/onnx';
import { buildEvalStep, buildTrainStep, OUT } from '../compiler/step';
import { openBackend, type Session } from './backend';
import { applyPtq, createLowrank, createQat, exportCompressed, lowrankPlanOf, ptqPlanOf, pruneFeeds, pruningFor, qatDetail, qatPlanOf } from './compress';
import { evaluate, firstValue } from './evaluate';
import { createSaf } from './saf';
import { stepFeeds } from './step-feeds';
import { COSTLY_METRICS, createProbes, effectiveStep, type ProbeBatch } from './probes';
import { batches, batchCount, createRng, fitStandardizer, isDataError, loadDataset, oneHot, splitDataset } from './data';
import { compressionReport, exportedFactors } from './compression-report';
import type { Metrics, RunEvent, RunEventSink, RunInfo } from './events';
import { keyHyperParameters } from './hyper-parameters';
import { accuracyOf, mixup, weightStats } from './metrics';
import { isEnvironmentError, type EnvironmentError } from './environment';
import { writeExport } from './export-target';
import { createRun, type RunFolder } from './store';
import { f32 } from './tensors';

export interface RunOptions {
  readonly backend?: 'auto' | 'wasm' | 'native';
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** The folder relative paths in the recipe are resolved against (the recipe's folder). */
  readonly baseDir: string;
  readonly recipeText: string;
  readonly recipePath?: string;
  /** Where run folders go (`<workspace>/.minima/runs`); no run folder when absent. */
  readonly runsDir?: string;
  /** Train for this many epochs instead of the recipe's (a quick run). */
  readonly epochs?: number;
  readonly onEvent?: RunEventSink;
  /** Where the bundled data sets are (default: next to the runtime's code); a bundle passes its copy. */
  readonly assetsDir?: string;
  /** Where onnxruntime-web's wasm files are (see OpenOptions.wasmDir). */
  readonly wasmDir?: string;
}

export interface RunResult {
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly metrics: Metrics;
  readonly message?: string;
  readonly runDir?: string;
  readonly modelPath?: string;
  /** Where `report { export }` wrote the model (beside the named file when a foreign one was there). */
  readonly exportPath?: string;
  /** Set when the run failed because the file system refused a write (not a training failure). */
  readonly environment?: EnvironmentError;
}

export async function runRecipe(recipe: CheckedRecipe, options: RunOptions): Promise<RunResult> {
  const opened = options.runsDir ? createRun(options.runsDir, runName(recipe, options), options.recipeText) : undefined;
  if (isEnvironmentError(opened)) {
    options.onEvent?.({ type: 'failed', time: Date.now(), reason: 'error', message: opened.message });
    return { status: 'failed', metrics: {}, message: opened.message, environment: opened };
  }
  const store = opened;
  const emit = (e: RunEvent) => {
    store?.write(e);
    options.onEvent?.(e);
  };
  // NOTE: a referenced timer keeps the event loop alive for the whole run. Without one, the loop
  // empties whenever the run awaits work that only V8's background threads hold (onnxruntime-web's
  // wasm compilation and tier-up), and Node then blocks in NodePlatform::DrainTasks, which can
  // deadlock against a compile job waiting for the main thread (nodejs/node#54918): the run froze
  // after its first step in about one start in ten. With a live handle the loop waits in epoll and
  // the job's foreground task is delivered.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    return await train(recipe, options, emit, store);
  } catch (e) {
    // A throw here is a bug in Minima, not in the recipe: report it as a failed run, keep the folder.
    const message = e instanceof Error ? e.message : String(e);
    emit({ type: 'failed', time: Date.now(), reason: 'error', message: `internal error: ${message}` });
    return { status: 'failed', metrics: {}, message, ...(store ? { runDir: store.dir } : {}) };
  } finally {
    clearInterval(keepAlive);
    store?.close();
  }
}

async function train(recipe: CheckedRecipe, options: RunOptions, emit: (e: RunEvent) => void, store: RunFolder | undefined): Promise<RunResult> {
  const started = Date.now();
  const where = store ? { runDir: store.dir } : {};
  const fail = (reason: 'diverged' | 'cancelled' | 'error', message: string, at?: { epoch: number; step: number }): RunResult => {
    emit({ type: 'failed', time: Date.now(), reason, message, ...(at ?? {}) });
    return { status: reason === 'cancelled' ? 'cancelled' : 'failed', metrics: {}, message, ...where };
  };
  const seed = recipe.seed;
  const dataAttrs = recipe.blocks['data']?.attrs ?? {};
  const trainAttrs = recipe.blocks['train']?.attrs ?? {};

  // Data: load, split, standardize (fitted on the training split only).
  const loaded = loadDataset(recipe.data.source, { baseDir: options.baseDir, seed, ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}) });
  if (isDataError(loaded)) return fail('error', loaded.path ? `${loaded.path}${loaded.line ? `:${loaded.line}` : ''}: ${loaded.message}` : loaded.message);
  const shuffle = dataAttrs['shuffle'] !== false;
  const parts = splitDataset(loaded, { split: num(dataAttrs['split']) ?? 0.8, seed, shuffle });
  const standardizer = fitStandardizer(parts.train, standardizeOf(dataAttrs['standardize']));
  const trainSet = standardizer.apply(parts.train);
  const valSet = standardizer.apply(parts.val);
  const batch = num(dataAttrs['batch']) ?? 64;
  const classification = loaded.task === 'classification';
  const targetWidth = classification ? (loaded.classes ?? 1) : (loaded.targets ?? 1);

  // The optimizer, possibly inside a sharpness-aware wrapper.
  const opt = trainAttrs['optimizer'];
  if (!isTechnique(opt)) return fail('error', 'the recipe has no optimizer');
  const base = opt.entryKind === 'wrapper' ? opt.args['base'] : opt;
  if (!isTechnique(base)) return fail('error', `${opt.name} has no base optimizer`);
  const lossWrapper = opt.entryKind === 'wrapper' && LOSS_WRAPPERS.has(opt.name);
  const wrapper = opt.entryKind === 'wrapper' && !lossWrapper ? WRAPPERS.get(opt.name) : undefined;
  const optimizer = OPTIMIZERS.get(base.name);
  const missing = (opt.entryKind === 'wrapper' && !lossWrapper && !wrapper ? opt.name : undefined) ?? (!optimizer ? base.name : undefined);
  if (missing !== undefined || !optimizer) {
    const name = missing ?? base.name;
    return fail('error', `${name} is not compiled by this version of the runtime${NOT_COMPILED.has(name) ? `: ${NOT_COMPILED.get(name)}` : ''}`);
  }
  const lossUse = trainAttrs['loss'];
  if (!isTechnique(lossUse)) return fail('error', 'the recipe has no loss');
  const schedule = trainAttrs['schedule'];
  const regularizers = Array.isArray(trainAttrs['regularizers']) ? (trainAttrs['regularizers'] as readonly PlanValue[]).filter(isTechnique) : [];
  const l2 = regularizers.filter((r) => r.name === 'weight_decay').reduce((s, r) => s + (num(r.args['value']) ?? 0), 0);
  const mixupUse = regularizers.find((r) => r.name === 'mixup');
  const gradClip = num(trainAttrs['grad_clip']);

  // Graphs: the fused train step, the evaluation step; one session each.
  const built = buildOrImport(recipe, options.baseDir, loaded.inputShape);
  if ('error' in built) return fail('error', built.error);
  const model = built.model;
  const epochs = options.epochs ?? num(trainAttrs['epochs']) ?? 1;
  const stepsPerEpoch = batchCount(trainSet.count, batch);
  const totalSteps = epochs * stepsPerEpoch;
  const pruning = pruningFor(recipe, model.params, stepsPerEpoch);
  const qat = qatPlanOf(recipe, model.params, stepsPerEpoch);
  const lowrankPlan = lowrankPlanOf(recipe, model.params, stepsPerEpoch);
  const lowrank = lowrankPlan ? createLowrank(lowrankPlan, model.params) : undefined;
  if (lossWrapper && !classification) return fail('error', `${opt.name} needs a classification data set (it compares per-example logits)`);
  const saf = lossWrapper ? createSaf(opt, trainSet.count, targetWidth, stepsPerEpoch) : undefined;
  const loss = (g: Parameters<typeof buildLoss>[0], output: Parameters<typeof buildLoss>[2], target: Parameters<typeof buildLoss>[3]) => buildLoss(g, lossUse, output, target);
  const step = buildTrainStep({
    model,
    loss,
    optimizer: { builder: optimizer, hp: base.args },
    ...(wrapper ? { wrapper: { builder: wrapper, hp: opt.args } } : {}),
    targetWidth,
    dtype: 'float32',
    ...(gradClip !== undefined ? { gradClip } : {}),
    ...(l2 > 0 ? { l2 } : {}),
    ...(pruning ? { prune: { params: pruning.plan.targets, decay: pruning.plan.decay } } : {}),
    ...(qat ? { qat: { params: qat.targets, perChannel: qat.spec.perChannel, qmin: qat.qmin, qmax: qat.qmax, estimator: qat.estimator } } : {}),
    ...(saf ? { saf: { weight: saf.weight, temperature: saf.temperature } } : {}),
  });
  // QAT's run state: with lsq the learned step sizes, fed back every step and used by the export.
  const qatRun = qat ? createQat(qat, step.layout, model.params) : undefined;
  const evalStep = buildEvalStep(model, loss, targetWidth, 'float32');
  const backend = await openBackend({ kind: options.backend ?? 'auto', threads: options.threads ?? 1, ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}) });
  const trainSession = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32' }));
  const evalSession = await backend.createSession(toOnnx(evalStep.graph, evalStep.outputs, { name: 'eval_step', dtype: 'float32' }));
  const wanted = requestedMetrics(recipe);
  const probes = await createProbes(metricUses(recipe), { model, loss, targetWidth, backend, dtype: 'float32', classification, seed });
  const probeEvery = everyEpochs(recipe, stepsPerEpoch);

  const info: RunInfo = {
    id: store?.id ?? 'unsaved',
    recipe: runName(recipe, options),
    ...(options.recipePath ? { recipePath: options.recipePath } : {}),
    backend: backend.info.backend,
    threads: backend.info.threads,
    versions: backend.info.versions,
    epochs,
    stepsPerEpoch,
    trainExamples: trainSet.count,
    valExamples: valSet.count,
    ...(recipe.estimates ? { estimates: recipe.estimates } : {}),
    seed,
    hyper: keyHyperParameters(recipe, { epochs, batch }),
  };
  emit({ type: 'started', time: Date.now(), run: info });
  if (backend.info.note) emit({ type: 'warning', time: Date.now(), message: backend.info.note });
  if (pruning && pruning.plan.from >= totalSteps) emit({ type: 'warning', time: Date.now(), message: `pruning starts at step ${pruning.plan.from}, after the last step (${totalSteps}): the model is not pruned` });
  if (qat && qat.from >= totalSteps) emit({ type: 'warning', time: Date.now(), message: `quantization-aware training starts at step ${qat.from}, after the last step (${totalSteps}): the weights are only quantized for the export` });
  for (const w of [...unsupportedWarnings(recipe), ...(qat?.warnings ?? []), ...(probes?.warnings ?? [])]) emit({ type: 'warning', time: Date.now(), message: w });

  // State: parameters and buffers from the seeded initialization, optimizer state at zero.
  const init = built.initial ?? initTensors(model, seed);
  let params: Float32Array[] = init.params.map(f32);
  let buffers: Float32Array[] = init.buffers.map(f32);
  let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, b) => a * b, 1))));
  let wrapperState: Float32Array[] = step.layout.wrapperState.map((s) => new Float32Array(s.shape.reduce((a, b) => a * b, 1)));
  const baseLr = num(base.args['lr']) ?? 1e-3;
  let t = 0;
  let last: Metrics = {};
  // The last few training batches of each epoch, for the costly probes (sharpness, Hessian).
  const recent: ProbeBatch[] = [];
  let lastYield = Date.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let lr = baseLr;
    for (const b of batches(trainSet, { batch, seed, epoch, shuffle })) {
      // NOTE: onnxruntime-web's run() settles as a microtask, so a loop of awaits never lets the event
      // loop turn: a stop message (IPC) or Ctrl-C (SIGINT) would never be delivered. Yield to it
      // every few milliseconds; the cost is negligible next to a step.
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
      if (options.signal?.aborted) return fail('cancelled', `stopped by the user at epoch ${epoch + 1}, step ${t}`, { epoch, step: t });
      for (const detail of pruning?.beforeStep(t, params) ?? []) emit({ type: 'phase', time: Date.now(), epoch, step: t, phase: 'pruning', detail });
      lr = isTechnique(schedule) ? learningRate(schedule, baseLr, t, { stepsPerEpoch, totalSteps }) : baseLr;
      for (const detail of lowrank?.beforeStep(t, params, lr) ?? []) emit({ type: 'phase', time: Date.now(), epoch, step: t, phase: 'lowrank', detail });
      if (qat && t === qat.from) emit({ type: 'phase', time: Date.now(), epoch, step: t, phase: 'quantization', detail: qatDetail(qat) });
      if (saf && epoch === saf.firstEpoch && t === epoch * stepsPerEpoch) emit({ type: 'phase', time: Date.now(), epoch, step: t, phase: 'saf', detail: `saf: KL term to the logits of epoch ${epoch + 1 - saf.window} switched on (weight ${saf.weight}, temperature ${saf.temperature})` });
      let x = b.x;
      let y = classification ? oneHot(b.labels ?? [], targetWidth) : b.y;
      if (mixupUse) ({ x, y } = mixup(x, y, b.size, num(mixupUse.args['alpha']) ?? 1, createRng(seed, 'mixup', t)));
      const feeds = {
        ...stepFeeds(model, step.layout, { x, y, size: b.size, targetWidth }, { lr, step: t + 1 }, { params, buffers, state, wrapperState }, createRng(seed, 'dropout', t)),
        ...pruneFeeds(step.layout, pruning, model.params),
        ...qatRun?.feeds(params, t),
        ...(saf ? saf.feeds(b.indices, epoch) : {}),
      };
      const before = params;
      const out = await trainSession.run(feeds);
      const lossValue = firstValue(out[OUT.loss]?.data);
      if (!Number.isFinite(lossValue)) {
        return fail('diverged', `training diverged: the loss became ${lossValue} at epoch ${epoch + 1}, step ${t + 1} (lr ${lr.toPrecision(3)}); try a smaller learning rate or grad_clip`, { epoch, step: t + 1 });
      }
      params = model.params.map((p) => out[`${p.name}.next`]!.data as Float32Array);
      buffers = model.buffers.map((p) => out[`${p.name}.next`]!.data as Float32Array);
      state = step.layout.state.map((specs, i) => specs.map((s) => out[`${model.params[i]!.name}.${s.name}.next`]!.data as Float32Array));
      wrapperState = step.layout.wrapperState.map((s) => out[`wrapper.${s.name}.next`]!.data as Float32Array);
      qatRun?.record(out, t);
      t++;
      saf?.record(b.indices, epoch, out[OUT.logits]!.data as Float32Array);
      const acc = classification && b.labels ? accuracyOf(out[OUT.logits]!.data as Float32Array, b.labels, targetWidth) : undefined;
      lossSum += lossValue * b.size;
      if (acc !== undefined) correct += acc * b.size;
      seen += b.size;
      const metrics: Record<string, number> = { loss: lossValue, lr, grad_norm: firstValue(out[OUT.gradNorm]?.data) };
      if (acc !== undefined) metrics['accuracy'] = acc;
      if (wanted.has('effective_step')) metrics['effective_step'] = effectiveStep(before, params);
      emit({ type: 'step', time: Date.now(), epoch, step: t, metrics });
      if (probes) {
        recent.push({ x, y, size: b.size });
        if (recent.length > PROBE_BATCHES) recent.shift();
      }
    }
    // The weights the model computes with (W⊙m: under SR-STE the trained weights stay dense).
    const weights = pruning ? pruning.effective(params) : params;
    const val = await evaluate(evalSession, valSet, model, weights, buffers, targetWidth, classification);
    const ws = weightStats(model.params, weights);
    last = {
      loss: lossSum / Math.max(1, seen),
      ...(classification ? { accuracy: correct / Math.max(1, seen) } : {}),
      ...val,
      lr,
      weight_norm: ws.norm,
      sparsity: ws.sparsity,
      ...pruning?.metrics(weights, wanted),
      ...lowrank?.metrics(),
      ...qatRun?.metrics(),
      ...(probes && ((epoch + 1) % probeEvery === 0 || epoch === epochs - 1) ? await probes.epoch({ params: weights, buffers, batches: [...recent].reverse() }) : {}),
    };
    emit({ type: 'epoch', time: Date.now(), epoch, step: t, metrics: last });
    if (options.signal?.aborted) return fail('cancelled', `stopped by the user after epoch ${epoch + 1}`, { epoch, step: t });
  }
  await trainSession.release();
  await probes?.release();

  // Post-training compression (factored lowrank layers, 8-bit weights, ptq's calibrated
  // activations), evaluated as exported (compress/export.ts).
  await evalSession.release();
  const trained = pruning ? pruning.effective(params) : params;
  const ptqPlan = ptqPlanOf(recipe, model.params) ?? qat;
  const final = await exportCompressed({
    backend, model, trained, buffers, loss, targetWidth, classification, valSet, name: recipe.name,
    ...(lowrank ? { lowrank } : {}),
    ...(pruning ? { pruned: pruning.plan.targets } : {}),
    ...(ptqPlan ? { quantize: { plan: ptqPlan, apply: (w: readonly Float32Array[]) => qatRun?.quantize(w) ?? applyPtq(ptqPlan, model.params, w) } } : {}),
    calibration: () => batches(trainSet, { batch, seed, epoch: 0, shuffle }),
  });
  last = { ...last, ...final.metrics };
  for (const p of final.phases.filter((p) => p.phase === 'lowrank')) emit({ type: 'phase', time: Date.now(), epoch: epochs - 1, step: t, phase: p.phase, detail: p.detail });
  if (ptqPlan) {
    emit({ type: 'phase', time: Date.now(), epoch: epochs - 1, step: t, phase: 'quantization', detail: `${ptqPlan.spec.bits}-bit weights in ${ptqPlan.targets.length} layers (${ptqPlan.spec.perChannel ? 'per channel' : 'per tensor'}, ${ptqPlan.spec.symmetric ? 'symmetric' : 'asymmetric'}, ${qatRun?.exportDetail() ?? ptqPlan.spec.range.kind})` });
    if (ptqPlan.spec.bits > 8) emit({ type: 'warning', time: Date.now(), message: `${ptqPlan.spec.bits}-bit weights are exported as float values on the quantization grid and activations stay float32: ONNX opset 17 has no QuantizeLinear wider than 8 bits` });
  }
  for (const p of final.phases.filter((p) => p.phase === 'quantization')) emit({ type: 'phase', time: Date.now(), epoch: epochs - 1, step: t, phase: p.phase, detail: p.detail });
  for (const message of final.warnings) emit({ type: 'warning', time: Date.now(), message });
  const bytes = final.bytes;
  const modelPath = store?.writeFile('model.onnx', bytes);
  const exported = writeExport(recipe.blocks['report']?.attrs['export'], bytes, { baseDir: options.baseDir, ...(modelPath ? { kept: modelPath } : {}) });
  if (exported.kind === 'refused') return { ...fail('error', exported.message), ...(exported.environment ? { environment: exported.environment } : {}) };
  if (exported.kind === 'written' && exported.note) emit({ type: 'warning', time: Date.now(), message: exported.note });
  const seconds = (Date.now() - started) / 1000;
  const compression = compressionReport({
    infos: model.params,
    weights: trained,
    ...(pruning ? { pruned: { targets: pruning.plan.targets, ...(pruning.plan.pattern ? { pattern: pruning.plan.pattern } : {}) } } : {}),
    ...(ptqPlan ? { quantized: { targets: ptqPlan.targets, bits: ptqPlan.spec.bits, perChannel: ptqPlan.spec.perChannel } } : {}),
    ...(lowrank ? { ranks: lowrank.ranks() } : {}),
    factored: exportedFactors(final.compression.factored),
  });
  emit({ type: 'finished', time: Date.now(), metrics: last, seconds, steps: t, ...(compression.length > 0 ? { compression } : {}) });
  return { status: 'finished', metrics: last, ...where, ...(modelPath ? { modelPath } : {}), ...(exported.kind === 'written' ? { exportPath: exported.path } : {}) };
}

/** Recipe features the runtime does not execute yet: said once, at the start, never silently ignored. */
function unsupportedWarnings(recipe: CheckedRecipe): string[] {
  const out: string[] = [];
  const quantize = recipe.blocks['quantize']?.attrs['method'];
  const lowrank = recipe.blocks['lowrank']?.attrs['method'];
  if (recipe.blocks['lowrank'] && !(isTechnique(lowrank) && (lowrank.name === 'svd' || lowrank.name === 'trp'))) out.push('the lowrank block is checked but not executed by this version of the runtime; the model is trained and exported uncompressed');
  if (recipe.blocks['quantize'] && !(isTechnique(quantize) && (quantize.name === 'ptq' || quantize.name === 'qat'))) out.push('the quantize block is checked but not executed by this version of the runtime; the model is trained and exported uncompressed');
  if (isTechnique(quantize) && quantize.name === 'qat') out.push('qat quantizes the weights only; activations stay float32');
  const metrics = recipe.blocks['report']?.attrs['metrics'];
  // Costly probes report what they cannot compute themselves (createProbes' warnings).
  const computed = new Set(['loss', 'accuracy', 'lr', 'grad_norm', 'weight_norm', 'sparsity', 'effective_step', ...COSTLY_METRICS]);
  const prune = recipe.blocks['prune'];
  if (prune && (isRatio(prune.attrs['pattern']) || (isTechnique(prune.attrs['method']) && isRatio(prune.attrs['method'].args['pattern'])))) computed.add('nm_conformance');
  if (Array.isArray(metrics)) {
    for (const m of metrics as readonly PlanValue[]) {
      if (isTechnique(m) && !computed.has(m.name)) out.push(`metric ${m.name} is not computed by this version of the runtime`);
    }
  }
  return out;
}

/** The recipe's model: built from its layers, or imported (with its trained weights) from an ONNX file. */
function buildOrImport(recipe: CheckedRecipe, baseDir: string, inputShape: readonly number[]): { model: ModelGraph; initial?: { params: Float64Array[]; buffers: Float64Array[] } } | { error: string } {
  const source = recipe.model.source;
  if (source.name !== 'onnx') return { model: buildModel(recipe, { inputShape }) };
  const file = path.resolve(baseDir, String(source.args['path'] ?? ''));
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { error: `cannot read the model ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const imported = importOnnxModel(bytes, { inputShape });
  if (!imported.ok) return { error: `${path.basename(file)}: ${imported.message}` };
  return { model: imported.imported.model, initial: imported.imported.initial };
}

/** The recipe's name, or its file's name when it has no `recipe "…"` block. */
function runName(recipe: CheckedRecipe, options: RunOptions): string {
  if (recipe.name !== 'untitled' || !options.recipePath) return recipe.name;
  return path.basename(options.recipePath).replace(/\.minima$/, '');
}

/** How often the loop yields to the event loop so stop messages and signals arrive (ms). */
const YIELD_EVERY_MS = 20;

/** How many batches the probes may look at (hessian_top_eig's `batches` is at most this). */
const PROBE_BATCHES = 8;

/** The report's metric uses. */
function metricUses(recipe: CheckedRecipe): TechniqueUse[] {
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

function requestedMetrics(recipe: CheckedRecipe): ReadonlySet<string> {
  const metrics = recipe.blocks['report']?.attrs['metrics'];
  return new Set(Array.isArray(metrics) ? (metrics as readonly PlanValue[]).filter(isTechnique).map((m) => m.name) : []);
}

function standardizeOf(v: PlanValue | undefined): 'none' | 'zscore' | 'minmax' {
  return v === 'zscore' || v === 'minmax' ? v : 'none';
}


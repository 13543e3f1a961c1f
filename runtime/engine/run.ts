// The training loop: a checked recipe in, a stream of run events out. One run of the fused
// train-step graph per optimizer step. The state (parameters, buffers, optimizer state) lives on
// the backend as device tensors between steps (train-state.ts); what each technique does around a
// step is a pass (passes/), so the loop below is the algorithm and nothing else. Divergence (a
// non-finite loss, or gradient norm where the report asks for grad_norm) stops the run within one
// step; an AbortSignal stops it within one step too.
// Every event also goes to the run store when a runs folder is given.

import * as path from 'node:path';
import type { CheckedRecipe } from '../checker';
import { num } from '../catalog';
import { initTensors } from '../compiler/model';
import { learningRate } from '../compiler/optim';
import { toOnnx } from '../compiler/onnx';
import { OUT } from '../compiler/step';
import { openBackend, type Backend, type BackendName, type Transfers } from './backend';
import { batches, createRng, oneHot } from './data';
import { createDivergenceWatch } from './divergence';
import { evaluate, firstValue, hostWeightFeeds } from './evaluate';
import type { Metrics, RunEvent, RunEventSink, RunInfo } from './events';
import { finishRun } from './finish';
import { keyHyperParameters } from './hyper-parameters';
import { accuracyOf, weightStats } from './metrics';
import { mergeContributions, type Pass, type StepBatch, type StepContext } from './passes';
import { buildRunGraphs, metricUses } from './run-graphs';
import { prepareRun } from './run-setup';
import { unsupportedWarnings } from './run-warnings';
import { batchFeeds, hostScalarFeeds } from './step-feeds';
import { isEnvironmentError, type EnvironmentError } from './environment';
import { writeExport } from './export-target';
import { createRun, type RunFolder } from './store';
import { f32 } from './tensors';
import { createTrainState } from './train-state';

export interface RunOptions {
  readonly backend?: 'auto' | BackendName;
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
  /** Called after every step with the backend's running byte counts (tests of the transfer discipline). */
  readonly onTransfers?: (step: number, transfers: Transfers) => void;
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
  const setup = prepareRun(recipe, { baseDir: options.baseDir, ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}), ...(options.epochs !== undefined ? { epochs: options.epochs } : {}) });
  if ('error' in setup) return fail('error', setup.error);
  const { model, trainSet, valSet, batch, shuffle, classification, targetWidth, loss, epochs, stepsPerEpoch } = setup;
  const totalSteps = epochs * stepsPerEpoch;
  const wanted = requestedMetrics(recipe);

  // The techniques that act during training, then the step graph they shape.
  const { plans, step, evalStep } = buildRunGraphs(recipe, setup);

  // The backend, the state on it, the sessions and the passes.
  // A backend that cannot open (no adapter, no onnxruntime-node) is the user's environment: a
  // clear failed run, not an internal error.
  let backend: Backend;
  try {
    backend = await openBackend({ kind: options.backend ?? 'auto', ...(options.threads !== undefined ? { threads: options.threads } : {}), ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}) });
  } catch (e) {
    return fail('error', e instanceof Error ? e.message : String(e));
  }
  const init = setup.initial ?? initTensors(model, seed);
  const state = await createTrainState(backend, model, step.layout, { params: init.params.map(f32), buffers: init.buffers.map(f32) });
  const trainSession = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32', avoid: backend.avoidOps }), { deviceOutputs: state.nextOutputs });
  const evalSession = await backend.createSession(toOnnx(evalStep.graph, evalStep.outputs, { name: 'eval_step', dtype: 'float32', avoid: backend.avoidOps }));
  const passes: Pass[] = [];
  for (const p of plans) passes.push(await p.create({ layout: step.layout, backend, totalSteps, stepsPerEpoch }));

  const info: RunInfo = {
    id: store?.id ?? 'unsaved',
    recipe: runName(recipe, options),
    ...(options.recipePath ? { recipePath: options.recipePath } : {}),
    backend: backend.info.backend,
    ...(backend.info.adapter ? { adapter: backend.info.adapter } : {}),
    threads: backend.info.threads,
    versions: backend.info.versions,
    epochs,
    stepsPerEpoch,
    trainExamples: trainSet.count,
    valExamples: valSet.count,
    ...(recipe.estimates ? { estimates: recipe.estimates } : {}),
    seed,
    ...(setup.imported ? { tensors: { trainable: setup.imported.summary.trainable, buffers: setup.imported.summary.buffers, constants: setup.imported.summary.constants } } : {}),
    hyper: keyHyperParameters(recipe, { epochs, batch }),
  };
  emit({ type: 'started', time: Date.now(), run: info });
  if (backend.info.note) emit({ type: 'warning', time: Date.now(), message: backend.info.note });
  for (const w of [...(setup.imported?.notes ?? []), ...passes.flatMap((p) => p.warnings ?? []), ...unsupportedWarnings(recipe)]) emit({ type: 'warning', time: Date.now(), message: w });

  const baseLr = num(setup.base.args['lr']) ?? 1e-3;
  const effective = (w: readonly Float32Array[]) => passes.reduce((acc, p) => (p.effective ? p.effective(acc) : acc), w);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    for (const p of passes) await p.release?.();
    await trainSession.release();
    await evalSession.release();
  };
  const divergence = createDivergenceWatch();
  let t = 0;
  let last: Metrics = {};
  let lastYield = Date.now();
  try {
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
        if (options.signal?.aborted) return fail('cancelled', `${stopReason(options.signal)} at epoch ${epoch + 1}, step ${t}`, { epoch, step: t });
        lr = setup.schedule ? learningRate(setup.schedule, baseLr, t, { stepsPerEpoch, totalSteps }) : baseLr;
        const ctx: StepContext = { t, epoch, lr, state, phase: (phase, detail) => emit({ type: 'phase', time: Date.now(), epoch, step: t, phase, detail }) };
        for (const p of passes) await p.beforeStep?.(ctx);
        let sb: StepBatch = { x: b.x, y: classification ? oneHot(b.labels ?? [], targetWidth) : b.y, size: b.size, indices: b.indices, ...(b.labels ? { labels: b.labels } : {}) };
        for (const p of passes) if (p.transformBatch) sb = p.transformBatch(sb, ctx);
        const feeds = { ...batchFeeds(model, step.layout, { ...sb, targetWidth }, { lr, step: t + 1 }, createRng(seed, 'dropout', t)), ...state.feeds() };
        for (const p of passes) if (p.feeds) Object.assign(feeds, await p.feeds(sb, ctx));
        Object.assign(feeds, hostScalarFeeds(step.layout, feeds));

        const out = await trainSession.execute(feeds);
        const lossValue = firstValue(out.host[OUT.loss]?.data);
        // The gradient norm is an output only when the report asks for grad_norm (run-graphs.ts).
        const normOut = out.host[OUT.gradNorm];
        const gradNorm = normOut ? firstValue(normOut.data) : undefined;
        const diverged = divergence.observe(lossValue, gradNorm);
        if (diverged !== undefined) {
          for (const d of Object.values(out.device)) d.dispose();
          return fail('diverged', `training diverged: ${diverged} at epoch ${epoch + 1}, step ${t + 1} (lr ${lr.toPrecision(3)}); try a smaller learning rate or grad_clip`, { epoch, step: t + 1 });
        }
        state.advance(out.device);

        const acc = classification && sb.labels ? accuracyOf(out.host[OUT.logits]!.data as Float32Array, sb.labels, targetWidth) : undefined;
        const metrics: Record<string, number> = { loss: lossValue, lr, ...(gradNorm !== undefined ? { grad_norm: gradNorm } : {}) };
        if (acc !== undefined) metrics['accuracy'] = acc;
        for (const p of passes) if (p.afterStep) Object.assign(metrics, await p.afterStep(sb, out.host, ctx));
        t++;
        options.onTransfers?.(t, backend.transfers());
        lossSum += lossValue * b.size;
        if (acc !== undefined) correct += acc * b.size;
        seen += b.size;
        emit({ type: 'step', time: Date.now(), epoch, step: t, metrics });
      }
      // The epoch-end evaluation brings the weights to the host (weight norm, sparsity, the passes'
      // metrics); the weights the model computes with may differ from the trained ones (W⊙m).
      const params = await state.params();
      const buffers = await state.buffers();
      const weights = effective(params);
      const ws = weightStats(model.params, weights);
      // NOTE: without the gradient norm (computed only when the report asks for grad_norm), a NaN
      // gradient is seen in the next step's loss; at the epoch's last step there is none yet.
      if (!Number.isFinite(ws.norm)) return fail('diverged', `training diverged: the weights became non-finite at epoch ${epoch + 1}, step ${t} (lr ${lr.toPrecision(3)}); try a smaller learning rate or grad_clip`, { epoch, step: t });
      const val = await evaluate(evalSession, valSet, model.inputShape, weights === params ? state.weightFeeds() : hostWeightFeeds(model, weights, buffers), targetWidth, classification);
      const ectx = { epoch, requested: wanted, weights, buffers, last: epoch === epochs - 1 };
      const fromPasses: Record<string, number> = {};
      for (const p of passes) if (p.epochMetrics) Object.assign(fromPasses, await p.epochMetrics(ectx));
      last = { loss: lossSum / Math.max(1, seen), ...(classification ? { accuracy: correct / Math.max(1, seen) } : {}), ...val, lr, weight_norm: ws.norm, sparsity: ws.sparsity, ...fromPasses };
      emit({ type: 'epoch', time: Date.now(), epoch, step: t, metrics: last });
      if (options.signal?.aborted) return fail('cancelled', `${stopReason(options.signal)} after epoch ${epoch + 1}`, { epoch, step: t });
    }
    const trained = effective(await state.params());
    const buffers = await state.buffers();
    // NOTE: device tensors are disposed before the sessions that made them are released.
    state.dispose();
    await release();

    // After training: the compressed export, evaluated as exported, and the compression report.
    const final = await finishRun({
      recipe, ...(recipe.name === 'untitled' && options.recipePath ? { name: info.recipe } : {}), backend, model, trained, buffers, loss, targetWidth, classification, valSet, trainSet, batch, seed, shuffle,
      contributions: mergeContributions(passes.map((p) => p.exports)),
      emit: (e) => emit({ ...e, time: Date.now(), ...(e.type === 'phase' ? { epoch: epochs - 1, step: t } : {}) } as RunEvent),
    });
    last = { ...last, ...final.metrics };
    const modelPath = store?.writeFile('model.onnx', final.bytes);
    const exported = writeExport(recipe.blocks['report']?.attrs['export'], final.bytes, { baseDir: options.baseDir, ...(modelPath ? { kept: modelPath } : {}) });
    if (exported.kind === 'refused') return { ...fail('error', exported.message), ...(exported.environment ? { environment: exported.environment } : {}) };
    if (exported.kind === 'written' && exported.note) emit({ type: 'warning', time: Date.now(), message: exported.note });
    const seconds = (Date.now() - started) / 1000;
    emit({ type: 'finished', time: Date.now(), metrics: last, seconds, steps: t, ...(final.compression.length > 0 ? { compression: final.compression } : {}) });
    return { status: 'finished', metrics: last, ...where, ...(modelPath ? { modelPath } : {}), ...(exported.kind === 'written' ? { exportPath: exported.path } : {}) };
  } finally {
    state.dispose();
    await release().catch(() => undefined);
    await backend.release();
  }
}

/** The recipe's name, or its file's name when it has no `recipe "…"` block. */
function runName(recipe: CheckedRecipe, options: RunOptions): string {
  if (recipe.name !== 'untitled' || !options.recipePath) return recipe.name;
  return path.basename(options.recipePath).replace(/\.minima$/, '');
}

/** How often the loop yields to the event loop so stop messages and signals arrive (ms). */
const YIELD_EVERY_MS = 20;

function requestedMetrics(recipe: CheckedRecipe): ReadonlySet<string> {
  return new Set(metricUses(recipe).map((m) => m.name));
}

/**
 * Why a run was stopped: the abort reason when its controller gave one as text (a sweep's early
 * stopping: "stopped early (rung 1)"), else the user.
 */
function stopReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' && signal.reason !== '' ? signal.reason : 'stopped by the user';
}

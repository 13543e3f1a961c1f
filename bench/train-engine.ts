// One engine process of `npm run bench:train`, started by bench/train.ts, not by hand:
//
//     node out/bench/train-engine.js '{"backend": "native", "threads": 1, "workload": "<name>"}'
//     node out/bench/train-engine.js '{"backend": "wasm", "threads": 2, "gemm": {"n": 1024, "reps": 5}}'
//
// It drives the train step the way the engine does (runtime/engine/run.ts): the state lives in
// device tensors (engine/train-state.ts) that the session returns as `<name>.next` and the next
// step is fed, the batch and host scalars are built per step (engine/step-feeds.ts), one
// `session.execute` per step. It has a process of its own so that its peak resident memory and its
// time from process start to the first step are the engine's alone. Once the first step is done it
// prints {"ready": epoch ms} and answers commands as bench/torch_train.py does, one JSON line each:
//   {"cmd": "warmup", "steps": n} -> {}
//   {"cmd": "rep"}                -> {"ms": ms per step over one repetition, after its untimed steps}
//   {"cmd": "gemm"}               -> {"seconds": [...]} (an n³ float32 MatMul graph)
//   {"cmd": "memory"}             -> {"peakRssMiB": peak resident memory of this process}

import * as path from 'node:path';
import * as readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { GraphBuilder, matmul } from '../runtime/compiler';
import { initTensors } from '../runtime/compiler/model';
import { toOnnx } from '../runtime/compiler/onnx';
import { OUT } from '../runtime/compiler/step';
import { type Backend, type BackendName, openBackend } from '../runtime/engine/backend';
import { bundledAssetsDir, createRng, isDataError, loadDataset, oneHot } from '../runtime/engine/data';
import { batchFeeds, hostScalarFeeds } from '../runtime/engine/step-feeds';
import { createTrainState } from '../runtime/engine/train-state';
import { checked, size, workloadNamed, type Workload } from './train-workloads';
import { trainStepOf } from './train-step-of';

interface Spec {
  readonly backend: BackendName;
  readonly threads: number;
  readonly workload?: string;
  readonly gemm?: { readonly n: number; readonly reps: number };
}

/** A prepared workload: `step` takes one optimizer step. */
interface Trainer {
  step(): Promise<void>;
  release(): Promise<void>;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
  const backend = await openBackend({ kind: spec.backend, threads: spec.threads });
  const trainer = spec.workload !== undefined ? await prepare(workloadNamed(spec.workload), backend) : undefined;
  if (trainer) await trainer.step();
  answer({ ready: Date.now() });
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const msg = JSON.parse(line) as { cmd: string; steps?: number };
    if (msg.cmd === 'warmup' && trainer) {
      for (let i = 0; i < (msg.steps ?? 0); i++) await trainer.step();
      answer({});
    } else if (msg.cmd === 'rep' && trainer && spec.workload !== undefined) {
      const w = workloadNamed(spec.workload);
      for (let i = 0; i < w.rewarm; i++) await trainer.step();
      const start = performance.now();
      for (let i = 0; i < w.steps; i++) await trainer.step();
      answer({ ms: (performance.now() - start) / w.steps });
    } else if (msg.cmd === 'gemm' && spec.gemm) {
      answer({ seconds: await gemmSeconds(backend, spec.gemm.n, spec.gemm.reps) });
    } else if (msg.cmd === 'memory') {
      // resourceUsage().maxRSS is in KiB.
      answer({ peakRssMiB: process.resourceUsage().maxRSS / 1024 });
    } else {
      throw new Error(`train-engine: cannot answer ${line}`);
    }
  }
  await trainer?.release();
  await backend.release();
}

function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function prepare(w: Workload, backend: Backend): Promise<Trainer> {
  const { recipe, model, initial, step, lr } = trainStepOf(w);
  const init = initial ?? initTensors(model, recipe.seed);
  const state = await createTrainState(backend, model, step.layout, { params: init.params.map((p) => Float32Array.from(p)), buffers: init.buffers.map((p) => Float32Array.from(p)) });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32', avoid: backend.avoidOps }), { deviceOutputs: state.nextOutputs });
  const data = samples(w, recipe);
  const width = size(w.inputShape);
  const batches = Math.floor(data.count / w.batch);
  let t = 0;
  let lastLoss = NaN;
  return {
    step: async () => {
      const k = t % batches;
      const x = data.x.subarray(k * w.batch * width, (k + 1) * w.batch * width);
      const y = oneHot(data.labels.subarray(k * w.batch, (k + 1) * w.batch), w.classes);
      const feeds = { ...batchFeeds(model, step.layout, { x, y, size: w.batch, targetWidth: w.classes }, { lr, step: t + 1 }, createRng(recipe.seed, 'dropout', t)), ...state.feeds() };
      Object.assign(feeds, hostScalarFeeds(step.layout, feeds));
      const out = await session.execute(feeds);
      state.advance(out.device);
      lastLoss = Number(out.host[OUT.loss]?.data[0]);
      t++;
    },
    release: async () => {
      await session.release();
      state.dispose();
      if (!Number.isFinite(lastLoss)) throw new Error(`${w.name} on ${backend.name}: the loss became ${lastLoss}`);
    },
  };
}

/** The bundled digits, or 8 batches of Gaussian inputs with uniform labels (as the PyTorch peer has). */
function samples(w: Workload, recipe: ReturnType<typeof checked>): { x: Float32Array; labels: Float32Array; count: number } {
  if (w.data === 'digits') {
    // From the repository's out/ the assets are found next to the code; elsewhere, from the repo root.
    const assetsDir = bundledAssetsDir() ?? path.join('runtime', 'engine', 'data', 'assets');
    const ds = loadDataset(recipe.data.source, { baseDir: '.', seed: recipe.seed, assetsDir });
    if (isDataError(ds)) throw new Error(`digits: ${ds.message}`);
    return { x: ds.x, labels: ds.y, count: ds.count };
  }
  const count = 8 * w.batch;
  const rng = createRng(1, 'bench', w.name);
  const x = Float32Array.from({ length: count * size(w.inputShape) }, () => rng.normal());
  const labels = Float32Array.from({ length: count }, () => Math.min(w.classes - 1, Math.floor(rng.uniform() * w.classes)));
  return { x, labels, count };
}

/** Seconds of each of `reps` runs of one n×n×n float32 MatMul graph (after one untimed run). */
async function gemmSeconds(backend: Backend, n: number, reps: number): Promise<number[]> {
  const g = new GraphBuilder();
  const a = g.input('a', [n, n], 'float32');
  const b = g.input('b', [n, n], 'float32');
  const session = await backend.createSession(toOnnx(g, [{ name: 'c', value: matmul(a, b) }], { name: 'gemm', dtype: 'float32' }));
  const rng = createRng(1, 'bench', 'gemm');
  const feed = () => ({ dtype: 'float32', shape: [n, n], data: Float32Array.from({ length: n * n }, () => rng.normal()) }) as const;
  const feeds = { a: feed(), b: feed() };
  await session.run(feeds);
  const seconds: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await session.run(feeds);
    seconds.push((performance.now() - start) / 1000);
  }
  await session.release();
  return seconds;
}

main().catch((e: unknown) => {
  process.stderr.write(`train-engine: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

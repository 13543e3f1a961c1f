// Training-throughput benchmark (`npm run bench:train`): steps/s, samples/s and GFLOP/s of the
// fused train step on the wasm and native backends, through the engine's own pieces (analyze →
// buildModel → buildTrainStep → toOnnx → openBackend, one session.run() per step with parameters
// and optimizer state fed back, as runtime/engine/run.ts does), side by side with PyTorch on the
// same architecture, batch and optimizer (bench/torch_train.py, one thread), and against a
// measured fp32 GEMM rate on the same backend (a 1024³ MatMul graph; numpy/torch as peers).
// Our repetitions and PyTorch's alternate (torch_train.py serves them one by one), so that a change
// in a shared machine's load hits both; "vs PyTorch" is the median of the per-round ratios.
// Targets: native ≥ 2.5× PyTorch, wasm ≥ 0.6× PyTorch, and the native MLP step ≥ 75 % of the GEMM rate.
// A benchmark reports and does not gate: it prints a table and exits 0. Nothing is committed.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as readline from 'node:readline';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../runtime/analysis';
import type { CheckedRecipe, LayerPlan } from '../runtime/checker';
import { isTechnique, num } from '../runtime/catalog';
import { GraphBuilder, matmul } from '../runtime/compiler';
import { buildLoss } from '../runtime/compiler/loss';
import { buildModel, initTensors } from '../runtime/compiler/model';
import type { ModelGraph } from '../runtime/compiler/model/types';
import { OPTIMIZERS } from '../runtime/compiler/optim';
import { toOnnx } from '../runtime/compiler/onnx';
import { OUT, buildTrainStep } from '../runtime/compiler/step';
import { type Backend, type BackendName, type HostTensor, loadNative, openBackend } from '../runtime/engine/backend';
import { bundledAssetsDir, createRng, isDataError, loadDataset, oneHot } from '../runtime/engine/data';
import { hostScalarFeeds } from '../runtime/engine/step-feeds';

const THREADS = 1;
const WARMUP_STEPS = 5;
/**
 * Untimed steps at the start of every repetition, on both sides: the first steps after the other
 * engine's repetition run 1.5-2× slower (caches and the core refilled by the other process), and
 * an engine whose repetition is short (ours: 20 steps of the CNN in ~10 ms) would carry that
 * transient in a larger share of its time than one whose repetition is long.
 */
const REWARM_STEPS = 3;
const STEPS_PER_REP = 20;
/** Rounds: the ratio is their median; on a shared 2-core machine single rounds vary by ±30 %. */
const REPS = 15;
const GEMM_N = 1024;
const GEMM_REPS = 5;
const TARGET = { native: 2.5, wasm: 0.6, gemmShare: 0.75 } as const;
const PYTHON = '/usr/bin/python3';
const MLP_NAME = 'mlp 784-256-10';

const MLP_RECIPE = `recipe "bench-mlp" {
  seed = 1
}

# Only the shapes come from here: the bench feeds 2048 Gaussian samples labelled by a random
# linear teacher, generated in memory.
data blobs(samples: 2048, features: 784, classes: 10) {
  batch = 128
}

model mlp {
  dense(256, act: relu)
  dense(10)
}

train {
  epochs = 1
  loss = cross_entropy
  optimizer = sgd(lr: 0.05)
}
`;

const CNN_RECIPE = `recipe "bench-cnn" {
  seed = 1
}

data digits {
  batch = 64
}

model cnn {
  conv2d(8, kernel: 3, pad: 1, act: relu)
  maxpool(2)
  conv2d(16, kernel: 3, pad: 1, act: relu)
  flatten
  dense(10)
}

train {
  epochs = 1
  loss = cross_entropy
  optimizer = sgd(lr: 0.05)
}
`;

/** A labelled in-memory data set: `count` examples of `inputShape`, labels 0…classes−1. */
interface Samples {
  readonly x: Float32Array;
  readonly labels: Float32Array;
  readonly count: number;
}

interface Workload {
  readonly name: string;
  readonly recipe: CheckedRecipe;
  readonly batch: number;
  readonly classes: number;
  readonly samples: Samples;
}

interface Timing {
  /** Milliseconds per step, one entry per repetition of STEPS_PER_REP steps (round r at index r). */
  readonly msPerStep: readonly number[];
}

interface TorchInfo {
  readonly torch: string;
  readonly numpy: string;
  readonly threads: number;
  /** torch's BLAS_INFO build setting ('generic' is the slow reference BLAS). */
  readonly blas: string;
}

interface TorchResult extends TorchInfo {
  /** Per workload, ms per step of each round (index r: the round our repetition r ran in). */
  readonly workloads: Readonly<Record<string, readonly number[]>>;
  readonly gemm: { readonly torch: readonly number[]; readonly numpy: readonly number[] };
}

/** One (workload, backend) pair ready to train: a repetition returns its ms per step. */
interface Trainer {
  warmup(): Promise<void>;
  rep(): Promise<number>;
  release(): Promise<void>;
}

async function main(): Promise<void> {
  const workloads = [mlpWorkload(), cnnWorkload()];
  const native = loadNative();
  const backends: BackendName[] = native.ok ? ['native', 'wasm'] : ['wasm'];
  if (!native.ok) console.log(`note: the native backend is unavailable (${native.reason}); only wasm is measured`);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${loadAverage()} (shared machine: numbers vary with load); ${THREADS} thread everywhere`);

  const peer = startTorch(workloads);
  try {
    // Waiting for the answer lets PyTorch finish loading before anything is timed.
    const info = typeof peer === 'string' ? undefined : await peer.info();
    const gemm = new Map<BackendName, number>();
    const trainers = new Map<string, Trainer>();
    for (const name of backends) {
      const backend = await openBackend({ kind: name, threads: THREADS });
      gemm.set(name, await gemmRate(backend));
      for (const w of workloads) trainers.set(`${w.name}/${name}`, await prepareTraining(w, backend));
    }
    const torchRounds = new Map<string, number[]>(workloads.map((w) => [w.name, []]));
    const ours = new Map<string, number[]>([...trainers.keys()].map((k) => [k, []]));
    for (const t of trainers.values()) await t.warmup();
    if (typeof peer !== 'string') for (const w of workloads) await peer.ask({ cmd: 'warmup', name: w.name });
    // Rounds: each workload's repetition on every backend, then PyTorch's, side by side in time.
    for (let r = 0; r < REPS; r++) {
      for (const w of workloads) {
        for (const b of backends) {
          const trainer = trainers.get(`${w.name}/${b}`);
          if (trainer) ours.get(`${w.name}/${b}`)?.push(await trainer.rep());
        }
        if (typeof peer !== 'string') torchRounds.get(w.name)?.push(msOf(await peer.ask({ cmd: 'rep', name: w.name })));
      }
    }
    for (const t of trainers.values()) await t.release();
    const timings = new Map<string, Timing>([...ours].map(([k, v]) => [k, { msPerStep: v }]));
    const torch: TorchResult | string =
      typeof peer === 'string' || info === undefined ? String(peer) : { ...info, workloads: Object.fromEntries(torchRounds), gemm: gemmOf(await peer.ask({ cmd: 'gemm' })) };
    print(workloads, backends, timings, gemm, torch);
  } finally {
    if (typeof peer !== 'string') peer.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Workloads

function checked(text: string): CheckedRecipe {
  const a = analyze(text);
  if (!a.recipe) throw new Error(`bench recipe does not check: ${a.diagnostics.map((d) => d.message).join('; ')}`);
  return a.recipe;
}

/** MLP 784→256→10, B=128, on 2048 Gaussian samples labelled by argmax of a random linear teacher. */
function mlpWorkload(): Workload {
  const recipe = checked(MLP_RECIPE);
  const count = 2048;
  const features = 784;
  const classes = 10;
  const rng = createRng(1, 'bench', 'teacher');
  const teacher = Float32Array.from({ length: classes * features }, () => rng.normal());
  const x = Float32Array.from({ length: count * features }, () => rng.normal());
  const labels = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let f = 0; f < features; f++) s += (teacher[c * features + f] ?? 0) * (x[n * features + f] ?? 0);
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    labels[n] = best;
  }
  return { name: MLP_NAME, recipe, batch: 128, classes, samples: { x, labels, count } };
}

/** The small CNN on the bundled digits (1,797 8×8 images), B=64. */
function cnnWorkload(): Workload {
  const recipe = checked(CNN_RECIPE);
  // From the repository's out/ the assets are found next to the code; elsewhere, from the repo root.
  const assetsDir = bundledAssetsDir() ?? path.join('runtime', 'engine', 'data', 'assets');
  const ds = loadDataset(recipe.data.source, { baseDir: '.', seed: recipe.seed, assetsDir });
  if (isDataError(ds)) throw new Error(`digits: ${ds.message}`);
  return { name: 'cnn digits', recipe, batch: 64, classes: ds.classes ?? 10, samples: { x: ds.x, labels: ds.y, count: ds.count } };
}

function sgdArgs(recipe: CheckedRecipe): Readonly<Record<string, unknown>> {
  const opt = recipe.blocks['train']?.attrs['optimizer'];
  if (!isTechnique(opt) || opt.name !== 'sgd') throw new Error('bench recipes use sgd');
  return opt.args;
}

// ---------------------------------------------------------------------------------------------
// Our side: the engine's loop, timed

async function prepareTraining(w: Workload, backend: Backend): Promise<Trainer> {
  const model: ModelGraph = buildModel(w.recipe);
  const lossUse = w.recipe.blocks['train']?.attrs['loss'];
  if (!isTechnique(lossUse)) throw new Error('bench recipe has no loss');
  const optimizer = OPTIMIZERS.get('sgd');
  if (!optimizer) throw new Error('sgd is not compiled');
  const hp = sgdArgs(w.recipe);
  const step = buildTrainStep({
    model,
    loss: (g, output, target) => buildLoss(g, lossUse, output, target),
    optimizer: { builder: optimizer, hp },
    targetWidth: w.classes,
    dtype: 'float32',
  });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32' }));
  const init = initTensors(model, w.recipe.seed);
  let params: Float32Array[] = init.params.map((p) => Float32Array.from(p));
  let buffers: Float32Array[] = init.buffers.map((p) => Float32Array.from(p));
  let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(size(s.shape))));
  const lr = numArg(hp['lr']) ?? 0.05;
  const width = size(model.inputShape);
  const batchesPerEpoch = Math.floor(w.samples.count / w.batch);
  let t = 0;
  let lastLoss = NaN;

  // One step exactly as runtime/engine/run.ts takes it: build the feeds, run, read back.
  const oneStep = async (): Promise<void> => {
    const k = t % batchesPerEpoch;
    const x = w.samples.x.subarray(k * w.batch * width, (k + 1) * w.batch * width);
    const y = oneHot(w.samples.labels.subarray(k * w.batch, (k + 1) * w.batch), w.classes);
    const feeds: Record<string, HostTensor> = {
      x: host(x, [w.batch, ...model.inputShape]),
      y: host(y, [w.batch, w.classes]),
      lr: host(Float32Array.of(lr), []),
      step: host(Float32Array.of(t + 1), []),
    };
    model.params.forEach((p, i) => (feeds[p.name] = host(params[i] ?? new Float32Array(), p.shape)));
    model.buffers.forEach((p, i) => (feeds[p.name] = host(buffers[i] ?? new Float32Array(), p.shape)));
    step.layout.state.forEach((specs, i) => specs.forEach((s, j) => (feeds[`${model.params[i]?.name}.${s.name}`] = host(state[i]?.[j] ?? new Float32Array(), s.shape))));
    Object.assign(feeds, hostScalarFeeds(step.layout, feeds));
    const out = await session.run(feeds);
    const read = (name: string): Float32Array => {
      const v = out[name]?.data;
      if (!(v instanceof Float32Array)) throw new Error(`train step: missing float32 output ${name}`);
      return v;
    };
    params = model.params.map((p) => read(`${p.name}.next`));
    buffers = model.buffers.map((p) => read(`${p.name}.next`));
    state = step.layout.state.map((specs, i) => specs.map((s) => read(`${model.params[i]?.name}.${s.name}.next`)));
    lastLoss = read(OUT.loss)[0] ?? NaN;
    t++;
  };

  return {
    warmup: async () => {
      for (let i = 0; i < WARMUP_STEPS; i++) await oneStep();
    },
    rep: async () => {
      for (let i = 0; i < REWARM_STEPS; i++) await oneStep();
      const start = performance.now();
      for (let i = 0; i < STEPS_PER_REP; i++) await oneStep();
      return (performance.now() - start) / STEPS_PER_REP;
    },
    release: async () => {
      await session.release();
      if (!Number.isFinite(lastLoss)) throw new Error(`${w.name} on ${backend.name}: the loss became ${lastLoss}`);
    },
  };
}

/** GFLOP/s of one 1024×1024×1024 float32 MatMul graph on `backend` (median of GEMM_REPS runs). */
async function gemmRate(backend: Backend): Promise<number> {
  const g = new GraphBuilder();
  const a = g.input('a', [GEMM_N, GEMM_N], 'float32');
  const b = g.input('b', [GEMM_N, GEMM_N], 'float32');
  const session = await backend.createSession(toOnnx(g, [{ name: 'c', value: matmul(a, b) }], { name: 'gemm', dtype: 'float32' }));
  const rng = createRng(1, 'bench', 'gemm');
  const feeds = {
    a: host(Float32Array.from({ length: GEMM_N * GEMM_N }, () => rng.normal()), [GEMM_N, GEMM_N]),
    b: host(Float32Array.from({ length: GEMM_N * GEMM_N }, () => rng.normal()), [GEMM_N, GEMM_N]),
  };
  await session.run(feeds);
  const seconds: number[] = [];
  for (let r = 0; r < GEMM_REPS; r++) {
    const start = performance.now();
    await session.run(feeds);
    seconds.push((performance.now() - start) / 1000);
  }
  await session.release();
  return (2 * GEMM_N ** 3) / median(seconds) / 1e9;
}

// ---------------------------------------------------------------------------------------------
// FLOPs: forward 2·B·in·out per dense layer, 2·B·(out pixels)·(in channels/groups)·k² per conv;
// activations, pooling and the loss are not counted. A training step ≈ 3× the forward pass
// (forward, gradient w.r.t. activations, gradient w.r.t. weights).

function forwardFlopsPerExample(layers: readonly LayerPlan[]): number {
  return layers.reduce((total, l) => {
    switch (l.use.name) {
      case 'dense':
        return total + 2 * size(l.input) * size(l.output);
      case 'conv2d': {
        const k = num(l.use.args['kernel']) ?? 3;
        const groups = num(l.use.args['groups']) ?? 1;
        return total + 2 * size(l.output) * ((l.input[0] ?? 0) / groups) * k * k;
      }
      default:
        return total;
    }
  }, 0);
}

function stepFlops(w: Workload): number {
  return 3 * w.batch * forwardFlopsPerExample(w.recipe.model.layers);
}

// ---------------------------------------------------------------------------------------------
// PyTorch peer

/** The workloads as torch_train.py reads them: the checker's layer shapes, batch, SGD settings. */
function torchSpec(workloads: readonly Workload[]): unknown {
  return {
    threads: THREADS,
    gemm: { n: GEMM_N, reps: GEMM_REPS },
    workloads: workloads.map((w) => {
      const hp = sgdArgs(w.recipe);
      return {
        name: w.name,
        inputShape: w.recipe.model.layers[0]?.input ?? [],
        classes: w.classes,
        batch: w.batch,
        warmup: WARMUP_STEPS,
        rewarm: REWARM_STEPS,
        steps: STEPS_PER_REP,
        sgd: { lr: numArg(hp['lr']), momentum: numArg(hp['momentum']) ?? 0, dampening: numArg(hp['dampening']) ?? 0, nesterov: hp['nesterov'] === true, weight_decay: numArg(hp['weight_decay']) ?? 0 },
        layers: w.recipe.model.layers.flatMap(torchLayers),
      };
    }),
  };
}

function torchLayers(l: LayerPlan): unknown[] {
  const act = l.use.args['act'];
  const relu = isTechnique(act) && act.name === 'relu' ? [{ kind: 'relu' }] : isTechnique(act) && act.name !== 'identity' ? unsupported(l, `act ${act.name}`) : [];
  const norm = l.use.args['norm'];
  if (isTechnique(norm) && norm.name !== 'none') unsupported(l, `norm ${norm.name}`);
  switch (l.use.name) {
    case 'dense':
      return [{ kind: 'dense', in: size(l.input), out: size(l.output) }, ...relu];
    case 'conv2d':
      if ((num(l.use.args['groups']) ?? 1) !== 1) unsupported(l, 'groups');
      return [{ kind: 'conv2d', in: l.input[0], out: l.output[0], kernel: num(l.use.args['kernel']), stride: num(l.use.args['stride']), pad: num(l.use.args['pad']) }, ...relu];
    case 'maxpool': {
      const s = num(l.use.args['size']) ?? 2;
      return [{ kind: 'maxpool', size: s, stride: num(l.use.args['stride']) ?? s }];
    }
    case 'flatten':
      return [{ kind: 'flatten' }];
    default:
      return unsupported(l, 'layer kind');
  }
}

function unsupported(l: LayerPlan, what: string): never {
  throw new Error(`bench/torch_train.py does not mirror ${l.name} (${what})`);
}

/** torch_train.py, running and answering one command at a time. */
interface TorchPeer {
  ask(cmd: Readonly<Record<string, string>>): Promise<unknown>;
  info(): Promise<TorchInfo>;
  close(): void;
}

/** Starts torch_train.py; a string says why PyTorch was skipped. */
function startTorch(workloads: readonly Workload[]): TorchPeer | string {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `PyTorch skipped: \`${PYTHON} -c "import torch, numpy"\` failed (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})`;
  const script = path.join('bench', 'torch_train.py');
  const env = { ...process.env, OMP_NUM_THREADS: String(THREADS), OPENBLAS_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) };
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [script, JSON.stringify(torchSpec(workloads))], { env });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const ask = async (cmd: Readonly<Record<string, string>>): Promise<unknown> => {
    child.stdin.write(`${JSON.stringify(cmd)}\n`);
    const next = await lines.next();
    if (next.done === true) throw new Error(`${script} stopped: ${stderr.join('').trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(next.value) as unknown;
  };
  return {
    ask,
    info: async () => (await ask({ cmd: 'info' })) as TorchInfo,
    close: () => child.stdin.end(),
  };
}

function msOf(answer: unknown): number {
  const ms = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)['ms'] : undefined;
  if (typeof ms !== 'number') throw new Error(`torch_train.py: expected {"ms": number}, got ${JSON.stringify(answer)}`);
  return ms;
}

function gemmOf(answer: unknown): TorchResult['gemm'] {
  const a = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  return { torch: nums(a['torch']), numpy: nums(a['numpy']) };
}

// ---------------------------------------------------------------------------------------------
// Report

function print(workloads: readonly Workload[], backends: readonly BackendName[], ours: ReadonlyMap<string, Timing>, gemm: ReadonlyMap<BackendName, number>, torch: TorchResult | string): void {
  const torchGemm = typeof torch === 'string' ? undefined : (2 * GEMM_N ** 3) / median(torch.gemm.torch) / 1e9;
  const numpyGemm = typeof torch === 'string' ? undefined : (2 * GEMM_N ** 3) / median(torch.gemm.numpy) / 1e9;
  console.log('');
  console.log(`fp32 GEMM ${GEMM_N}³ (median of ${GEMM_REPS}): ${[...gemm].map(([b, r]) => `${b} ${r.toFixed(1)}`).join(', ')}${torchGemm !== undefined ? `, torch ${torchGemm.toFixed(1)}` : ''}${numpyGemm !== undefined ? `, numpy ${numpyGemm.toFixed(1)}` : ''} GFLOP/s`);
  if (typeof torch === 'string') console.log(torch);
  else {
    console.log(`PyTorch ${torch.torch} (numpy ${torch.numpy}, BLAS ${torch.blas}), ${torch.threads} thread; inputs Gaussian of the same shapes`);
    if (torch.blas === 'generic') console.log('caveat: this PyTorch uses the generic reference BLAS (a Debian build), so its dense layers are several times slower than a PyPI wheel with MKL/OpenBLAS; its convolutions go through oneDNN. Read the dense "vs PyTorch" ratios with that in mind.');
  }
  console.log(`medians over ${REPS} rounds of ${STEPS_PER_REP} timed steps (each repetition after ${REWARM_STEPS} untimed ones) after ${WARMUP_STEPS} warm-up steps; in each round every engine, PyTorch last, runs one repetition of each workload`);
  console.log('');

  const header = ['workload', 'engine', 'ms/step', 'steps/s', 'samples/s', 'GFLOP/s', 'of GEMM', 'vs PyTorch', 'target', 'result'];
  const rows: string[][] = [];
  for (const w of workloads) {
    const flops = stepFlops(w);
    const torchMs = typeof torch === 'string' ? undefined : median(torch.workloads[w.name] ?? []);
    for (const b of backends) {
      const ms = median(ours.get(`${w.name}/${b}`)?.msPerStep ?? []);
      const gflops = flops / (ms / 1000) / 1e9;
      const share = gflops / (gemm.get(b) ?? NaN);
      const ratio = typeof torch === 'string' ? undefined : roundRatio(torch.workloads[w.name] ?? [], ours.get(`${w.name}/${b}`)?.msPerStep ?? []);
      const speedTarget = TARGET[b as 'native' | 'wasm'];
      // The issue states the GEMM-share target for the native MLP only: the CNN's step is mostly
      // per-run overhead (see bench/README.md), and wasm has no share target.
      const gemmTarget = w.name === MLP_NAME && b === 'native';
      const shareOk = !gemmTarget || share >= TARGET.gemmShare;
      const passes = [shareOk, ...(ratio !== undefined ? [ratio >= speedTarget] : [])];
      rows.push([
        w.name, b, ms.toFixed(2), (1000 / ms).toFixed(1), ((1000 / ms) * w.batch).toFixed(0), gflops.toFixed(2), percent(share),
        ratio !== undefined ? `${ratio.toFixed(2)}×` : 'n/a', `≥ ${speedTarget}× PyTorch${gemmTarget ? `, ≥ ${percent(TARGET.gemmShare)} GEMM` : ''}`,
        passes.every(Boolean) ? 'MEETS' : `MISSES ${[shareOk ? '' : 'GEMM share', ratio !== undefined && ratio < speedTarget ? 'speed' : ''].filter(Boolean).join(' + ')}`,
      ]);
    }
    if (torchMs !== undefined) {
      const gflops = flops / (torchMs / 1000) / 1e9;
      rows.push([w.name, 'pytorch', torchMs.toFixed(2), (1000 / torchMs).toFixed(1), ((1000 / torchMs) * w.batch).toFixed(0), gflops.toFixed(2), percent(gflops / (torchGemm ?? NaN)), '1.00×', '(peer)', '']);
    }
    rows.push([`  (${(flops / 1e6).toFixed(1)} MFLOP per step = 3 × forward, B=${w.batch})`, '', '', '', '', '', '', '', '', '']);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log('"of GEMM": the step\'s GFLOP/s as a share of the same engine\'s 1024³ GEMM rate (PyTorch\'s row: of torch.matmul). "vs PyTorch": the median over rounds of PyTorch ms/step ÷ ours in the same round.');
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function host(data: Float32Array, shape: readonly number[]): HostTensor {
  return { dtype: 'float32', shape: [...shape], data };
}

function numArg(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The median over rounds of PyTorch's ms per step ÷ ours in the same round. */
function roundRatio(torchMs: readonly number[], oursMs: readonly number[]): number {
  return median(oursMs.map((ms, r) => (torchMs[r] ?? NaN) / ms).filter(Number.isFinite));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

function percent(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : 'n/a';
}

function loadAverage(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

main().then(
  () => (process.exitCode = 0),
  (e: unknown) => {
    // A benchmark that cannot run says why; it still does not fail CI.
    console.error(`bench:train could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 0;
  },
);

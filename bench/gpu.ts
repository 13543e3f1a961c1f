// GPU benchmark (`npm run bench:gpu`): samples/s of the fused train step on webgpu against native
// CPU, through the engine's own pieces as a run takes them (buildModel → buildTrainStep → toOnnx →
// a session whose state outputs stay on the device, fed back every step: engine/train-state.ts),
// and PyTorch on the same architecture (CUDA when torch.cuda.is_available(), else CPU, one thread).
// Workloads: MLP 784-1024-1024-10 with Adam at B = 256 and 1,024; the 28×28 CNN
// (conv32-pool-conv64-pool-dense128-dense10) at B = 256; the MLP with SAM over SGD at B = 1,024.
// Data are random (speed does not depend on them). Self-contained, no network. On a software
// adapter (lavapipe, SwiftShader) it is a correctness run only, and says so.
// Target on a machine with a real GPU: webgpu ≥ 10× native on the B = 1,024 MLP.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { analyze } from '../runtime/analysis';
import { isTechnique } from '../runtime/catalog';
import { buildLoss } from '../runtime/compiler/loss';
import { buildModel, initTensors } from '../runtime/compiler/model';
import { OPTIMIZERS, WRAPPERS } from '../runtime/compiler/optim';
import { toOnnx } from '../runtime/compiler/onnx';
import { OUT, buildTrainStep } from '../runtime/compiler/step';
import { type Backend, adapterLabel, openBackend } from '../runtime/engine/backend';
import { createRng, oneHot } from '../runtime/engine/data';
import { hostScalarFeeds } from '../runtime/engine/step-feeds';
import { createTrainState } from '../runtime/engine/train-state';

const STEPS = Number(process.env['MINIMA_BENCH_STEPS'] ?? 20);
const WARMUP = 3;
const PYTHON = '/usr/bin/python3';

interface Workload {
  readonly name: string;
  readonly model: string;
  readonly kind: 'mlp' | 'cnn';
  readonly input: readonly number[];
  readonly optimizer: string;
  readonly batch: number;
  /** PyTorch's side: layers and optimizer, read by the inline peer below. */
  readonly torch: { readonly net: string; readonly opt: string; readonly sam?: number };
}

const MLP = 'dense(1024, act: relu)\n  dense(1024, act: relu)\n  dense(10)';
const CNN = 'conv2d(32, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  conv2d(64, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  flatten\n  dense(128, act: relu)\n  dense(10)';
const TORCH_MLP = 'nn.Sequential(nn.Linear(784,1024), nn.ReLU(), nn.Linear(1024,1024), nn.ReLU(), nn.Linear(1024,10))';
const TORCH_CNN = 'nn.Sequential(nn.Conv2d(1,32,3,padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32,64,3,padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64*7*7,128), nn.ReLU(), nn.Linear(128,10))';

const WORKLOADS: readonly Workload[] = [
  { name: 'MLP 784-1024-1024-10, Adam, B=256', model: MLP, kind: 'mlp', input: [784], optimizer: 'adam(lr: 1e-3)', batch: 256, torch: { net: TORCH_MLP, opt: 'adam' } },
  { name: 'MLP 784-1024-1024-10, Adam, B=1024', model: MLP, kind: 'mlp', input: [784], optimizer: 'adam(lr: 1e-3)', batch: 1024, torch: { net: TORCH_MLP, opt: 'adam' } },
  { name: 'CNN 28×28 conv32-pool-conv64-pool-dense128-dense10, SGD, B=256', model: CNN, kind: 'cnn', input: [1, 28, 28], optimizer: 'sgd(lr: 0.05, momentum: 0.9)', batch: 256, torch: { net: TORCH_CNN, opt: 'sgd' } },
  { name: 'MLP 784-1024-1024-10, SAM over SGD, B=1024', model: MLP, kind: 'mlp', input: [784], optimizer: 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))', batch: 1024, torch: { net: TORCH_MLP, opt: 'sgd', sam: 0.05 } },
];

async function main(): Promise<void> {
  const webgpu = await openBackend({ kind: 'webgpu' }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const native = await openBackend({ kind: 'native' });
  const adapter = typeof webgpu === 'string' ? `none (${webgpu})` : webgpu.info.adapter ? adapterLabel(webgpu.info.adapter) : `unnamed (${webgpu.info.note ?? ''})`;
  const software = typeof webgpu !== 'string' && webgpu.info.adapter?.software === true;
  console.log(`bench:gpu — adapter: ${adapter}; ${STEPS} timed steps per workload after ${WARMUP} untimed`);
  if (software) console.log('NOTE: a software adapter: this is a correctness run only (the figures say nothing about GPU speed).');
  const torch = torchPeer();
  console.log(`PyTorch peer: ${typeof torch === 'string' ? torch : torch.device}`);
  const rows: string[][] = [['workload', 'webgpu samples/s', 'native samples/s', 'webgpu / native', `PyTorch samples/s`, 'webgpu / PyTorch']];
  for (const w of WORKLOADS) {
    const ours = typeof webgpu === 'string' ? undefined : await measure(w, webgpu);
    const cpu = await measure(w, native);
    const peer = typeof torch === 'string' ? undefined : torch.run(w);
    const fmt = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(0));
    rows.push([w.name, fmt(ours), fmt(cpu), ours ? `${(ours / cpu).toFixed(2)}×` : 'n/a', fmt(peer), ours && peer ? `${(ours / peer).toFixed(2)}×` : 'n/a']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  if (!software && typeof webgpu !== 'string') console.log('target: webgpu ≥ 10× native on the B=1024 MLP');
}

/** Samples per second of `STEPS` device-resident train steps. */
async function measure(w: Workload, backend: Backend): Promise<number> {
  // NOTE: an idx source leaves the input size to run time, so the model is built for w.input;
  // no file is read (the bench feeds random data).
  const text = `recipe "bench-gpu" {\n  seed = 1\n}\n\ndata idx("images.idx", "labels.idx") {\n  batch = ${w.batch}\n}\n\nmodel ${w.kind} {\n  ${w.model}\n}\n\ntrain {\n  epochs = 1\n  optimizer = ${w.optimizer}\n}\n`;
  const a = analyze(text);
  if (!a.recipe) throw new Error(`bench recipe: ${a.diagnostics.map((d) => d.message).join('; ')}`);
  const model = buildModel(a.recipe, { inputShape: w.input });
  const opt = a.recipe.blocks['train']?.attrs['optimizer'];
  if (!isTechnique(opt)) throw new Error('bench recipe has no optimizer');
  const base = opt.entryKind === 'wrapper' ? opt.args['base'] : opt;
  if (!isTechnique(base)) throw new Error('no base optimizer');
  const wrapper = opt.entryKind === 'wrapper' ? WRAPPERS.get(opt.name) : undefined;
  const lossUse = a.recipe.blocks['train']?.attrs['loss'];
  const step = buildTrainStep({
    model,
    loss: (g, output, target) => (isTechnique(lossUse) ? buildLoss(g, lossUse, output, target) : output),
    optimizer: { builder: OPTIMIZERS.get(base.name)!, hp: base.args },
    ...(wrapper ? { wrapper: { builder: wrapper, hp: opt.args } } : {}),
    targetWidth: 10,
    dtype: 'float32',
  });
  const init = initTensors(model, 1);
  const state = await createTrainState(backend, model, step.layout, { params: init.params.map((p) => Float32Array.from(p)), buffers: init.buffers.map((p) => Float32Array.from(p)) });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'bench', dtype: 'float32' }), { deviceOutputs: state.nextOutputs });
  const rng = createRng(1, 'bench-gpu', w.name);
  const width = w.input.reduce((p, q) => p * q, 1);
  const x = Float32Array.from({ length: w.batch * width }, () => rng.normal());
  const y = oneHot(Int32Array.from({ length: w.batch }, () => Math.floor(rng.uniform() * 10)), 10);
  let loss = NaN;
  const once = async (t: number) => {
    const feeds = { ...state.feeds(), x: { dtype: 'float32', shape: [w.batch, ...w.input], data: x }, y: { dtype: 'float32', shape: [w.batch, 10], data: y }, lr: { dtype: 'float32', shape: [], data: Float32Array.of(0.01) }, step: { dtype: 'float32', shape: [], data: Float32Array.of(t + 1) } } as const;
    const out = await session.execute({ ...feeds, ...hostScalarFeeds(step.layout, feeds) });
    state.advance(out.device);
    loss = Number(out.host[OUT.loss]?.data[0]);
  };
  for (let t = 0; t < WARMUP; t++) await once(t);
  const start = performance.now();
  for (let t = 0; t < STEPS; t++) await once(WARMUP + t);
  const seconds = (performance.now() - start) / 1000;
  await session.release();
  state.dispose();
  if (!Number.isFinite(loss)) throw new Error(`${w.name} on ${backend.name}: the loss became ${loss}`);
  return (STEPS * w.batch) / seconds;
}

interface TorchPeer {
  readonly device: string;
  run(w: Workload): number | undefined;
}

/** PyTorch on CUDA when it has a GPU, else on the CPU with one thread; one process per workload. */
function torchPeer(): TorchPeer | string {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print("cuda " + torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu (1 thread)")'], { encoding: 'utf8' });
  if (probe.status !== 0) return `unavailable (${(probe.stderr || 'python3 with torch not found').trim().split('\n').pop()})`;
  const device = probe.stdout.trim();
  return {
    device,
    run: (w) => {
      const script = `
import time, torch, torch.nn as nn
torch.set_num_threads(1)
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
net = ${w.torch.net}.to(dev)
opt = torch.optim.Adam(net.parameters(), lr=1e-3) if '${w.torch.opt}' == 'adam' else torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
x = torch.randn(${w.batch}, ${w.input.join(', ')}, device=dev); y = torch.randint(0, 10, (${w.batch},), device=dev)
loss_fn = nn.CrossEntropyLoss(); rho = ${w.torch.sam ?? 0}
def step():
    opt.zero_grad(); loss = loss_fn(net(x), y); loss.backward()
    if rho > 0:
        ps = [p for p in net.parameters() if p.grad is not None]
        norm = torch.norm(torch.stack([p.grad.norm() for p in ps]))
        es = [p.grad * (rho / (norm + 1e-12)) for p in ps]
        with torch.no_grad():
            for p, e in zip(ps, es): p.add_(e)
        opt.zero_grad(); loss_fn(net(x), y).backward()
        with torch.no_grad():
            for p, e in zip(ps, es): p.sub_(e)
    opt.step()
for _ in range(${WARMUP}): step()
if dev == 'cuda': torch.cuda.synchronize()
t = time.perf_counter()
for _ in range(${STEPS}): step()
if dev == 'cuda': torch.cuda.synchronize()
print(${STEPS} * ${w.batch} / (time.perf_counter() - t))
`;
      const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
      return r.status === 0 ? Number(r.stdout.trim()) : undefined;
    },
  };
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:gpu: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { GraphBuilder, add, grad, interpret, meanSquaredError, mul, reduceSum, tensor, toOnnx, type Tensor, type Value } from '../../compiler';
import { buildModel } from '../../compiler/model';
import { normalizeOnline } from '../../compiler/model/norm-online';
import { linearScan, quadraticScan, reverseScan } from '../../compiler/ops/linear-scan';
import { checkGradient } from '../../testing/gradcheck';
import { backwardState } from '../../compiler/ops/online-norm';
import { OPTIMIZERS } from '../../compiler/optim';
import { buildTrainStep } from '../../compiler/step';
import { checkedRecipe } from '../../testing/model-harness';
import { worstError } from '../../testing/tiny-mlp';
import { runRecipe } from '..';
import { loadNative, openBackend, probeAdapter, type BackendName } from '../backend';
import { createRng } from '../data';
import { stepFeeds } from '../step-feeds';

// Online normalization (catalog A28): the forward statistics and the backward control process
// against a sample-by-sample float64 implementation of the official online-norm-1d.py, the
// catalog's oracles, the emitted prefix scan on a runtime batch size, 20-step PyTorch
// trajectories (test-fixtures/reference/online_norm/generate.py) on wasm, native and webgpu in
// float32, and the digits example.

interface Official {
  y: number[][];
  scale: number[][];
  mu: number[];
  variance: number[];
}

/** online-norm-1d.py's forward, in float64, sample by sample. */
function officialForward(x: number[][], mu0: number[], var0: number[], alpha: number, eps: number): Official {
  let mu = [...mu0];
  let variance = [...var0];
  const y: number[][] = [];
  const scale: number[][] = [];
  for (const row of x) {
    const s = variance.map((v) => Math.sqrt(v + eps));
    y.push(row.map((v, f) => (v - mu[f]!) / s[f]!));
    scale.push(s);
    variance = variance.map((v, f) => alpha * v + alpha * (1 - alpha) * (row[f]! - mu[f]!) ** 2);
    mu = mu.map((m, f) => m + (1 - alpha) * (row[f]! - m));
  }
  return { y, scale, mu, variance };
}

/** online-norm-1d.py's backward (the control process), in float64, sample by sample. */
function officialBackward(g: number[][], fwd: Official, u0: number[], v0: number[], alpha: number): { dx: number[][]; u: number[]; v: number[] } {
  let u = [...u0];
  let v = [...v0];
  const dx = g.map((row, t) => {
    const y = fwd.y[t]!;
    const corrected = row.map((gv, f) => gv - (1 - alpha) * v[f]! * y[f]!);
    v = v.map((vv, f) => vv + corrected[f]! * y[f]!);
    const out = corrected.map((c, f) => c / fwd.scale[t]![f]! - (1 - alpha) * u[f]!);
    u = u.map((uu, f) => uu + out[f]!);
    return out;
  });
  return { dx, u, v };
}

const rows = (t: Tensor | undefined, width: number): number[][] => {
  const data = [...(t?.data ?? [])];
  return Array.from({ length: data.length / width }, (_, i) => data.slice(i * width, (i + 1) * width));
};

interface Built {
  readonly g: GraphBuilder;
  readonly y: Value;
  readonly dx: Value;
  readonly buffers: readonly Value[];
}

/** normalizeOnline on x [B, F] with buffers as inputs, loss Σ w ⊙ y, its dx and the buffers' next values. */
function buildNorm(features: number, args: Record<string, unknown>): Built {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', features]);
  const w = g.input('w', ['B', features]);
  const names = ['mu', 'var', 'u', 'v'];
  const buffers = names.map((n) => g.input(n, [features]));
  const params = [g.input('gamma', [features]), g.input('beta', [features])];
  const r = normalizeOnline(x, params, buffers, { mode: 'train', updateBuffers: true }, args);
  const [dx] = grad(reduceSum(mul(r.value, w), [], false), [x]);
  if (!dx) throw new Error('no dx');
  return { g, y: r.value, dx, buffers: r.buffers.map(backwardState) };
}

function runNorm(b: Built, x: number[][], w: number[][], state: number[][], affine: [number[], number[]]): { y: number[][]; dx: number[][]; state: number[][] } {
  const f = x[0]!.length;
  const feeds: Record<string, Tensor> = {
    x: tensor([x.length, f], x.flat()),
    w: tensor([x.length, f], w.flat()),
    mu: tensor([f], state[0]!),
    var: tensor([f], state[1]!),
    u: tensor([f], state[2]!),
    v: tensor([f], state[3]!),
    gamma: tensor([f], affine[0]),
    beta: tensor([f], affine[1]),
  };
  const [y, dx, ...next] = interpret([b.y, b.dx, ...b.buffers], feeds);
  return { y: rows(y, f), dx: rows(dx, f), state: next.map((t) => [...(t?.data ?? [])]) };
}

function randomRows(seed: number, n: number, f: number, scale = 1, offset = 0): number[][] {
  const rng = createRng(seed, 'online-norm', 0);
  return Array.from({ length: n }, () => Array.from({ length: f }, () => rng.normal() * scale + offset));
}

function closeRows(a: number[][], b: number[][], tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: rows`);
  a.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) <= tol * Math.max(1, Math.abs(b[i]![j]!)), `${what}[${i}][${j}]: ${v} vs ${b[i]![j]}`)));
}

const ZERO_STATE = (f: number): number[][] => [new Array(f).fill(0), new Array(f).fill(1), new Array(f).fill(0), new Array(f).fill(0)];

test('forward and backward equal the official sample-by-sample code (float64), the backward being the control process', () => {
  const f = 4;
  const args = { alpha_fwd: 0.9, alpha_bkw: 0.8, ecm: 'none' };
  const b = buildNorm(f, args);
  const x = randomRows(1, 9, f, 2, 1);
  const w = randomRows(2, 9, f);
  const state = [[0.1, -0.2, 0.3, 0], [1.5, 0.5, 1, 2], [0.01, -0.02, 0.03, 0], [0.2, -0.1, 0, 0.05]];
  const ours = runNorm(b, x, w, state, [[1, 1, 1, 1], [0, 0, 0, 0]]);
  const fwd = officialForward(x, state[0]!, state[1]!, 0.9, 1e-5);
  closeRows(ours.y, fwd.y, 1e-12, 'y');
  const bwd = officialBackward(w, fwd, state[2]!, state[3]!, 0.8);
  closeRows(ours.dx, bwd.dx, 1e-12, 'dx');
  closeRows(ours.state, [fwd.mu, fwd.variance, bwd.u, bwd.v], 1e-12, 'buffers');
  // It is not autograd of the forward: the derivative of y_t in x_t alone is 1/s_t, the control process is not.
  const plain = w.map((r, t) => r.map((v, k) => v / fwd.scale[t]![k]!));
  assert.ok(ours.dx.some((r, t) => r.some((v, k) => Math.abs(v - plain[t]![k]!) > 1e-3)));
});

test('causality: y_t uses only the samples before t, and ∂y_t/∂x_t = γ/s_t before the clamp', () => {
  const f = 3;
  const b = buildNorm(f, { alpha_fwd: 0.8, ecm: 'none' });
  const x = randomRows(3, 6, f, 1.5);
  const w = randomRows(4, 6, f);
  const gamma = [2, 0.5, 1.5];
  const base = runNorm(b, x, w, ZERO_STATE(f), [gamma, [0.1, 0.2, 0.3]]);
  const fwd = officialForward(x, ZERO_STATE(f)[0]!, ZERO_STATE(f)[1]!, 0.8, 1e-5);
  const t = 3;
  const delta = 0.25;
  const moved = x.map((r, i) => (i === t ? r.map((v) => v + delta) : r));
  const after = runNorm(b, moved, w, ZERO_STATE(f), [gamma, [0.1, 0.2, 0.3]]);
  closeRows(after.y.slice(0, t), base.y.slice(0, t), 0, 'samples before t');
  after.y[t]!.forEach((v, k) => assert.ok(Math.abs((v - base.y[t]![k]!) / delta - gamma[k]! / fwd.scale[t]![k]!) < 1e-10));
});

test('a stationary N(3, 2²) stream: μ → 3, σ² → 4 after many more than 5/(1 − α_f) samples', () => {
  const f = 2;
  const b = buildNorm(f, { alpha_fwd: 0.99 });
  let state = ZERO_STATE(f);
  for (let k = 0; k < 20; k++) {
    const x = randomRows(10 + k, 100, f, 2, 3);
    state = runNorm(b, x, randomRows(50 + k, 100, f), state, [[1, 1], [0, 0]]).state;
  }
  state[0]!.forEach((m) => assert.ok(Math.abs(m - 3) < 0.5, `μ ${m}`));
  state[1]!.forEach((v) => assert.ok(Math.abs(v - 4) < 1.5, `σ² ${v}`));
});

test('activation clamp: |output| ≤ clamp (default 5); layer scaling: each sample has mean square ≈ 1', () => {
  const f = 3;
  const x = randomRows(5, 10, f, 20, 10);
  const clamped = runNorm(buildNorm(f, {}), x, randomRows(6, 10, f), ZERO_STATE(f), [[1, 1, 1], [0, 0, 0]]);
  assert.ok(clamped.y.flat().every((v) => Math.abs(v) <= 5));
  assert.ok(clamped.y.flat().some((v) => Math.abs(v) === 5), 'the clamp engages on these inputs');
  const scaled = runNorm(buildNorm(f, { ecm: 'ls' }), x, randomRows(6, 10, f), ZERO_STATE(f), [[1, 1, 1], [0, 0, 0]]);
  scaled.y.forEach((r) => assert.ok(Math.abs(r.reduce((s, v) => s + v * v, 0) / f - 1) < 1e-4));
});

test('batch-size independent: one batch of 12 equals three batches of 4 carried over, forward, backward and state', () => {
  const f = 3;
  const b = buildNorm(f, { alpha_fwd: 0.9, alpha_bkw: 0.7 });
  const x = randomRows(7, 12, f, 1.5, 0.5);
  const w = randomRows(8, 12, f);
  const affine: [number[], number[]] = [[1.2, 0.8, 1], [0.1, 0, -0.1]];
  const whole = runNorm(b, x, w, ZERO_STATE(f), affine);
  let state = ZERO_STATE(f);
  const parts = [0, 4, 8].map((s) => {
    const r = runNorm(b, x.slice(s, s + 4), w.slice(s, s + 4), state, affine);
    state = r.state;
    return r;
  });
  closeRows(parts.flatMap((p) => p.y), whole.y, 1e-12, 'y');
  closeRows(parts.flatMap((p) => p.dx), whole.dx, 1e-12, 'dx');
  closeRows(state, whole.state, 1e-12, 'state');
});

const native = loadNative();
const webgpu = async (): Promise<string | false> => {
  if (!native.ok) return 'native backend unavailable';
  try {
    const p = await probeAdapter();
    return p.ok ? false : `no WebGPU adapter: ${p.reason}`;
  } catch (e) {
    return `no WebGPU adapter: ${e instanceof Error ? e.message : String(e)}`;
  }
};
const BACKENDS: readonly { readonly name: BackendName; readonly skip: () => Promise<string | false> }[] = [
  { name: 'wasm', skip: async () => false },
  { name: 'native', skip: async () => (native.ok ? false : 'native backend unavailable') },
  { name: 'webgpu', skip: webgpu },
];

test('the LinearScan backward (the scan in the other direction) passes a finite-difference check: plain, quadratic and reverse', () => {
  const inputs = { a: { shape: [5, 3], staticShape: ['B', 3] as const, lo: -1.5, hi: 1.5 }, b: { shape: [5, 3], staticShape: ['B', 3] as const }, h0: { shape: [3] } };
  const both = (r: { prev: Value; last: Value }): Value => add(reduceSum(mul(r.prev, r.prev), [1], false), reduceSum(mul(r.last, 0.7), [], false));
  for (const [name, build] of [
    ['plain', (x: Readonly<Record<string, Value>>) => both(linearScan(x['a']!, x['b']!, x['h0']!))],
    ['quadratic', (x: Readonly<Record<string, Value>>) => both(quadraticScan(x['a']!, x['b']!, x['h0']!, 0.3))],
    ['reverse', (x: Readonly<Record<string, Value>>) => both(reverseScan(x['a']!, x['b']!, x['h0']!))],
  ] as const) {
    assert.ok(checkGradient({ name, inputs, build, tol: 1e-6 }) <= 1, name);
  }
});

test('wasm: the emitted prefix scan (forward, reverse, quadratic) equals the sample-by-sample recurrence for batch sizes 1 to 70, with negative and zero decays', async () => {
  const g = new GraphBuilder();
  const a = g.input('a', ['B', 3], 'float32');
  const bIn = g.input('b', ['B', 3], 'float32');
  const h0 = g.input('h0', [3], 'float32');
  const s = linearScan(a, bIn, h0);
  const r = reverseScan(a, bIn, h0);
  const q = quadraticScan(a, bIn, h0, 0.3);
  const backend = await openBackend({ kind: 'wasm', threads: 1 });
  const outputs = [{ name: 'prev', value: s.prev }, { name: 'last', value: s.last }, { name: 'rprev', value: r.prev }, { name: 'rlast', value: r.last }, { name: 'qprev', value: q.prev }, { name: 'qlast', value: q.last }];
  const session = await backend.createSession(toOnnx(g, outputs, { name: 'scan', dtype: 'float32' }));
  try {
    for (const n of [1, 2, 5, 37, 70]) {
      const rng = createRng(n, 'scan', 0);
      const av = Float32Array.from({ length: n * 3 }, (_, i) => (i % 7 === 3 ? 0 : rng.normal()));
      const bv = Float32Array.from({ length: n * 3 }, () => rng.normal());
      const hv = Float32Array.from([0.5, -1, 2]);
      const out = await session.run({ a: { dtype: 'float32', shape: [n, 3], data: av }, b: { dtype: 'float32', shape: [n, 3], data: bv }, h0: { dtype: 'float32', shape: [3], data: hv } });
      const expected = interpret(outputs.map((o) => o.value), { a: tensor([n, 3], av, 'float32'), b: tensor([n, 3], bv, 'float32'), h0: tensor([3], hv, 'float32') });
      const worst = worstError();
      outputs.forEach((o, i) => worst.compare(out[o.name]!.data as Float32Array, [...expected[i]!.data], `B=${n} ${o.name}`));
      assert.ok(worst.error < 1e-5, `${worst.where}: ${worst.error}`);
    }
  } finally {
    await session.release();
  }
});

interface Reference {
  readonly name: string;
  readonly norm: string;
  readonly lr: number;
  readonly init: readonly (readonly number[])[];
  readonly data: readonly (readonly number[])[];
  readonly targets: readonly (readonly number[])[];
  readonly trajectory: readonly { readonly loss: number; readonly params: readonly (readonly number[])[]; readonly buffers: readonly (readonly number[])[] }[];
}

const REFERENCES = ['online-ac.json', 'online-ls.json'].map((f) => path.join('test-fixtures', 'reference', 'online_norm', f));
const REL = 2e-6;
// NOTE: float32 rounding moves the control states u, v more than the parameters: the generator run
// in float32 with the official association differs from its float64 result by up to 2.0e-6 on
// them, and with μ ← αμ + (1 − α)x (the scan's association) by up to 5.9e-6, while its parameters
// stay within 1.6e-6 (measured on both references). The states are held to 2e-5; loss, parameters,
// μ and σ² to 2e-6.
const REL_CONTROL = 2e-5;
// The generator's parameter order: dense_1 weight and bias, dense_2 weight and bias, then γ, β when affine.
const REFERENCE_PARAMS = ['dense_1.weight', 'dense_1.bias', 'dense_2.weight', 'dense_2.bias', 'dense_1.norm.scale', 'dense_1.norm.bias'];
const REFERENCE_BUFFERS = ['dense_1.norm.running_mean', 'dense_1.norm.running_var', 'dense_1.norm.control_u', 'dense_1.norm.control_v'];

for (const file of REFERENCES) {
  for (const b of BACKENDS) {
    test(`${b.name}, float32: PyTorch reference ${path.basename(file)}: loss, parameters, μ, σ² within ${REL} and u, v within ${REL_CONTROL} over 20 SGD steps`, async (t) => {
      const skip = await b.skip();
      if (skip) {
        t.skip(skip);
        return;
      }
      const ref = JSON.parse(fs.readFileSync(file, 'utf8')) as Reference;
      const recipe = `data blobs(features: 5, classes: 3) {\n  batch = 8\n}\nmodel mlp {\n  dense(6, act: relu, norm: ${ref.norm})\n  dense(3)\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(${ref.lr})\n}\n`;
      const model = buildModel(checkedRecipe(recipe, ref.name));
      const sgd = OPTIMIZERS.get('sgd');
      assert.ok(sgd);
      assert.deepEqual(model.buffers.map((x) => x.name), REFERENCE_BUFFERS);
      const order = model.params.map((p) => REFERENCE_PARAMS.indexOf(p.name));
      assert.ok(order.every((i) => i >= 0 && i < ref.init.length), model.params.map((p) => p.name).join(', '));
      const step = buildTrainStep({ model, loss: (_g, o, y) => meanSquaredError(o, y), optimizer: { builder: sgd, hp: { lr: ref.lr, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false } }, targetWidth: 3, dtype: 'float32' });
      const backend = await openBackend({ kind: b.name, threads: 1 });
      const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'online_norm_reference', dtype: 'float32' }));
      let params: Float32Array[] = order.map((i) => Float32Array.from(ref.init[i]!));
      let buffers: Float32Array[] = [[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]].map((v) => Float32Array.from(v));
      const state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
      const worst = worstError();
      const control = worstError();
      try {
        for (const [k, x] of ref.data.entries()) {
          const feeds = stepFeeds(model, step.layout, { x: Float32Array.from(x), y: Float32Array.from(ref.targets[k]!), size: 8, targetWidth: 3 }, { lr: ref.lr, step: k + 1 }, { params, buffers, state, wrapperState: [] }, createRng(0, 'dropout', k));
          const out = await session.run(feeds);
          params = model.params.map((p) => out[`${p.name}.next`]?.data as Float32Array);
          buffers = model.buffers.map((p) => out[`${p.name}.next`]?.data as Float32Array);
          const at = ref.trajectory[k]!;
          worst.compare([Number(out['loss']?.data[0])], [at.loss], `step ${k + 1} loss`);
          order.forEach((i, p) => worst.compare(params[p]!, at.params[i]!, `step ${k + 1} ${model.params[p]!.name}`));
          buffers.forEach((v, i) => (i < 2 ? worst : control).compare(v, at.buffers[i]!, `step ${k + 1} ${model.buffers[i]!.name}`));
        }
      } finally {
        await session.release();
      }
      t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}; control states ${control.error.toExponential(3)} at ${control.where}`);
      assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
      assert.ok(control.error <= REL_CONTROL, `${control.where}: relative error ${control.error.toExponential(3)} > ${REL_CONTROL}`);
    });
  }
}

test('the checker: α outside (0, 1) is an error, and norm: online on a conv layer is a located error', () => {
  const base = 'data digits {\n  batch = 32\n}\nmodel mlp {\n  LAYER\n  dense(10)\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n';
  const errors = (layer: string) => analyze(base.replace('LAYER', layer)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(errors('dense(16, norm: online)'), []);
  assert.match(errors('dense(16, norm: online(alpha_fwd: 1))').join(';'), /alpha_fwd must be > 0 and < 1/);
  assert.match(errors('dense(16, norm: online(alpha_bkw: 0))').join(';'), /alpha_bkw must be > 0 and < 1/);
  const conv = analyze(base.replace('model mlp', 'model cnn').replace('LAYER', 'conv2d(4, kernel: 3, norm: online)\n  flatten')).diagnostics.filter((d) => d.severity === 'error');
  assert.equal(conv.length, 1);
  assert.match(conv[0]!.message, /online applies to dense layers only/);
});

const EXAMPLE = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-online-norm.minima');

test('wasm: the digits example with online normalization reaches ≥ 93% validation accuracy, and its events carry the metrics', async () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-online-'));
  let epochs = 0;
  const result = await runRecipe(a.recipe, { baseDir: dir, recipeText: text, runsDir: dir, backend: 'wasm', threads: 1, onEvent: (e) => { if (e.type === 'epoch') epochs++; } });
  assert.equal(result.status, 'finished', result.message);
  assert.ok(epochs >= 1);
  const acc = result.metrics['val_accuracy'] ?? NaN;
  assert.ok(acc >= 0.93, `validation accuracy ${acc}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('wasm: sam_on over online-normalized layers trains (its second pass differentiates through the first pass\'s control process, so the scan needs its own backward)', async () => {
  const text = fs.readFileSync(path.join(process.cwd(), 'test-fixtures', 'webgpu', 'mlp-online.minima'), 'utf8').replace('optimizer = sgd(lr: 0.05, momentum: 0.9)', 'optimizer = sam_on(rho: 0.05, base: sgd(lr: 0.05))');
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-online-'));
  const result = await runRecipe(a.recipe, { baseDir: dir, recipeText: text, runsDir: dir, backend: 'wasm', threads: 1 });
  assert.equal(result.status, 'finished', result.message);
  assert.ok(Number.isFinite(result.metrics['loss'] ?? NaN));
  fs.rmSync(dir, { recursive: true, force: true });
});

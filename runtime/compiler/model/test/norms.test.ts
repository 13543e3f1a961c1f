// Oracles of the normalizations (catalog.md A24–A27): batch-norm running statistics, weight norm
// at g = ‖v‖, spectral norm's σ and u, layer norm's per-sample statistics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Tensor, grad, interpret, mul, reduceSum, tensor } from '../..';
import { type ModelGraph, buildModel, initTensors } from '..';
import { seededRandom } from '../../../testing/gradcheck';
import { type ModelValues, checkedRecipe, feedsFor, instantiate } from '../../../testing/model-harness';

function model(data: string, kind: 'mlp' | 'cnn', body: string): ModelGraph {
  return buildModel(checkedRecipe(`data ${data} {\n  batch = 8\n}\nmodel ${kind} {\n${body}\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n`, body));
}

function randomData(shape: readonly number[], seed: number, lo = -2, hi = 3): Tensor {
  const r = seededRandom(seed);
  return tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * r()));
}

function run(m: ModelGraph, mode: 'train' | 'eval', values: ModelValues, updateBuffers?: boolean): { output: Tensor; buffers: Tensor[] } {
  const inst = instantiate(m, mode, updateBuffers === undefined ? {} : { updateBuffers });
  const [output, ...buffers] = interpret([inst.result.output, ...inst.result.buffers], feedsFor(m, values));
  assert.ok(output);
  return { output, buffers };
}

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

/** Per channel (axis 1): mean and unbiased variance over all other axes. */
function channelStats(t: Tensor): { mean: number[]; unbiased: number[] } {
  const c = t.shape[1] ?? 0;
  const inner = t.shape.slice(2).reduce((a, b) => a * b, 1);
  const groups: number[][] = Array.from({ length: c }, () => []);
  t.data.forEach((v, i) => groups[Math.floor(i / inner) % c]?.push(v));
  const mean = groups.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
  const unbiased = groups.map((g, k) => g.reduce((a, b) => a + (b - (mean[k] ?? 0)) ** 2, 0) / (g.length - 1));
  return { mean, unbiased };
}

for (const [name, data, kind, body, xShape] of [
  ['dense', 'blobs(features: 3, classes: 4)', 'mlp', 'dense(4, norm: batch)', [6, 3]],
  ['conv', 'digits', 'cnn', 'conv2d(3, kernel: 3, norm: batch)\ndense(10)', [5, 1, 8, 8]],
] as const) {
  test(`batch norm (${name}): running statistics follow PyTorch's update with the unbiased variance`, () => {
    const m = model(data, kind, body);
    const values = { ...initTensors(m, 1), x: randomData(xShape, 2) };
    const before = values.buffers.map((b) => Float64Array.from(b.map((v, i) => v + 0.1 * (i + 1))));
    const trained = run(m, 'train', { ...values, buffers: before });
    const [mean, variance] = trained.buffers;
    assert.ok(mean && variance);
    // Recompute the statistics from the layer's output before the norm, with the same weights.
    const stats = channelStats(preNorm(m, values, kind));
    stats.mean.forEach((mu, k) => near(mean.data[k] ?? NaN, 0.9 * (before[0]?.[k] ?? NaN) + 0.1 * mu, 1e-12, `running mean ${k}`));
    stats.unbiased.forEach((v, k) => near(variance.data[k] ?? NaN, 0.9 * (before[1]?.[k] ?? NaN) + 0.1 * v, 1e-12, `running var ${k}`));
    // No update in eval mode or with updateBuffers false; the values pass through unchanged.
    for (const r of [run(m, 'eval', { ...values, buffers: before }), run(m, 'train', { ...values, buffers: before }, false)]) {
      assert.deepEqual(r.buffers.map((b) => [...b.data]), before.map((b) => [...b]));
    }
  });
}

/** The layer's output before its norm: conv/dense with the model's own weight and bias. */
function preNorm(m: ModelGraph, values: ModelValues, kind: 'mlp' | 'cnn'): Tensor {
  const inst = instantiate(m, 'train');
  // The node feeding BatchNormalization is the layer's product.
  const bn = inst.g.nodes.find((n) => n.op.name === 'BatchNormalization');
  assert.ok(bn, `${kind}: has a BatchNormalization node`);
  const input = bn.inputs[0];
  assert.ok(input);
  const [t] = interpret([input], feedsFor(m, values));
  assert.ok(t);
  return t;
}

test('batch norm (train): per-channel output mean 0 with γ = 1, β = 0 (A27)', () => {
  const m = model('digits', 'cnn', 'conv2d(3, kernel: 3, norm: batch)\ndense(10)');
  const values = { ...initTensors(m, 3), x: randomData([4, 1, 8, 8], 4) };
  const inst = instantiate(m, 'train');
  const bn = inst.g.nodes.find((n) => n.op.name === 'BatchNormalization');
  const y = bn?.outputs[0];
  assert.ok(y);
  const [t] = interpret([y], feedsFor(m, values));
  assert.ok(t);
  const { mean, unbiased } = channelStats(t);
  mean.forEach((mu) => near(mu, 0, 1e-12, 'channel mean'));
  // Biased variance ≈ 1 (up to ε): unbiased · (n − 1)/n.
  const n = 4 * 6 * 6;
  unbiased.forEach((v) => near((v * (n - 1)) / n, 1, 1e-3, 'channel variance'));
});

test('weight norm with g = ‖v‖ equals the plain layer (A24 oracle 1), and ⟨∇v L, v⟩ = 0 per unit (oracle 2)', () => {
  for (const [data, kind, plainBody, xShape] of [
    ['blobs(features: 3, classes: 4)', 'mlp', 'dense(5, act: tanh)\ndense(4)', [6, 3]],
    ['digits', 'cnn', 'conv2d(3, kernel: 3, stride: 2, act: relu)\ndense(10)', [2, 1, 8, 8]],
  ] as const) {
    const plain = model(data, kind, plainBody);
    const normed = model(data, kind, plainBody.replace(/act: (\w+)\)/, 'act: $1, norm: weight)'));
    assert.deepEqual(normed.params.map((p) => p.role), ['weight', 'bias', 'weight_g', 'weight', 'bias']);
    const init = initTensors(normed, 11);
    const x = randomData(xShape, 5);
    const a = run(normed, 'train', { ...init, x }).output;
    const b = run(plain, 'train', { params: [init.params[0], init.params[1], init.params[3], init.params[4]].map((p) => p ?? new Float64Array()), buffers: [], x }).output;
    a.data.forEach((v, i) => near(v, b.data[i] ?? NaN, 1e-12, `${kind} output ${i}`));
    // ⟨∇v L, v⟩ = 0 per output unit, for L = Σ output · r.
    const inst = instantiate(normed, 'train');
    const weighting = inst.g.input('r', ['B', normed.outputWidth]);
    const loss = reduceSum(mul(inst.result.output, weighting), [], false);
    const feeds = { ...feedsFor(normed, { ...init, params: init.params.map((p, i) => (i === 2 ? p.map((v) => v * 1.7) : p)), x }), r: randomData([xShape[0], normed.outputWidth], 6) };
    const [gv] = interpret(grad(loss, [inst.params[0] ?? inst.x]), feeds);
    const v = init.params[0];
    assert.ok(gv && v);
    const rows = normed.params[0]?.shape[0] ?? 1;
    const cols = v.length / rows;
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += (gv.data[r * cols + k] ?? NaN) * (v[r * cols + k] ?? NaN);
      near(dot, 0, 1e-12, `${kind} ⟨∇v, v⟩ unit ${r}`);
    }
  }
});

test('spectral norm: σ ≤ σ_max, ‖u‖ = 1, eval leaves u unchanged, iterating converges to σ_max (A25)', () => {
  const m = model('blobs(features: 4, classes: 3)', 'mlp', 'dense(3, bias: false, norm: spectral)');
  const init = initTensors(m, 21);
  const w = init.params[0];
  assert.ok(w);
  const sigmaMax = largestSingularValue(w, 3, 4);
  // With x = I₄ the output is W_SNᵀ, so σ = W[0, 0] / W_SN[0, 0].
  const eye = tensor([4, 4], Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)));
  let u = init.buffers[0] ?? new Float64Array();
  let sigma = 0;
  for (let step = 0; step < 200; step++) {
    const r = run(m, 'train', { params: init.params, buffers: [u], x: eye });
    sigma = (w[0] ?? NaN) / (r.output.data[0] ?? NaN);
    assert.ok(sigma <= sigmaMax * (1 + 1e-12), `step ${step}: σ ${sigma} ≤ σ_max ${sigmaMax}`);
    const next = r.buffers[0];
    assert.ok(next);
    near(Math.hypot(...next.data), 1, 1e-12, '‖u‖');
    u = next.data;
  }
  near(sigma, sigmaMax, 1e-3 * sigmaMax, 'σ after 200 iterations');
  const evaluated = run(m, 'eval', { params: init.params, buffers: [u], x: eye });
  assert.deepEqual([...(evaluated.buffers[0]?.data ?? [])], [...u]);
  const frozen = run(m, 'train', { params: init.params, buffers: [u], x: eye }, false);
  assert.deepEqual([...(frozen.buffers[0]?.data ?? [])], [...u]);
});

test('layer norm: per-sample mean 0 and variance σ²/(σ² + ε), train = eval, samples independent (A26)', () => {
  for (const [data, kind, body, xShape] of [
    ['blobs(features: 3, classes: 4)', 'mlp', 'dense(6, norm: layer)\ndense(4)', [5, 3]],
    ['digits', 'cnn', 'conv2d(3, kernel: 3, norm: layer)\ndense(10)', [3, 1, 8, 8]],
  ] as const) {
    const m = model(data, kind, body);
    const init = initTensors(m, 8);
    const x = randomData(xShape, 9);
    const inst = instantiate(m, 'train');
    const ln = inst.g.nodes.find((n) => n.op.name === 'LayerNormalization');
    const pre = ln?.inputs[0];
    const post = ln?.outputs[0];
    assert.ok(pre && post);
    const [before, after] = interpret([pre, post], feedsFor(m, { ...init, x }));
    assert.ok(before && after);
    const per = after.data.length / (xShape[0] ?? 1);
    for (let s = 0; s < (xShape[0] ?? 0); s++) {
      const row = (t: Tensor): number[] => [...t.data.slice(s * per, (s + 1) * per)];
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const variance = (v: number[]): number => mean(v.map((e) => (e - mean(v)) ** 2));
      const sigma2 = variance(row(before));
      near(mean(row(after)), 0, 1e-12, `${kind} sample ${s} mean`);
      near(variance(row(after)), sigma2 / (sigma2 + 1e-5), 1e-12, `${kind} sample ${s} variance`);
    }
    const train = run(m, 'train', { ...init, x });
    const evaluated = run(m, 'eval', { ...init, x });
    assert.deepEqual([...train.output.data], [...evaluated.output.data]);
    // Changing the other samples does not change sample 0's output.
    const other = tensor(x.shape, x.data.map((v, i) => (i < x.data.length / (xShape[0] ?? 1) ? v : v * 3 - 1)));
    const changed = run(m, 'eval', { ...init, x: other });
    const width = m.outputWidth;
    assert.deepEqual([...changed.output.data.slice(0, width)], [...train.output.data.slice(0, width)]);
  }
});

/** σ_max of a rows × cols matrix by power iteration on WᵀW, in plain JS. */
function largestSingularValue(w: Float64Array, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => 1 + i);
  let sigma = 0;
  for (let it = 0; it < 5000; it++) {
    const wv = Array.from({ length: rows }, (_, r) => v.reduce((s, e, c) => s + (w[r * cols + c] ?? NaN) * e, 0));
    const wtwv = Array.from({ length: cols }, (_, c) => wv.reduce((s, e, r) => s + (w[r * cols + c] ?? NaN) * e, 0));
    const n = Math.hypot(...wtwv);
    v = wtwv.map((e) => e / n);
    sigma = Math.sqrt(n);
  }
  return sigma;
}

// Initialization: the statistics each init promises (PyTorch torch.nn.init semantics), exact
// structure (orthogonality, g = ‖v‖, unit u), determinism by seed, and the numerics under it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type InitSpec, type ParamInfo, buildModel, initTensors } from '..';
import { irfft2, orthonormalColumns, symmetricEigenvectors } from '../linalg';
import { seededRng } from '../random';
import { checkedRecipe } from '../../../testing/model-harness';

function weight(shape: readonly number[], name: string, args: Readonly<Record<string, unknown>> = {}): ParamInfo {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  const init: InitSpec = { kind: 'technique', name, args, fanIn: (shape[1] ?? 1) * receptive, fanOut: (shape[0] ?? 1) * receptive };
  return { name: 'layer_1.weight', layer: 'layer_1', role: 'weight', shape, compressible: true, isNorm: false, init };
}

function init(p: ParamInfo, seed = 1): Float64Array {
  const [w] = initTensors({ params: [p], buffers: [] }, seed).params;
  assert.ok(w);
  return w;
}

function moments(w: Float64Array): { mean: number; variance: number } {
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  return { mean, variance: w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length };
}

/** Variance tolerances: 128k draws give a relative standard error of about 0.4%; 3% is > 7σ. */
const STATS: readonly { readonly name: string; readonly args?: Readonly<Record<string, unknown>>; readonly variance: number; readonly bound?: number }[] = [
  { name: 'he', variance: 2 / 256 },
  { name: 'he', args: { mode: 'fan_out' }, variance: 2 / 512 },
  { name: 'he', args: { distribution: 'uniform' }, variance: 2 / 256, bound: Math.sqrt(3) * Math.sqrt(2 / 256) },
  { name: 'xavier', variance: 2 / (256 + 512), bound: Math.sqrt(3) * Math.sqrt(2 / 768) },
  { name: 'xavier', args: { distribution: 'normal', gain: 2 }, variance: (4 * 2) / 768 },
];

for (const s of STATS) {
  test(`${s.name}(${JSON.stringify(s.args ?? {})}): variance ${s.variance.toPrecision(3)} on a [512, 256] weight`, () => {
    const w = init(weight([512, 256], s.name, s.args ?? {}));
    const { mean, variance } = moments(w);
    assert.ok(Math.abs(mean) < 0.03 * Math.sqrt(s.variance), `mean ${mean}`);
    assert.ok(Math.abs(variance / s.variance - 1) < 0.03, `variance ${variance} vs ${s.variance}`);
    if (s.bound !== undefined) assert.ok(w.every((v) => Math.abs(v) <= (s.bound ?? 0)), 'uniform draws stay within ±√3·std');
  });
}

test('he on a conv kernel uses fan_in = in·kh·kw', () => {
  const { variance } = moments(init(weight([64, 32, 3, 3], 'he')));
  assert.ok(Math.abs(variance / (2 / (32 * 9)) - 1) < 0.03, `variance ${variance}`);
});

/** Gram matrix of the rows (rows × rows) of a row-major rows × cols matrix. */
function rowGram(w: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: rows }, (_, j) => {
    let s = 0;
    for (let k = 0; k < cols; k++) s += (w[i * cols + k] ?? NaN) * (w[j * cols + k] ?? NaN);
    return s;
  }));
}

function assertScaledIdentity(gram: number[][], scale: number, what: string): void {
  gram.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? scale : 0)) < 1e-12, `${what}[${i}][${j}] = ${v}`)));
}

function transpose(w: Float64Array, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, k) => w[(k % rows) * cols + Math.floor(k / rows)] ?? NaN);
}

test('orthogonal: WᵀW = gain²·I (tall), WWᵀ = gain²·I (wide, and a conv kernel as [out, in·k·k])', () => {
  const tall = init(weight([40, 24], 'orthogonal', { gain: 1.5 }));
  assertScaledIdentity(rowGram(transpose(tall, 40, 24), 24, 40), 2.25, 'WᵀW');
  const wide = init(weight([16, 30], 'orthogonal', { gain: 1 }));
  assertScaledIdentity(rowGram(wide, 16, 30), 1, 'WWᵀ');
  const kernel = init(weight([8, 2, 3, 3], 'orthogonal', { gain: 1 }));
  assertScaledIdentity(rowGram(kernel, 8, 18), 1, 'kernel rows');
});

test('conv_aware: variance exactly 2/fan_in (A32); dense weights: orthogonal rows at the same variance', () => {
  for (const shape of [[8, 3, 3, 3], [4, 20, 3, 3], [6, 2, 1, 1], [5, 4, 2, 4]]) {
    const w = init(weight(shape, 'conv_aware', { eps_std: 0.05 }));
    const fanIn = (shape[1] ?? 1) * (shape[2] ?? 1) * (shape[3] ?? 1);
    assert.ok(Math.abs(moments(w).variance * fanIn / 2 - 1) < 1e-12, `[${shape.join(',')}]`);
  }
  const dense = init(weight([6, 20], 'conv_aware', { eps_std: 0.05 }));
  const { variance } = moments(dense);
  assert.ok(Math.abs(variance * 20 / 2 - 1) < 1e-12);
  const gram = rowGram(dense, 6, 20);
  const scale = gram[0]?.[0] ?? NaN;
  assertScaledIdentity(gram.map((r) => r.map((v) => v / scale)), 1, 'dense rows (normalized)');
});

test('inits are deterministic by seed and by name, and differ across seeds', () => {
  const p = weight([10, 7], 'he');
  assert.deepEqual([...init(p, 5)], [...init(p, 5)]);
  assert.notDeepEqual([...init(p, 5)], [...init(p, 6)]);
  assert.notDeepEqual([...init(p, 5)], [...init({ ...p, name: 'layer_2.weight' }, 5)]);
  for (const name of ['xavier', 'orthogonal', 'conv_aware']) {
    const k = weight([4, 3, 3, 3], name);
    assert.deepEqual([...init(k, 9)], [...init(k, 9)], name);
  }
});

test('a model: biases 0, norm scale 1 / bias 0, weight_g = ‖v‖, running mean 0 / var 1, ‖u‖ = 1; a new layer keeps the others', () => {
  const text = (extra: string): string => `data blobs(features: 4, classes: 3) {\n  batch = 8\n}\nmodel mlp {\n  dense(6, norm: weight)\n  dense(5, norm: batch)\n${extra}  dense(3, norm: spectral)\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n`;
  const model = buildModel(checkedRecipe(text(''), 'init'));
  const { params, buffers } = initTensors(model, 42);
  const byName = new Map(model.params.map((p, i) => [p.name, params[i] ?? new Float64Array()]));
  const v = byName.get('dense_1.weight') ?? new Float64Array();
  const g = byName.get('dense_1.weight_g') ?? new Float64Array();
  g.forEach((gi, r) => assert.ok(Math.abs(gi - Math.hypot(...v.slice(r * 4, r * 4 + 4))) < 1e-15, `g[${r}]`));
  assert.ok([...(byName.get('dense_1.bias') ?? [])].every((b) => b === 0));
  assert.ok([...(byName.get('dense_2.norm.scale') ?? [])].every((b) => b === 1));
  assert.ok([...(byName.get('dense_2.norm.bias') ?? [])].every((b) => b === 0));
  assert.deepEqual(model.buffers.map((b) => b.name), ['dense_2.norm.running_mean', 'dense_2.norm.running_var', 'dense_3.norm.u']);
  assert.ok([...(buffers[0] ?? [])].every((b) => b === 0));
  assert.ok([...(buffers[1] ?? [])].every((b) => b === 1));
  assert.ok(Math.abs(Math.hypot(...(buffers[2] ?? [])) - 1) < 1e-15);
  // Inserting a layer (named dense_3 now; the old dense_3 becomes dense_4) leaves dense_1's init as it was.
  const bigger = buildModel(checkedRecipe(text('  dense(5)\n'), 'init'));
  const again = initTensors(bigger, 42);
  assert.deepEqual([...(again.params[0] ?? [])], [...v]);
});

test('linalg: Householder Q has orthonormal columns and Q·R = A with diag(R) > 0', () => {
  const rng = seededRng(3);
  const a = Float64Array.from({ length: 7 * 4 }, () => rng.normal());
  const q = orthonormalColumns(a, 7, 4);
  assertScaledIdentity(rowGram(transpose(q, 7, 4), 4, 7), 1, 'QᵀQ');
  // R = QᵀA is upper triangular with a positive diagonal, and Q·R reproduces A.
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let r = 0;
      for (let k = 0; k < 7; k++) r += (q[k * 4 + i] ?? NaN) * (a[k * 4 + j] ?? NaN);
      if (i > j) assert.ok(Math.abs(r) < 1e-12, `R[${i}][${j}] = ${r}`);
      if (i === j) assert.ok(r > 0, `R[${i}][${i}] = ${r}`);
    }
  }
});

test('linalg: Jacobi eigenvectors are orthonormal and satisfy A·v = λ·v, ordered by |λ|', () => {
  const rng = seededRng(4);
  const n = 6;
  const raw = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = Float64Array.from({ length: n * n }, (_, k) => (raw[k] ?? 0) + (raw[(k % n) * n + Math.floor(k / n)] ?? 0));
  const vs = symmetricEigenvectors(a, n);
  const flat = Float64Array.from(vs.flatMap((v) => [...v]));
  assertScaledIdentity(rowGram(flat, n, n), 1, 'VVᵀ');
  let previous = Infinity;
  for (const v of vs) {
    const av = Array.from({ length: n }, (_, i) => v.reduce((s, e, j) => s + (a[i * n + j] ?? NaN) * e, 0));
    const lambda = av.reduce((s, e, i) => s + e * (v[i] ?? NaN), 0);
    av.forEach((e, i) => assert.ok(Math.abs(e - lambda * (v[i] ?? NaN)) < 1e-10, 'A·v = λ·v'));
    assert.ok(Math.abs(lambda) <= previous + 1e-12);
    previous = Math.abs(lambda);
  }
});

test('linalg: irfft2 matches numpy.fft.irfft2 on real half spectra', () => {
  const cases: readonly [number[], number, number, number[]][] = [
    [[0.5, -1.0, 2.0, 0.25, -0.75, 1.5], 3, 3, [0.36111111111111105, 0.11111111111111108, 0.11111111111111108, -0.4305555555555556, 0.4027777777777777, -0.013888888888888801, -0.4305555555555556, -0.013888888888888801, 0.4027777777777777]],
    [[0.5, -1.0, 2.0, 0.25], 2, 2, [0.4375, 0.8125, -0.6875, -0.0625]],
    [[0.5, -1.0, 0.3, 2.0, 0.25, -0.6, 0.1, 0.2, 0.3, 1.0, -2.0, 0.7], 4, 4,
      [-0.05, 0.18125, 0.5875, 0.18125, -0.125, -0.25625, 0.175, 0.30625, 0.0, -0.18125, -0.2375, -0.18125, -0.125, 0.30625, 0.175, -0.25625]],
  ];
  for (const [x, h, w, expected] of cases) {
    const out = irfft2(Float64Array.from(x), h, w);
    expected.forEach((e, i) => assert.ok(Math.abs((out[i] ?? NaN) - e) < 1e-14, `${h}×${w} [${i}]: ${out[i]} vs ${e}`));
  }
});

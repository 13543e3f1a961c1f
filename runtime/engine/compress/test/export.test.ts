import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel, initTensors, type ModelGraph } from '../../../compiler/model';
import { decodeOnnxModel, toOnnx } from '../../../compiler/onnx';
import { buildCompressedEval, buildExport, observedName, type ActivationQuantization, type ExportCompression, type LossFn, type QuantizedTensor } from '../../../compiler/step';
import { buildLoss } from '../../../compiler/loss';
import { checkedRecipe } from '../../../testing/model-harness';
import { openBackend, type Backend } from '../../backend';
import { createRng } from '../../data';
import { activationQuantization, recordInputs } from '../activations';
import { fileStats } from '../export';
import { factorOf } from '../factor';
import { matrixOf } from '../lowrank';
import { svd } from '../svd';
import { applyPtq, codesOf } from '../ptq';
import type { QuantSpec } from '../quantize';

// Oracles of the compressed export (catalog A57, A62, A63): the factored model computes the
// projected-weight model's function, 8-bit weights take a quarter of the bytes and compute what
// the evaluation graph computes, quantized activations lie on their grid. Models are random
// (seeded initialization); shapes come from the digits data set, which is not loaded.

const MLP = `data digits {\n  batch = 32\n}\n\nmodel mlp {\n  dense(32, act: relu)\n  dense(24, act: tanh)\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n`;
const CNN = `data digits {\n  batch = 32\n}\n\nmodel cnn {\n  conv2d(6, kernel: 3, pad: 1, act: relu)\n  conv2d(8, kernel: 3, stride: 2, pad: 1, act: relu)\n  flatten\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n`;
const crossEntropy: LossFn = (g, o, y) => buildLoss(g, { name: 'cross_entropy', args: {} }, o, y);
/** fp32 tolerance of two float32 evaluations of the same function (catalog A57: 1e-5). */
const TOL = 1e-5;

interface Setup {
  readonly model: ModelGraph;
  readonly params: Float32Array[];
  readonly buffers: Float32Array[];
}

function setup(text: string, seed: number): Setup {
  const model = buildModel(checkedRecipe(text, 'export test'));
  const init = initTensors(model, seed);
  return { model, params: init.params.map((p) => Float32Array.from(p)), buffers: init.buffers.map((b) => Float32Array.from(b)) };
}

function inputs(model: ModelGraph, n: number, seed: number): Float32Array {
  const rng = createRng(seed, 'x', 0);
  return Float32Array.from({ length: n * model.inputShape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

async function logits(backend: Backend, bytes: Uint8Array, feeds: Record<string, Float32Array>, model: ModelGraph, n: number): Promise<Float32Array> {
  const session = await backend.createSession(bytes);
  const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { dtype: 'float32' as const, shape: k === 'y' ? [n, 10] : [n, ...model.inputShape], data: v }])));
  await session.release();
  return out['logits']?.data as Float32Array;
}

function assertClose(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] ?? NaN)) <= TOL * Math.max(1, Math.abs(v)), `${what}[${i}]: ${v} vs ${b[i]}`));
}

const exportBytes = (s: Setup, params: readonly Float32Array[], compression?: ExportCompression) => {
  const g = buildExport(s.model, { params, buffers: s.buffers }, true, 'float32', compression);
  assert.deepEqual(g.skipped, []);
  return toOnnx(g.graph, g.outputs, { name: 'export_test', dtype: 'float32' });
};

const CASES = [
  { text: MLP, layer: 'dense_1', method: 'svd', rank: 5, layout: 'gemm' },
  { text: MLP, layer: 'dense_2', method: 'trp', rank: 4, layout: 'gemm' },
  { text: CNN, layer: 'conv2d_2', method: 'svd', rank: 3, layout: 'conv-svd' },
  { text: CNN, layer: 'conv2d_2', method: 'trp', rank: 3, layout: 'conv-trp' },
] as const;

for (const c of CASES) {
  test(`A57: ${c.layer} factored by ${c.method} at rank ${c.rank} (${c.layout}) computes the projected-weight model; the file has the estimated parameters`, async () => {
    const s = setup(c.text, 11);
    const i = s.model.params.findIndex((p) => p.name === `${c.layer}.weight`);
    const shape = s.model.params[i]?.shape ?? [];
    const f = factorOf(s.params[i] ?? [], shape, c.method, c.rank);
    assert.equal(f.weight.layout, c.layout);
    const projected = s.params.map((p, k) => (k === i ? f.projected : p));
    const dense = exportBytes(s, projected);
    const factored = exportBytes(s, projected, { factored: new Map([[i, f.weight]]) });
    const n = 5;
    const x = inputs(s.model, n, 3);
    for (const kind of ['native', 'wasm'] as const) {
      const backend = await openBackend({ kind });
      assertClose(await logits(backend, factored, { input: x }, s.model, n), await logits(backend, dense, { input: x }, s.model, n), `${kind} logits`);
    }
    // The projection has rank k: W_k's (k+1)-th singular value vanishes next to the first.
    const m = matrixOf(shape, c.method);
    assert.ok(m.rows > c.rank && m.cols > c.rank);
    const d = svd(Float64Array.from({ length: m.rows * m.cols }, (_, k) => f.projected[m.index(Math.floor(k / m.cols), k % m.cols)] ?? 0), m.rows, m.cols);
    assert.ok((d.s[c.rank] ?? 0) <= 1e-5 * (d.s[0] ?? 0) && (d.s[c.rank - 1] ?? 0) > 1e-3 * (d.s[0] ?? 0), `singular values ${Array.from(d.s.slice(0, c.rank + 1)).join(', ')}`);
    // Parameters in the file: dense ones as they are, the factored weight as k·(rows + cols).
    const expected = s.params.reduce((sum, p, k) => sum + (k === i ? c.rank * (m.rows + m.cols) : p.length), 0);
    assert.equal(fileStats(factored).parameters, expected);
    assert.equal(fileStats(dense).parameters, s.params.reduce((sum, p) => sum + p.length, 0));
    const graph = decodeOnnxModel(factored);
    assert.ok(graph.ok);
    const op = c.layout === 'gemm' ? 'Gemm' : 'Conv';
    const count = (bytes: Uint8Array) => {
      const d = decodeOnnxModel(bytes);
      return d.ok ? d.model.graph.nodes.filter((node) => node.opType === op).length : -1;
    };
    assert.equal(count(factored), count(dense) + 1);
    if (c.layout === 'conv-trp') {
      const dims = graph.model.graph.initializers.map((t) => t.dims.join('x'));
      assert.ok(dims.includes(`${c.rank}x6x3x1`) && dims.includes(`8x${c.rank}x1x3`), dims.join(' '));
    }
  });
}

const SPECS: readonly QuantSpec[] = [
  { bits: 8, symmetric: true, perChannel: true, range: { kind: 'minmax' } },
  { bits: 8, symmetric: false, perChannel: false, range: { kind: 'mse' } },
  { bits: 4, symmetric: true, perChannel: true, range: { kind: 'percentile', p: 99 } },
];

/** The weights of every compressible parameter quantized by ptq, as the export's codes. */
function quantizeAll(s: Setup, spec: QuantSpec): { weights: Float32Array[]; quantized: Map<number, QuantizedTensor> } {
  const targets = s.model.params.flatMap((p, i) => (p.compressible ? [i] : []));
  const r = applyPtq({ targets, spec }, s.model.params, s.params);
  return { weights: r.weights, quantized: new Map([...r.exported].map(([i, e]) => [i, codesOf(r.weights[i] ?? [], e)])) };
}

for (const spec of SPECS) {
  const name = `${spec.bits}-bit ${spec.symmetric ? 'int8 symmetric' : 'uint8 asymmetric'} ${spec.perChannel ? 'per channel' : 'per tensor'} ${spec.range.kind}`;
  test(`${name} weights: 8-bit initializers a quarter of the float bytes; export = evaluation graph = dense Q(W) model`, async () => {
    const s = setup(CNN, 12);
    const { weights, quantized } = quantizeAll(s, spec);
    const q = exportBytes(s, weights, { quantized });
    const plain = exportBytes(s, weights);
    const decoded = decodeOnnxModel(q);
    assert.ok(decoded.ok);
    const storage = spec.symmetric ? 'int8' : 'uint8';
    const eightBit = decoded.model.graph.initializers.filter((t) => t.type === storage);
    const weightElements = [...quantized.keys()].reduce((sum, i) => sum + (s.params[i]?.length ?? 0), 0);
    const channels = [...quantized.values()].reduce((sum, t) => sum + t.scale.length, 0);
    // Codes (one byte per weight) and zero points (one byte per channel), nothing else 8-bit.
    assert.equal(eightBit.reduce((sum, t) => sum + t.data.length, 0), weightElements + channels);
    // The decoder reads the codes back exactly.
    const codes = eightBit.filter((t) => t.dims.length > 1).map((t) => Array.from(t.data));
    assert.deepEqual(codes, [...quantized.values()].map((t) => Array.from(t.codes)));
    // 4× smaller in the weights: float bytes minus 3 per weight, plus 4 + 1 bytes per channel (scale, zero point).
    assert.equal(fileStats(q).bytes, fileStats(plain).bytes - 3 * weightElements + 5 * channels);
    const n = 4;
    const x = inputs(s.model, n, 5);
    const evalGraph = buildCompressedEval(s.model, { params: weights, buffers: s.buffers }, crossEntropy, 10, 'float32', { quantized });
    const evalBytes = toOnnx(evalGraph.graph, evalGraph.outputs, { name: 'eval', dtype: 'float32' });
    const native = await openBackend({ kind: 'native' });
    const reference = await logits(native, evalBytes, { x, y: new Float32Array(n * 10) }, s.model, n);
    for (const kind of ['native', 'wasm'] as const) {
      const backend = await openBackend({ kind });
      assertClose(await logits(backend, q, { input: x }, s.model, n), reference, `${kind} export vs evaluation`);
      assertClose(await logits(backend, plain, { input: x }, s.model, n), reference, `${kind} dense Q(W) vs evaluation`);
    }
  });
}

for (const spec of SPECS) {
  const name = `${spec.bits}-bit ${spec.symmetric ? 'int8' : 'uint8'} ${spec.range.kind}`;
  test(`${name} activations: calibrated, on their grid, ≤ 2^b values per layer input on a batch; export = evaluation graph`, async () => {
    const s = setup(MLP, 13);
    const { weights, quantized } = quantizeAll(s, spec);
    const targets = [...quantized.keys()];
    const native = await openBackend({ kind: 'native' });
    const batch = 32;
    const calibration = [0, 1, 2].map((k) => ({ x: inputs(s.model, batch, 20 + k), size: batch }));
    const recorded = await recordInputs(native, s.model, { params: weights, buffers: s.buffers }, { quantized }, targets, calibration);
    assert.deepEqual([...recorded.keys()], targets);
    const activations = new Map<number, ActivationQuantization>([...recorded].map(([i, v]) => [i, activationQuantization(v, spec)]));
    const compression: ExportCompression = { quantized, activations };
    const evalGraph = buildCompressedEval(s.model, { params: weights, buffers: s.buffers }, crossEntropy, 10, 'float32', compression, { params: targets, at: 'quantized' });
    const session = await native.createSession(toOnnx(evalGraph.graph, evalGraph.outputs, { name: 'eval', dtype: 'float32' }));
    const x = inputs(s.model, batch, 30);
    const out = await session.run({ x: { dtype: 'float32', shape: [batch, ...s.model.inputShape], data: x }, y: { dtype: 'float32', shape: [batch, 10], data: new Float32Array(batch * 10) } });
    await session.release();
    for (const [i, a] of activations) {
      const values = out[observedName(i)]?.data as Float32Array;
      assert.ok(values.length > 0);
      assert.ok(new Set(values).size <= 2 ** spec.bits, `${new Set(values).size} values`);
      for (const v of values) {
        const code = v / a.scale + a.zeroPoint;
        assert.ok(Math.abs(code - Math.round(code)) < 1e-3 && code >= a.qmin - 1e-3 && code <= a.qmax + 1e-3, `${v} is not on the grid (s ${a.scale}, z ${a.zeroPoint})`);
      }
    }
    const reference = out['logits']?.data as Float32Array;
    const exported = exportBytes(s, weights, compression);
    for (const kind of ['native', 'wasm'] as const) assertClose(await logits(await openBackend({ kind }), exported, { input: x }, s.model, batch), reference, `${kind} export vs evaluation`);
  });
}

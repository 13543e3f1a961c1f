// Finite-difference gradient checks, one or more per op with a backward rule (and per derived op).
// Each case reduces the op's output to sum(out · r) with random r; the tolerance is
// |analytic − numeric| ≤ 1e-6 · max(1, |analytic|) with central differences at eps 1e-6
// unless a case states otherwise. Inputs stay away from kinks (0 for relu/abs, clip bounds, ties).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '..';
import { type GradCase, checkGradient } from '../../testing/gradcheck';

const v = (x: Readonly<Record<string, c.Value>>, name: string): c.Value => {
  const value = x[name];
  if (value === undefined) throw new Error(`no input ${name}`);
  return value;
};

const CASES: readonly GradCase[] = [
  { name: 'Add broadcast', inputs: { a: { shape: [2, 3] }, b: { shape: [3] } }, build: (x) => c.add(v(x, 'a'), v(x, 'b')) },
  { name: 'Sub broadcast', inputs: { a: { shape: [2, 1] }, b: { shape: [2, 3] } }, build: (x) => c.sub(v(x, 'a'), v(x, 'b')) },
  { name: 'Mul broadcast', inputs: { a: { shape: [2, 3] }, b: { shape: [1, 3] } }, build: (x) => c.mul(v(x, 'a'), v(x, 'b')) },
  { name: 'Div', inputs: { a: { shape: [2, 3] }, b: { shape: [2, 3], lo: 0.5, hi: 2 } }, build: (x) => c.div(v(x, 'a'), v(x, 'b')) },
  { name: 'Pow (both inputs)', inputs: { a: { shape: [2, 3], lo: 0.5, hi: 2 }, b: { shape: [3], lo: 0.5, hi: 2.5 } }, build: (x) => c.pow(v(x, 'a'), v(x, 'b')) },
  { name: 'Pow (constant exponent)', inputs: { a: { shape: [4], lo: -2, hi: 2 } }, build: (x) => c.pow(v(x, 'a'), 3) },
  { name: 'Neg', inputs: { a: { shape: [3] } }, build: (x) => c.neg(v(x, 'a')) },
  { name: 'Relu', inputs: { a: { shape: [2, 4], away: 0.1 } }, build: (x) => c.relu(v(x, 'a')) },
  { name: 'Tanh', inputs: { a: { shape: [5], lo: -2, hi: 2 } }, build: (x) => c.tanh(v(x, 'a')) },
  { name: 'Sigmoid', inputs: { a: { shape: [5], lo: -3, hi: 3 } }, build: (x) => c.sigmoid(v(x, 'a')) },
  { name: 'Erf', inputs: { a: { shape: [6], lo: -2, hi: 2 } }, build: (x) => c.erf(v(x, 'a')) },
  { name: 'Exp', inputs: { a: { shape: [4], lo: -1, hi: 1 } }, build: (x) => c.exp(v(x, 'a')) },
  { name: 'Log', inputs: { a: { shape: [4], lo: 0.5, hi: 3 } }, build: (x) => c.log(v(x, 'a')) },
  { name: 'Sqrt', inputs: { a: { shape: [4], lo: 0.5, hi: 3 } }, build: (x) => c.sqrt(v(x, 'a')) },
  { name: 'Reciprocal', inputs: { a: { shape: [4], lo: 0.5, hi: 3 } }, build: (x) => c.reciprocal(v(x, 'a')) },
  { name: 'Abs', inputs: { a: { shape: [6], away: 0.1 } }, build: (x) => c.abs(v(x, 'a')) },
  { name: 'Sign (zero gradient)', inputs: { a: { shape: [3], away: 0.1 }, b: { shape: [3] } }, build: (x) => c.add(c.sign(v(x, 'a')), v(x, 'b')) },
  { name: 'Max broadcast', inputs: { a: { shape: [2, 3] }, b: { shape: [3] } }, build: (x) => c.max(v(x, 'a'), v(x, 'b')) },
  { name: 'Clip', inputs: { a: { shape: [8], data: [-2, -0.7, -0.3, 0.1, 0.4, 0.6, 1.3, 2] } }, build: (x) => c.clip(v(x, 'a'), -0.5, 0.5) },
  {
    name: 'Where',
    inputs: { a: { shape: [2, 3] }, b: { shape: [3] }, m: { shape: [2, 3], away: 0.2 } },
    build: (x) => c.where(c.greater(v(x, 'm'), 0), v(x, 'a'), v(x, 'b')),
  },
  { name: 'Cast float64→float32→float64', inputs: { a: { shape: [3] } }, build: (x) => c.cast(c.cast(v(x, 'a'), 'float32'), 'float64') },
  { name: 'MatMul', inputs: { a: { shape: [2, 3] }, b: { shape: [3, 4] } }, build: (x) => c.matmul(v(x, 'a'), v(x, 'b')) },
  { name: 'MatMul batched, broadcast', inputs: { a: { shape: [2, 2, 3] }, b: { shape: [3, 2] } }, build: (x) => c.matmul(v(x, 'a'), v(x, 'b')) },
  {
    name: 'MatMul symbolic batch',
    inputs: { a: { shape: [3, 4], staticShape: ['B', 4] }, b: { shape: [4, 2] } },
    build: (x) => c.matmul(v(x, 'a'), v(x, 'b')),
  },
  {
    name: 'Gemm plain with C',
    inputs: { a: { shape: [2, 3] }, b: { shape: [3, 4] }, cc: { shape: [4] } },
    build: (x) => c.gemm(v(x, 'a'), v(x, 'b'), { alpha: 0.7, beta: 1.3 }, v(x, 'cc')),
  },
  {
    name: 'Gemm transA transB',
    inputs: { a: { shape: [3, 2] }, b: { shape: [4, 3] }, cc: { shape: [2, 4] } },
    build: (x) => c.gemm(v(x, 'a'), v(x, 'b'), { alpha: 1.5, transA: true, transB: true }, v(x, 'cc')),
  },
  { name: 'Gemm transA', inputs: { a: { shape: [3, 2] }, b: { shape: [3, 4] } }, build: (x) => c.gemm(v(x, 'a'), v(x, 'b'), { transA: true }) },
  { name: 'Gemm transB', inputs: { a: { shape: [2, 3] }, b: { shape: [4, 3] } }, build: (x) => c.gemm(v(x, 'a'), v(x, 'b'), { transB: true }) },
  { name: 'Softmax axis 1', inputs: { a: { shape: [2, 4], lo: -3, hi: 3 } }, build: (x) => c.softmax(v(x, 'a'), 1) },
  { name: 'Softmax axis 0', inputs: { a: { shape: [3, 2], lo: -3, hi: 3 } }, build: (x) => c.softmax(v(x, 'a'), 0) },
  { name: 'LogSoftmax', inputs: { a: { shape: [2, 5], lo: -3, hi: 3 } }, build: (x) => c.logSoftmax(v(x, 'a'), -1) },
  {
    name: 'SoftmaxCrossEntropy with soft targets and a symbolic batch (logits and targets)',
    inputs: { z: { shape: [3, 4], staticShape: ['B', 4], lo: -3, hi: 3 }, q: { shape: [3, 4], staticShape: ['B', 4], lo: 0, hi: 1 } },
    build: (x) => c.softmaxCrossEntropy(v(x, 'z'), v(x, 'q')),
  },
  {
    name: 'SoftmaxCrossEntropy through both outputs (loss and log softmax)',
    inputs: { z: { shape: [2, 3], lo: -3, hi: 3 }, q: { shape: [2, 3], lo: 0, hi: 1, check: false } },
    build: (x) => {
      const [loss, logp] = v(x, 'z').graph.apply(c.SoftmaxCrossEntropy, [v(x, 'z'), v(x, 'q')], {}, 2);
      if (loss === undefined || logp === undefined) throw new Error('SoftmaxCrossEntropy: missing output');
      return c.add(c.mul(logp, 0.5), loss);
    },
  },
  { name: 'ReduceSum axes [1] keepdims', inputs: { a: { shape: [2, 3, 2] } }, build: (x) => c.reduceSum(v(x, 'a'), [1], true) },
  { name: 'ReduceSum all, no keepdims', inputs: { a: { shape: [2, 3] } }, build: (x) => c.reduceSum(v(x, 'a'), [], false) },
  { name: 'ReduceMean axes [0, 2]', inputs: { a: { shape: [2, 3, 2] } }, build: (x) => c.reduceMean(v(x, 'a'), [0, 2], false) },
  {
    name: 'ReduceMean over symbolic batch',
    inputs: { a: { shape: [3, 2], staticShape: ['B', 2] } },
    build: (x) => c.reduceMean(v(x, 'a'), [0], false),
  },
  { name: 'ReduceSumSquare axes [0, 2]', inputs: { a: { shape: [2, 3, 2] } }, build: (x) => c.reduceSumSquare(v(x, 'a'), [0, 2], true) },
  { name: 'ReduceSumSquare all, no keepdims', inputs: { a: { shape: [2, 3] } }, build: (x) => c.reduceSumSquare(v(x, 'a'), [], false) },
  { name: 'ReduceMax', inputs: { a: { shape: [3, 4] } }, build: (x) => c.reduceMax(v(x, 'a'), [1], false) },
  { name: 'Expand', inputs: { a: { shape: [3, 1] }, like: { shape: [2, 3, 4], check: false } }, build: (x) => c.expand(v(x, 'a'), v(x, 'like')) },
  { name: 'Reshape', inputs: { a: { shape: [2, 6] } }, build: (x) => c.reshape(v(x, 'a'), [3, -1, 2]) },
  { name: 'Reshape symbolic', inputs: { a: { shape: [3, 2, 2], staticShape: ['B', 2, 2] } }, build: (x) => c.reshape(v(x, 'a'), [0, -1]) },
  { name: 'Flatten', inputs: { a: { shape: [2, 2, 3] } }, build: (x) => c.flatten(v(x, 'a'), 1) },
  { name: 'Transpose', inputs: { a: { shape: [2, 3, 4] } }, build: (x) => c.transpose(v(x, 'a'), [2, 0, 1]) },
  { name: 'Concat', inputs: { a: { shape: [2, 3] }, b: { shape: [2, 1] } }, build: (x) => c.concat([v(x, 'a'), v(x, 'b')], 1) },
  {
    name: 'Split into 1, 3 and 2 along axis 1 (one part unused)',
    inputs: { a: { shape: [2, 6, 2] } },
    build: (x) => {
      const [p, , r] = c.split(v(x, 'a'), [1, 3, 2], 1);
      if (p === undefined || r === undefined) throw new Error('split: missing part');
      return c.concat([c.mul(r, 2), p], 1);
    },
  },
  {
    name: 'ContractRows over [B, 3, K] rows',
    inputs: { a: { shape: [2, 3, 4], staticShape: ['B', 3, 4] }, g: { shape: [2, 3, 5], staticShape: ['B', 3, 5] } },
    build: (x) => c.contractRows(v(x, 'a'), v(x, 'g')),
  },
  {
    name: 'MatMul [B, 3, 4] by a 2-D [4, 2] (weight gradient through ContractRows)',
    inputs: { a: { shape: [2, 3, 4], staticShape: ['B', 3, 4] }, b: { shape: [4, 2] } },
    build: (x) => c.matmul(v(x, 'a'), v(x, 'b')),
  },
  { name: 'Slice', inputs: { a: { shape: [4, 5] } }, build: (x) => c.slice(v(x, 'a'), [1, -4], [3, 4], [0, 1]) },
  { name: 'Pad', inputs: { a: { shape: [2, 3] } }, build: (x) => c.pad(v(x, 'a'), [1, 0, 2, 1]) },
  {
    name: 'Conv plain',
    inputs: { x: { shape: [2, 2, 4, 4] }, w: { shape: [3, 2, 3, 3] }, b: { shape: [3] } },
    build: (x) => c.convOp(v(x, 'x'), v(x, 'w'), {}, v(x, 'b')),
  },
  {
    name: 'Conv stride 2, pads, uneven',
    inputs: { x: { shape: [1, 2, 5, 6] }, w: { shape: [2, 2, 3, 2] } },
    build: (x) => c.convOp(v(x, 'x'), v(x, 'w'), { strides: [2, 2], pads: [1, 0, 1, 1] }),
  },
  {
    name: 'Conv dilation 2',
    inputs: { x: { shape: [1, 1, 6, 6] }, w: { shape: [2, 1, 2, 2] } },
    build: (x) => c.convOp(v(x, 'x'), v(x, 'w'), { dilations: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'Conv groups 2',
    inputs: { x: { shape: [2, 4, 4, 4] }, w: { shape: [4, 2, 3, 3] }, b: { shape: [4] } },
    build: (x) => c.convOp(v(x, 'x'), v(x, 'w'), { group: 2, pads: [1, 1, 1, 1] }, v(x, 'b')),
  },
  {
    name: 'Conv symbolic batch',
    inputs: { x: { shape: [2, 1, 4, 4], staticShape: ['B', 1, 4, 4] }, w: { shape: [2, 1, 3, 3] } },
    build: (x) => c.convOp(v(x, 'x'), v(x, 'w'), { strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'conv() in its dense (Toeplitz) form, with bias and symbolic batch',
    inputs: { x: { shape: [2, 2, 4, 4], staticShape: ['B', 2, 4, 4] }, w: { shape: [3, 2, 3, 3] }, b: { shape: [3] } },
    build: (x) => c.conv(v(x, 'x'), v(x, 'w'), { pads: [1, 1, 1, 1] }, v(x, 'b')),
  },
  {
    name: 'ConvTranspose stride 2, pads, output_padding',
    inputs: { x: { shape: [1, 2, 3, 3] }, w: { shape: [2, 3, 3, 3] }, b: { shape: [3] } },
    build: (x) => c.convTranspose(v(x, 'x'), v(x, 'w'), { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 0] }, v(x, 'b')),
  },
  {
    name: 'ConvTranspose groups 2',
    inputs: { x: { shape: [1, 4, 3, 3] }, w: { shape: [4, 1, 2, 2] } },
    build: (x) => c.convTranspose(v(x, 'x'), v(x, 'w'), { group: 2 }),
  },
  {
    name: 'MaxPool 2x2 with Indices',
    inputs: { x: { shape: [2, 2, 4, 4] } },
    build: (x) => c.first(v(x, 'x').graph.apply(c.MaxPool, [v(x, 'x')], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }, 2)),
  },
  { name: 'MaxPoolValues 2x2 (tiling windows: MaxPoolGrad)', inputs: { x: { shape: [2, 2, 4, 4] } }, build: (x) => c.maxPool(v(x, 'x'), { kernel: [2, 2] }) },
  {
    name: 'MaxPoolGrad with respect to g (3x3 windows)',
    inputs: { x: { shape: [1, 2, 6, 3], check: false }, g: { shape: [1, 2, 2, 1] } },
    build: (x) => {
      const input = v(x, 'x');
      const y = c.maxPool(input, { kernel: [3, 3] });
      return input.graph.apply1(c.MaxPoolGrad, [input, y, v(x, 'g')], { kernel_shape: [3, 3], strides: [3, 3], pads: [0, 0, 0, 0] });
    },
  },
  {
    name: 'MaxPoolValues 3x3 stride 2 pads (overlapping windows: Indices)',
    inputs: { x: { shape: [1, 2, 5, 5] } },
    build: (x) => c.maxPool(v(x, 'x'), { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  { name: 'AveragePool 2x2', inputs: { x: { shape: [1, 2, 4, 4] } }, build: (x) => c.averagePool(v(x, 'x'), { kernel: [2, 2] }) },
  {
    name: 'AveragePool 3x3 stride 2 pads, count_include_pad 0',
    inputs: { x: { shape: [1, 2, 5, 6] } },
    build: (x) => c.averagePool(v(x, 'x'), { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: 'AveragePool count_include_pad 1',
    inputs: { x: { shape: [1, 1, 4, 4] } },
    build: (x) => c.averagePool(v(x, 'x'), { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], countIncludePad: true }),
  },
  {
    name: 'GatherElements',
    inputs: { d: { shape: [3, 4] }, i: { shape: [2, 4], dtype: 'int64', data: [0, 2, 1, 2, 2, 2, 0, 1] } },
    build: (x) => c.gatherElements(v(x, 'd'), v(x, 'i'), 0),
  },
  {
    name: 'GatherRows with repeated rows over a symbolic batch',
    inputs: { d: { shape: [4, 3], staticShape: [4, 'B'] } },
    build: (x) => c.gatherRows(v(x, 'd'), [3, 0, 3, 1, 3]),
  },
  {
    name: 'ScatterElements add (duplicate indices)',
    inputs: { d: { shape: [2, 5] }, i: { shape: [2, 3], dtype: 'int64', data: [0, 4, 0, 1, 1, -1] }, u: { shape: [2, 3] } },
    build: (x) => c.scatterElements(v(x, 'd'), v(x, 'i'), v(x, 'u'), 1, 'add'),
  },
  {
    name: 'ScatterElements none',
    inputs: { d: { shape: [2, 4] }, i: { shape: [2, 2], dtype: 'int64', data: [3, 0, 1, 2] }, u: { shape: [2, 2] } },
    build: (x) => c.scatterElements(v(x, 'd'), v(x, 'i'), v(x, 'u'), 1, 'none'),
  },
  {
    name: 'LayerNormalization last axis',
    inputs: { x: { shape: [3, 5], lo: -2, hi: 2 }, s: { shape: [5] }, b: { shape: [5] } },
    build: (x) => c.layerNorm(v(x, 'x'), v(x, 's'), v(x, 'b')),
  },
  {
    name: 'LayerNormalization axis 1 over [C,D]',
    inputs: { x: { shape: [2, 3, 4], lo: -2, hi: 2 }, s: { shape: [3, 4] } },
    build: (x) => c.layerNorm(v(x, 'x'), v(x, 's'), undefined, { axis: 1, epsilon: 1e-3 }),
  },
  {
    name: 'BatchNormalization train (NCHW)',
    inputs: { x: { shape: [3, 2, 2, 2], lo: -2, hi: 2 }, s: { shape: [2] }, b: { shape: [2] }, m: { shape: [2], check: false }, var: { shape: [2], lo: 0.5, hi: 1.5, check: false } },
    build: (x) => c.batchNorm(v(x, 'x'), v(x, 's'), v(x, 'b'), v(x, 'm'), v(x, 'var'), { training: true }).y,
  },
  {
    name: 'BatchNormalization train (N,C) symbolic batch',
    inputs: { x: { shape: [4, 3], staticShape: ['B', 3], lo: -2, hi: 2 }, s: { shape: [3] }, b: { shape: [3] }, m: { shape: [3], check: false }, var: { shape: [3], lo: 0.5, hi: 1.5, check: false } },
    build: (x) => c.batchNorm(v(x, 'x'), v(x, 's'), v(x, 'b'), v(x, 'm'), v(x, 'var'), { training: true }).y,
  },
  {
    name: 'BatchNormalization eval',
    inputs: { x: { shape: [2, 3, 2, 1] }, s: { shape: [3] }, b: { shape: [3] }, m: { shape: [3], check: false }, var: { shape: [3], lo: 0.5, hi: 1.5, check: false } },
    build: (x) => c.batchNorm(v(x, 'x'), v(x, 's'), v(x, 'b'), v(x, 'm'), v(x, 'var'), { training: false }).y,
  },
  { name: 'gelu (derived)', inputs: { a: { shape: [6], lo: -3, hi: 3 } }, build: (x) => c.gelu(v(x, 'a')) },
  {
    name: 'dropout (derived, explicit mask)',
    inputs: { a: { shape: [2, 3] }, mask: { shape: [2, 3], dtype: 'bool', data: [1, 0, 1, 1, 0, 0] } },
    build: (x) => c.dropout(v(x, 'a'), v(x, 'mask'), 0.25),
  },
];

for (const gc of CASES) {
  test(`gradient: ${gc.name}`, () => {
    assert.ok(checkGradient(gc) <= 1);
  });
}

test('Max sends the gradient of a tie to its first operand', () => {
  const g = new c.GraphBuilder();
  const a = g.input('a', [4]);
  const b = g.input('b', [4]);
  const r = g.input('r', [4]);
  const [da, db] = c.grad(c.reduceSum(c.mul(c.max(a, b), r), [], false), [a, b]);
  assert.ok(da && db);
  const [ga, gb] = c.interpret([da, db], { a: c.tensor([4], [1, 2, 3, -1]), b: c.tensor([4], [1, 0, 4, -1]), r: c.tensor([4], [5, 6, 7, 8]) });
  assert.deepEqual([...(ga?.data ?? [])], [5, 6, 0, 8]);
  assert.deepEqual([...(gb?.data ?? [])], [0, 0, 7, 0]);
});

test('every op with a backward rule has a gradient case', () => {
  const covered = new Set(CASES.map((gc) => gc.name.split(' ')[0]));
  const missing = [...c.OPS.values()].filter((op) => typeof op.backward === 'function' && !covered.has(op.name)).map((op) => op.name);
  assert.deepEqual(missing, []);
});

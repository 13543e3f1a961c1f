// One or more small graphs per op in OPS, run on onnxruntime by runtime/engine/backend/test and
// compared with the reference interpreter. `covers` names the OPS entries a case exercises.

import * as c from '../compiler';
import type { RunCase } from './onnx-run';

export interface OpCase extends RunCase {
  readonly covers: readonly string[];
}

const v = (x: Readonly<Record<string, c.Value>>, name: string): c.Value => {
  const value = x[name];
  if (value === undefined) throw new Error(`no input ${name}`);
  return value;
};

/** Small integers, so that pooling windows hold ties. */
const POOL_TIES = Array.from({ length: 96 }, (_, i) => ((i * 7) % 5) - 2);

const ROUND_TIES = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7, 3.49, -3.51];

export const OP_CASES: readonly OpCase[] = [
  { name: 'Add broadcasts [B,3] + [3]', covers: ['Add'], inputs: { a: { shape: [2, 3], staticShape: ['B', 3] }, b: { shape: [3] } }, build: (x) => [c.add(v(x, 'a'), v(x, 'b'))] },
  { name: 'Sub broadcasts [3,1] - [1,4]', covers: ['Sub'], inputs: { a: { shape: [3, 1] }, b: { shape: [1, 4] } }, build: (x) => [c.sub(v(x, 'a'), v(x, 'b'))] },
  { name: 'Mul with a scalar constant', covers: ['Mul'], inputs: { a: { shape: [2, 3] } }, build: (x) => [c.mul(v(x, 'a'), 0.75)] },
  { name: 'Div', covers: ['Div'], inputs: { a: { shape: [2, 3] }, b: { shape: [2, 3], away: 0.5 } }, build: (x) => [c.div(v(x, 'a'), v(x, 'b'))] },
  { name: 'Pow with a tensor exponent', covers: ['Pow'], inputs: { a: { shape: [2, 3], lo: 0.5, hi: 2 }, b: { shape: [3], lo: -2, hi: 3 } }, build: (x) => [c.pow(v(x, 'a'), v(x, 'b'))] },
  { name: 'Neg', covers: ['Neg'], inputs: { a: { shape: [5] } }, build: (x) => [c.neg(v(x, 'a'))] },
  { name: 'Relu', covers: ['Relu'], inputs: { a: { shape: [2, 4] } }, build: (x) => [c.relu(v(x, 'a'))] },
  { name: 'Tanh', covers: ['Tanh'], inputs: { a: { shape: [6], lo: -3, hi: 3 } }, build: (x) => [c.tanh(v(x, 'a'))] },
  { name: 'Sigmoid', covers: ['Sigmoid'], inputs: { a: { shape: [6], lo: -6, hi: 6 } }, build: (x) => [c.sigmoid(v(x, 'a'))] },
  { name: 'Erf on both sides of |x| = 3', covers: ['Erf'], inputs: { a: { shape: [12], lo: -4.5, hi: 4.5 } }, build: (x) => [c.erf(v(x, 'a'))] },
  { name: 'Exp', covers: ['Exp'], inputs: { a: { shape: [6], lo: -3, hi: 3 } }, build: (x) => [c.exp(v(x, 'a'))] },
  { name: 'Log', covers: ['Log'], inputs: { a: { shape: [6], lo: 0.1, hi: 5 } }, build: (x) => [c.log(v(x, 'a'))] },
  { name: 'Sqrt', covers: ['Sqrt'], inputs: { a: { shape: [6], lo: 0, hi: 4 } }, build: (x) => [c.sqrt(v(x, 'a'))] },
  { name: 'Reciprocal', covers: ['Reciprocal'], inputs: { a: { shape: [6], away: 0.2 } }, build: (x) => [c.reciprocal(v(x, 'a'))] },
  { name: 'Abs', covers: ['Abs'], inputs: { a: { shape: [6] } }, build: (x) => [c.abs(v(x, 'a'))] },
  { name: 'Sign (with a zero)', covers: ['Sign'], inputs: { a: { shape: [4], data: [-2, 0, 0.5, -0.25] } }, build: (x) => [c.sign(v(x, 'a'))] },
  { name: 'Round halves to even', covers: ['Round'], inputs: { a: { shape: [ROUND_TIES.length], data: ROUND_TIES } }, build: (x) => [c.round(v(x, 'a'))] },
  { name: 'Max broadcasts [2,3] with [3], with ties', covers: ['Max'], inputs: { a: { shape: [2, 3], data: [1, -2, 0.5, 3, 0, -1] }, b: { shape: [3], data: [1, 0, -1] } }, build: (x) => [c.max(v(x, 'a'), v(x, 'b'))] },
  { name: 'Greater and Less', covers: ['Greater', 'Less'], inputs: { a: { shape: [2, 3] }, b: { shape: [3] } }, build: (x) => [c.greater(v(x, 'a'), v(x, 'b')), c.less(v(x, 'a'), v(x, 'b'))] },
  { name: 'Equal', covers: ['Equal'], inputs: { a: { shape: [4], data: [1, 2, 3, 4] }, b: { shape: [4], data: [1, 0, 3, -4] } }, build: (x) => [c.equal(v(x, 'a'), v(x, 'b'))] },
  {
    name: 'Mod on int64 takes the divisor sign',
    covers: ['Mod'],
    inputs: { a: { shape: [6], dtype: 'int64', data: [-7, 7, -7, 7, 5, 0] }, b: { shape: [6], dtype: 'int64', data: [3, 3, -3, -3, 7, 2] } },
    build: (x) => [c.mod(v(x, 'a'), v(x, 'b'))],
  },
  {
    name: 'Where with a bool input and a computed condition',
    covers: ['Where'],
    inputs: { m: { shape: [2, 3], dtype: 'bool', data: [1, 0, 1, 0, 0, 1] }, a: { shape: [2, 3] }, b: { shape: [3] } },
    build: (x) => [c.where(v(x, 'm'), v(x, 'a'), v(x, 'b')), c.where(c.greater(v(x, 'a'), 0), v(x, 'a'), 0)],
  },
  {
    name: 'Cast float → int64 truncates, → bool, and back',
    covers: ['Cast'],
    inputs: { a: { shape: [6], data: [-2.7, -0.5, 0, 0.5, 2.7, 3] }, i: { shape: [2], dtype: 'int64', data: [-3, 5] } },
    build: (x) => [c.cast(v(x, 'a'), 'int64'), c.cast(v(x, 'a'), 'bool'), c.cast(v(x, 'i'), 'float64'), c.cast(c.cast(v(x, 'a'), 'bool'), 'float64')],
  },
  { name: 'Clip with both bounds and with one', covers: ['Clip'], inputs: { a: { shape: [8], lo: -2, hi: 2 } }, build: (x) => [c.clip(v(x, 'a'), -0.5, 0.75), c.clip(v(x, 'a'), -Infinity, 0.25)] },
  {
    name: 'MatMul [B,3]·[3,4] and batched [2,3,4]·[4,5]',
    covers: ['MatMul'],
    inputs: { a: { shape: [2, 3], staticShape: ['B', 3] }, w: { shape: [3, 4] }, p: { shape: [2, 3, 4] }, q: { shape: [4, 5] } },
    build: (x) => [c.matmul(v(x, 'a'), v(x, 'w')), c.matmul(v(x, 'p'), v(x, 'q'))],
  },
  {
    name: 'Gemm with transA, transB, alpha, beta and C',
    covers: ['Gemm'],
    inputs: { a: { shape: [3, 2] }, b: { shape: [4, 3] }, cc: { shape: [4] } },
    build: (x) => [
      c.gemm(v(x, 'a'), v(x, 'b'), { alpha: 0.5, beta: 2, transA: true, transB: true }, v(x, 'cc')),
      // 0.1 and 0.3 are not float32 numbers: float64 must not round them.
      c.gemm(v(x, 'a'), v(x, 'b'), { alpha: 0.1, beta: 0.3, transA: true, transB: true }, v(x, 'cc')),
      c.gemm(v(x, 'b'), v(x, 'a'), { alpha: 0.1 }),
    ],
  },
  {
    // A weight gradient dYᵀ·X of a wide dense layer: emitted with an explicit transpose of dY
    // (matmul.ts, leftOperand), with and without transB, C, and float64 alpha/beta.
    name: 'Gemm with transA on a wide layer (explicit transpose), symbolic batch',
    covers: ['Gemm'],
    inputs: { dy: { shape: [3, 256], staticShape: ['Bw', 256] }, xs: { shape: [3, 520], staticShape: ['Bw', 520] }, xt: { shape: [520, 3], staticShape: [520, 'Bw'] }, acc: { shape: [256, 520] } },
    build: (x) => [
      c.gemm(v(x, 'dy'), v(x, 'xs'), { transA: true }),
      c.gemm(v(x, 'dy'), v(x, 'xt'), { transA: true, transB: true }, v(x, 'acc')),
      c.gemm(v(x, 'dy'), v(x, 'xs'), { alpha: 0.1, beta: 0.3, transA: true }, v(x, 'acc')),
    ],
  },
  {
    name: 'SoftmaxCrossEntropy: the loss and log softmax, soft targets, symbolic batch',
    covers: ['SoftmaxCrossEntropy'],
    inputs: { z: { shape: [2, 4], staticShape: ['B', 4], lo: -3, hi: 3 }, q: { shape: [2, 4], staticShape: ['B', 4], lo: 0, hi: 1 } },
    build: (x) => [...v(x, 'z').graph.apply(c.SoftmaxCrossEntropy, [v(x, 'z'), v(x, 'q')], {}, 2)],
  },
  {
    name: 'Softmax and LogSoftmax along the last and the first axis',
    covers: ['Softmax', 'LogSoftmax'],
    inputs: { a: { shape: [3, 4], lo: -5, hi: 5 } },
    build: (x) => [c.softmax(v(x, 'a')), c.logSoftmax(v(x, 'a')), c.softmax(v(x, 'a'), 0), c.logSoftmax(v(x, 'a'), 0)],
  },
  {
    name: 'ReduceSum, ReduceMean, ReduceMax, ReduceSumSquare over some axes and all',
    covers: ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceSumSquare'],
    inputs: { a: { shape: [2, 3, 4], staticShape: ['B', 3, 4] } },
    build: (x) => {
      const a = v(x, 'a');
      return [
        c.reduceSum(a, [1], false), c.reduceSum(a, [], true), c.reduceMean(a, [0, 2], true), c.reduceMean(a, [], false), c.reduceMax(a, [-1], false), c.reduceMax(a),
        c.reduceSumSquare(a, [1, 2], true), c.reduceSumSquare(a, [], false),
      ];
    },
  },
  {
    name: 'Expand to a symbolic and to a static shape',
    covers: ['Expand'],
    inputs: { a: { shape: [1, 3] }, like: { shape: [2, 3], staticShape: ['B', 3] }, s: { shape: [2, 1] } },
    build: (x) => [c.expand(v(x, 'a'), v(x, 'like')), c.expand(v(x, 's'), v(x, 's').graph.constant(c.filled([2, 5], 0)))],
  },
  {
    name: 'Reshape with 0 and -1, Flatten, Transpose',
    covers: ['Reshape', 'Flatten', 'Transpose'],
    inputs: { a: { shape: [2, 3, 4], staticShape: ['B', 3, 4] } },
    build: (x) => {
      const a = v(x, 'a');
      return [c.reshape(a, [0, -1]), c.reshape(a, [0, 6, 2]), c.flatten(a, 1), c.transpose(a, [2, 0, 1]), c.transpose(a)];
    },
  },
  {
    name: 'Slice with steps, negative ends and to the end; Pad; Concat',
    covers: ['Slice', 'Pad', 'Concat'],
    inputs: { a: { shape: [2, 6], staticShape: ['B', 6] }, b: { shape: [3, 4] }, d: { shape: [3, 2] } },
    build: (x) => {
      const a = v(x, 'a');
      const b = v(x, 'b');
      return [c.slice(a, [1], [c.TO_END], [1], [2]), c.slice(b, [1, 0], [-1, 3], [0, 1]), c.slice(b, [-1], [-c.TO_END], [1], [-1]), c.pad(b, [1, 0, 0, 2], 0.5), c.concat([b, v(x, 'd')], 1)];
    },
  },
  {
    name: 'Conv with stride, pads and bias; grouped Conv',
    covers: ['Conv'],
    inputs: { x: { shape: [2, 2, 5, 5], staticShape: ['B', 2, 5, 5] }, w: { shape: [3, 2, 3, 3] }, b: { shape: [3] }, wg: { shape: [4, 1, 2, 2] } },
    build: (x) => [c.convOp(v(x, 'x'), v(x, 'w'), { strides: [2, 2], pads: [1, 1, 1, 1] }, v(x, 'b')), c.convOp(v(x, 'x'), v(x, 'wg'), { group: 2, dilations: [2, 1] })],
  },
  {
    name: 'ConvTranspose with stride 2, pads and output_padding',
    covers: ['ConvTranspose'],
    inputs: { x: { shape: [1, 2, 3, 3] }, w: { shape: [2, 3, 3, 3] }, b: { shape: [3] } },
    build: (x) => [c.convTranspose(v(x, 'x'), v(x, 'w'), { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }, v(x, 'b'))],
  },
  {
    name: 'MaxPool values and indices (with pads)',
    covers: ['MaxPool'],
    inputs: { x: { shape: [2, 2, 4, 5] } },
    build: (x) => {
      const input = v(x, 'x');
      return input.graph.apply(c.MaxPool, [input], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 0, 0, 1] }, 2);
    },
  },
  {
    name: 'MaxPoolValues (tiling and overlapping windows); MaxPoolGrad with ties: the first maximum wins',
    covers: ['MaxPoolValues', 'MaxPoolGrad'],
    inputs: {
      x: { shape: [2, 2, 4, 6], staticShape: ['B', 2, 4, 6], data: POOL_TIES },
      g: { shape: [2, 2, 2, 3], staticShape: ['B', 2, 2, 3] },
      z: { shape: [1, 1, 6, 6] },
      h: { shape: [1, 1, 2, 2] },
    },
    build: (x) => {
      const [input, z] = [v(x, 'x'), v(x, 'z')];
      const y = c.maxPool(input, { kernel: [2, 2] });
      const y3 = c.maxPool(z, { kernel: [3, 3] });
      return [
        y,
        c.maxPool(input, { kernel: [3, 3], strides: [1, 2], pads: [1, 1, 1, 1] }),
        input.graph.apply1(c.MaxPoolGrad, [input, y, v(x, 'g')], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }),
        z.graph.apply1(c.MaxPoolGrad, [z, y3, v(x, 'h')], { kernel_shape: [3, 3], strides: [3, 3], pads: [0, 0, 0, 0] }),
      ];
    },
  },
  {
    // conv() builds small convolutions with run-time weights as GEMMs by their Toeplitz matrix.
    name: 'conv() in its dense (Toeplitz) form: small maps, weights from inputs',
    covers: ['Gemm', 'MatMul'],
    inputs: { x: { shape: [2, 2, 4, 4], staticShape: ['B', 2, 4, 4] }, w: { shape: [3, 2, 3, 3] }, b: { shape: [3] }, w2: { shape: [2, 2, 3, 3] } },
    build: (x) => [c.conv(v(x, 'x'), v(x, 'w'), { pads: [1, 1, 1, 1] }, v(x, 'b')), c.conv(v(x, 'x'), v(x, 'w2'), { strides: [2, 2], pads: [1, 1, 1, 1] })],
  },
  {
    name: 'AveragePool with and without pads counted',
    covers: ['AveragePool'],
    inputs: { x: { shape: [2, 2, 4, 5] } },
    build: (x) => [
      c.averagePool(v(x, 'x'), { kernel: [3, 3], strides: [1, 2], pads: [1, 1, 1, 1] }),
      c.averagePool(v(x, 'x'), { kernel: [3, 3], strides: [1, 2], pads: [1, 1, 1, 1], countIncludePad: true }),
    ],
  },
  {
    name: 'Split along a middle axis; ContractRows over a symbolic batch',
    covers: ['Split', 'ContractRows'],
    inputs: { a: { shape: [2, 5, 3], staticShape: ['B', 5, 3] }, g: { shape: [2, 5, 4], staticShape: ['B', 5, 4] } },
    build: (x) => [...c.split(v(x, 'a'), [2, 1, 2], 1), c.contractRows(v(x, 'a'), v(x, 'g'))],
  },
  {
    name: 'GatherRows of a [5, B, 2] tensor, rows repeated',
    covers: ['GatherRows'],
    inputs: { d: { shape: [5, 2, 2], staticShape: [5, 'B', 2] } },
    build: (x) => [c.gatherRows(v(x, 'd'), [4, 0, 4, 2])],
  },
  {
    name: 'GatherElements, ScatterElements (none and add with repeats)',
    covers: ['GatherElements', 'ScatterElements'],
    inputs: {
      d: { shape: [2, 4] },
      i: { shape: [2, 3], dtype: 'int64', data: [0, 3, 1, 2, 2, -1] },
      u: { shape: [2, 3] },
      j: { shape: [2, 3], dtype: 'int64', data: [0, 3, 1, 2, 0, 1] },
    },
    build: (x) => {
      const [d, i, u, j] = [v(x, 'd'), v(x, 'i'), v(x, 'u'), v(x, 'j')];
      return [c.gatherElements(d, i, 1), c.scatterElements(d, j, u, 1, 'none'), c.scatterElements(d, i, u, 1, 'add')];
    },
  },
  {
    name: 'LayerNormalization with its Mean and InvStdDev outputs',
    covers: ['LayerNormalization'],
    inputs: { x: { shape: [2, 3, 4], staticShape: ['B', 3, 4] }, s: { shape: [4] }, b: { shape: [4] }, s2: { shape: [3, 4] } },
    build: (x) => {
      const input = v(x, 'x');
      const outs = input.graph.apply(c.LayerNormalization, [input, v(x, 's'), v(x, 'b')], { axis: -1, epsilon: 1e-5 }, 3);
      return [...outs, c.layerNorm(input, v(x, 's2'), undefined, { axis: 1, epsilon: 1e-3 })];
    },
  },
  {
    name: 'BatchNormalization in inference and in training mode',
    covers: ['BatchNormalization'],
    inputs: { x: { shape: [3, 2, 2, 2] }, s: { shape: [2] }, b: { shape: [2] }, m: { shape: [2] }, var: { shape: [2], lo: 0.5, hi: 2 } },
    build: (x) => {
      const args = [v(x, 'x'), v(x, 's'), v(x, 'b'), v(x, 'm'), v(x, 'var')] as const;
      const infer = c.batchNorm(...args, { training: false });
      const train = c.batchNorm(...args, { training: true, momentum: 0.8 });
      if (train.runningMean === undefined || train.runningVar === undefined) throw new Error('BatchNormalization: no statistics');
      return [infer.y, train.y, train.runningMean, train.runningVar];
    },
  },
];

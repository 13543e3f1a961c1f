// Small feed-forward models for the ONNX importer's tests: each is a compiler graph whose weights
// are seeded constants, exported with toOnnx. test-fixtures/onnx/generate.mjs writes their bytes
// to test-fixtures/onnx/<name>.onnx, and the tests check the committed files still match.

import { type GraphBuilder as Builder, GraphBuilder, type Tensor, type Value, tensor, toOnnx } from '../compiler';
import * as c from '../compiler';
import { seededRandom } from './gradcheck';

export interface OnnxFixture {
  readonly name: string;
  /** Input shape per example (the batch dim is the symbol 'B'). */
  readonly inputShape: readonly number[];
  readonly build: () => BuiltFixture;
}

export interface BuiltFixture {
  readonly g: Builder;
  readonly x: Value;
  readonly output: Value;
}

/** Seeded weights in [-1, 1] (scaled), so that every fixture is reproducible byte for byte. */
function weights(seed: number): (shape: readonly number[], scale?: number) => Tensor {
  const rand = seededRandom(seed);
  return (shape, scale = 1) => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * (2 * rand() - 1)));
}

export const ONNX_FIXTURES: readonly OnnxFixture[] = [
  {
    // MatMul + Add (x·W + b), Tanh, then Gemm with transB, alpha and beta as torch.nn.Linear exports.
    name: 'mlp',
    inputShape: [4],
    build: () => {
      const w = weights(11);
      const g = new GraphBuilder();
      const x = g.input('x', ['B', 4]);
      const h = c.tanh(c.linear(x, g.constant(w([4, 6])), g.constant(w([6]))));
      const h2 = c.relu(c.gemm(h, g.constant(w([5, 6])), { transB: true, alpha: 0.5, beta: 2 }, g.constant(w([5]))));
      const output = c.linear(h2, g.constant(w([5, 3])), g.constant(w([3])));
      return { g, x, output };
    },
  },
  {
    // Conv (+bias), BatchNormalization (inference form), Relu, MaxPool, Conv without bias,
    // AveragePool, Flatten, MatMul + Add.
    name: 'cnn',
    inputShape: [1, 6, 6],
    build: () => {
      const w = weights(23);
      const g = new GraphBuilder();
      const x = g.input('x', ['B', 1, 6, 6]);
      const conv1 = c.conv(x, g.constant(w([3, 1, 3, 3])), { pads: [1, 1, 1, 1] }, g.constant(w([3], 0.1)));
      const positive = (shape: readonly number[]): Tensor => ({ ...w(shape), data: w(shape).data.map((v) => 0.5 + Math.abs(v)) });
      const bn = c.batchNorm(conv1, g.constant(positive([3])), g.constant(w([3], 0.1)), g.constant(w([3], 0.2)), g.constant(positive([3])), { training: false, epsilon: 1e-5 });
      const pooled = c.maxPool(c.relu(bn.y), { kernel: [2, 2] });
      const conv2 = c.conv(pooled, g.constant(w([2, 3, 2, 2])), { strides: [1, 1] });
      const avg = c.averagePool(c.sigmoid(conv2), { kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0] });
      const output = c.linear(c.flatten(avg, 1), g.constant(w([8, 3])), g.constant(w([3], 0.1)));
      return { g, x, output };
    },
  },
  {
    // Layout and elementwise forms: Transpose, Reshape (int64 initializer with 0 and −1), Slice,
    // Concat, Erf, Div, Sub, Softmax.
    name: 'forms',
    inputShape: [2, 3],
    build: () => {
      const w = weights(37);
      const g = new GraphBuilder();
      const x = g.input('x', ['B', 2, 3]);
      const flat = c.reshape(c.transpose(x, [0, 2, 1]), [0, -1]);
      const both = c.concat([c.erf(flat), c.div(c.sub(flat, 0.25), 3)], 1);
      const part = c.slice(both, [1], [11], [1]);
      const output = c.softmax(c.linear(part, g.constant(w([10, 4])), g.constant(w([4]))), -1);
      return { g, x, output };
    },
  },
];

export function fixtureBytes(f: OnnxFixture): Uint8Array {
  const { g, output } = f.build();
  // As built: the fixtures are fixed inputs of the importer's tests, whatever compiler/optimize does.
  return toOnnx(g, [{ name: 'logits', value: output }], { name: f.name, optimize: false });
}

export function fixturePath(name: string): string {
  return `test-fixtures/onnx/${name}.onnx`;
}

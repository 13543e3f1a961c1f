// Forward semantics of the reference interpreter against hand-computed values (ONNX definitions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '..';

interface ForwardCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, c.Tensor>>;
  readonly build: (x: (name: string) => c.Value) => c.Value;
  readonly shape: readonly number[];
  readonly data: readonly number[];
  /** Absolute tolerance (default: exact). */
  readonly tol?: number;
}

const t = c.tensor;
const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

const CASES: readonly ForwardCase[] = [
  {
    name: 'Conv 3×3 of ones with pad 1 counts neighbours',
    inputs: { x: c.filled([1, 1, 3, 3], 1), w: c.filled([1, 1, 3, 3], 1) },
    build: (x) => c.conv(x('x'), x('w'), { pads: [1, 1, 1, 1] }),
    shape: [1, 1, 3, 3],
    data: [4, 6, 4, 6, 9, 6, 4, 6, 4],
  },
  {
    name: 'Conv stride 2 with bias',
    inputs: { x: t([1, 1, 4, 4], iota(16)), w: t([1, 1, 2, 2], [1, 0, 0, 1]), b: t([1], [10]) },
    build: (x) => c.conv(x('x'), x('w'), { strides: [2, 2] }, x('b')),
    shape: [1, 1, 2, 2],
    data: [1 + 6 + 10, 3 + 8 + 10, 9 + 14 + 10, 11 + 16 + 10],
  },
  {
    name: 'depthwise Conv (group 2) keeps channels apart',
    inputs: { x: t([1, 2, 1, 2], [1, 2, 3, 4]), w: t([2, 1, 1, 1], [10, 100]) },
    build: (x) => c.conv(x('x'), x('w'), { group: 2 }),
    shape: [1, 2, 1, 2],
    data: [10, 20, 300, 400],
  },
  {
    name: 'ConvTranspose stride 2 scatters the kernel',
    inputs: { x: t([1, 1, 1, 2], [1, 2]), w: t([1, 1, 1, 3], [1, 1, 1]) },
    build: (x) => c.convTranspose(x('x'), x('w'), { strides: [1, 2] }),
    shape: [1, 1, 1, 5],
    data: [1, 1, 3, 2, 2],
  },
  {
    name: 'MaxPool treats padding as −inf',
    inputs: { x: t([1, 1, 2, 2], [-4, -3, -2, -1]) },
    build: (x) => c.maxPool(x('x'), { kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0] }),
    shape: [1, 1, 2, 2],
    data: [-4, -3, -2, -1],
  },
  {
    name: 'AveragePool excludes padding from the count (count_include_pad 0)',
    inputs: { x: t([1, 1, 2, 2], [1, 2, 3, 4]) },
    build: (x) => c.averagePool(x('x'), { kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0] }),
    shape: [1, 1, 2, 2],
    data: [1, 1.5, 2, 2.5],
  },
  {
    name: 'AveragePool with count_include_pad 1',
    inputs: { x: t([1, 1, 2, 2], [1, 2, 3, 4]) },
    build: (x) => c.averagePool(x('x'), { kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], countIncludePad: true }),
    shape: [1, 1, 2, 2],
    data: [0.25, 0.75, 1, 2.5],
  },
  {
    name: 'Softmax is stable for large logits',
    inputs: { x: t([1, 3], [1000, 1000, 1000 - Math.log(2)]) },
    build: (x) => c.softmax(x('x')),
    shape: [1, 3],
    data: [0.4, 0.4, 0.2],
    // 1000 − ln 2 is itself rounded, so the ratio is 2 only to about 1e-14.
    tol: 1e-13,
  },
  {
    name: 'LogSoftmax is stable for large logits',
    inputs: { x: t([2], [-1000, 0]) },
    build: (x) => c.logSoftmax(x('x'), 0),
    shape: [2],
    data: [-1000, 0],
  },
  {
    name: 'LayerNormalization over the last axis with epsilon',
    inputs: { x: t([1, 2], [1, 3]), s: t([2], [2, 2]), b: t([2], [1, 1]) },
    build: (x) => c.layerNorm(x('x'), x('s'), x('b'), { epsilon: 0 }),
    shape: [1, 2],
    data: [-1, 3],
  },
  {
    name: 'Slice with a negative step',
    inputs: { x: t([5], iota(5)) },
    build: (x) => c.slice(x('x'), [-1], [-c.TO_END], [0], [-2]),
    shape: [3],
    data: [5, 3, 1],
  },
  {
    name: 'Pad then Concat',
    inputs: { a: t([1, 2], [1, 2]), b: t([1, 1], [9]) },
    build: (x) => c.concat([c.pad(x('a'), [0, 1, 0, 0]), x('b')], 1),
    shape: [1, 4],
    data: [0, 1, 2, 9],
  },
  {
    name: 'Erf reference values',
    inputs: { x: t([4], [0, 0.5, -1, 3.5]) },
    build: (x) => c.erf(x('x')),
    shape: [4],
    data: [0, 0.5204998778130465, -0.8427007929497149, 0.9999992569016276],
    tol: 1e-15,
  },
  {
    name: 'Round rounds half to even',
    inputs: { x: t([5], [0.5, 1.5, 2.5, -0.5, 2.6]) },
    build: (x) => c.round(x('x')),
    shape: [5],
    data: [0, 2, 2, -0, 3],
  },
  {
    name: 'Gemm with transB, alpha, beta',
    inputs: { a: t([1, 2], [1, 2]), b: t([2, 2], [1, 2, 3, 4]), cc: t([1], [1]) },
    build: (x) => c.gemm(x('a'), x('b'), { alpha: 2, beta: 3, transB: true }, x('cc')),
    shape: [1, 2],
    data: [2 * 5 + 3, 2 * 11 + 3],
  },
];

for (const fc of CASES) {
  test(`forward: ${fc.name}`, () => {
    const g = new c.GraphBuilder();
    const values = new Map(Object.entries(fc.inputs).map(([name, tensor]) => [name, g.input(name, tensor.shape, tensor.dtype)]));
    const out = fc.build((name) => values.get(name) ?? assert.fail(`no input ${name}`));
    const [result] = c.interpret([out], fc.inputs);
    assert.deepEqual(result?.shape, fc.shape);
    const tol = fc.tol ?? 0;
    fc.data.forEach((d, i) => {
      const actual = result?.data[i] ?? NaN;
      assert.ok(Math.abs(actual - d) <= tol, `[${i}]: ${actual} vs ${d}`);
    });
  });
}

test('MaxPool Indices count over the whole NCHW tensor (ONNX storage_order 0)', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [2, 1, 2, 2]);
  const [, indices] = g.apply(c.MaxPool, [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] }, 2);
  assert.ok(indices);
  const [r] = c.interpret([indices], { x: t([2, 1, 2, 2], [0, 5, 1, 2, 9, 0, 1, 2]) });
  assert.deepEqual(Array.from(r?.data ?? []), [1, 4]);
  assert.equal(r?.dtype, 'int64');
});

test('BatchNormalization training: batch statistics and ONNX running-stat update', () => {
  const g = new c.GraphBuilder();
  const [x, s, b, m, v] = (['x', 's', 'b', 'm', 'v'] as const).map((n) => g.input(n, n === 'x' ? ['B', 1] : [1]));
  const out = c.batchNorm(x as c.Value, s as c.Value, b as c.Value, m as c.Value, v as c.Value, { training: true, epsilon: 0, momentum: 0.9 });
  assert.ok(out.runningMean && out.runningVar);
  const [y, rm, rv] = c.interpret([out.y, out.runningMean, out.runningVar], {
    x: t([4, 1], [1, 2, 3, 6]),
    s: t([1], [1]),
    b: t([1], [0]),
    m: t([1], [10]),
    v: t([1], [2]),
  });
  // Batch mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
  const sd = Math.sqrt(3.5);
  assert.deepEqual(Array.from(y?.data ?? []).map((z) => Math.round(z * 1e12) / 1e12), [-2, -1, 0, 3].map((z) => Math.round((z / sd) * 1e12) / 1e12));
  // running = running · momentum + batch · (1 − momentum); PyTorch momentum 0.1 ⇔ ONNX 0.9.
  assert.ok(Math.abs((rm?.data[0] ?? NaN) - (10 * 0.9 + 3 * 0.1)) < 1e-12);
  assert.ok(Math.abs((rv?.data[0] ?? NaN) - (2 * 0.9 + 3.5 * 0.1)) < 1e-12);
});

test('Dropout with an explicit mask scales kept values by 1/(1 − ratio)', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [4]);
  const mask = g.input('mask', [4], 'bool');
  const [y] = c.interpret([c.dropout(x, mask, 0.5)], { x: t([4], [1, 2, 3, 4]), mask: t([4], [1, 0, 0, 1], 'bool') });
  assert.deepEqual(Array.from(y?.data ?? []), [2, 0, 0, 8]);
});

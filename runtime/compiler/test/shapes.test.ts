// Shape inference: results and user-facing errors (values, never exceptions), as a table of cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '..';

interface ShapeCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, c.Shape | { shape: c.Shape; dtype: c.DType }>>;
  readonly build: (x: (name: string) => c.Value) => c.Value;
  /** The expected static shape, or the substrings the single error message must contain. */
  readonly expect: c.Shape | { readonly error: readonly string[] };
}

const CASES: readonly ShapeCase[] = [
  { name: 'matmul [B,3]×[3,2]', inputs: { a: ['B', 3], b: [3, 2] }, build: (x) => c.matmul(x('a'), x('b')), expect: ['B', 2] },
  { name: 'matmul mismatch', inputs: { a: ['B', 3], b: [4, 2] }, build: (x) => c.matmul(x('a'), x('b')), expect: { error: ['MatMul', '[B,3]', '[4,2]'] } },
  { name: 'matmul batched broadcast', inputs: { a: [5, 1, 2, 3], b: [4, 3, 6] }, build: (x) => c.matmul(x('a'), x('b')), expect: [5, 4, 2, 6] },
  { name: 'add broadcast with B', inputs: { a: ['B', 1, 4], b: [3, 1] }, build: (x) => c.add(x('a'), x('b')), expect: ['B', 3, 4] },
  { name: 'add B vs 4', inputs: { a: ['B', 4], b: [4, 4] }, build: (x) => c.add(x('a'), x('b')), expect: { error: ['Add', '[B,4]', '[4,4]'] } },
  { name: 'add dtype mismatch', inputs: { a: [2], b: { shape: [2], dtype: 'int64' } }, build: (x) => c.add(x('a'), x('b')), expect: { error: ['Add', 'float64', 'int64'] } },
  { name: 'gemm transB', inputs: { a: ['B', 3], b: [5, 3], cc: [5] }, build: (x) => c.gemm(x('a'), x('b'), { transB: true }, x('cc')), expect: ['B', 5] },
  { name: 'gemm bad C', inputs: { a: [2, 3], b: [3, 5], cc: [4] }, build: (x) => c.gemm(x('a'), x('b'), {}, x('cc')), expect: { error: ['Gemm', '[4]'] } },
  { name: 'reshape with 0 and -1', inputs: { a: ['B', 2, 3] }, build: (x) => c.reshape(x('a'), [0, -1]), expect: ['B', 6] },
  { name: 'reshape -1 absorbs B', inputs: { a: ['B', 6] }, build: (x) => c.reshape(x('a'), [-1, 2, 3]), expect: ['B', 2, 3] },
  { name: 'reshape bad count', inputs: { a: [2, 3] }, build: (x) => c.reshape(x('a'), [4, -1]), expect: { error: ['Reshape', '[2,3]', '[4,-1]'] } },
  { name: 'reshape B into a product', inputs: { a: ['B', 6] }, build: (x) => c.reshape(x('a'), [-1, 4, 3]), expect: { error: ['Reshape'] } },
  { name: 'flatten NCHW', inputs: { a: ['B', 2, 3, 4] }, build: (x) => c.flatten(x('a')), expect: ['B', 24] },
  { name: 'flatten merges B with static dims', inputs: { a: ['B', 2, 3] }, build: (x) => c.flatten(x('a'), 2), expect: ['B*2', 3] },
  { name: 'reshape merges B with static dims', inputs: { a: ['B', 4, 16] }, build: (x) => c.reshape(x('a'), [-1, 16]), expect: ['B*4', 16] },
  { name: 'reshape moves B behind static dims', inputs: { a: ['B', 4, 16] }, build: (x) => c.reshape(x('a'), [16, -1]), expect: [16, 'B*4'] },
  { name: 'reshape splits a merged B again', inputs: { a: ['B', 4, 16] }, build: (x) => c.reshape(c.reshape(x('a'), [-1, 16]), [4, -1, 16]), expect: [4, 'B', 16] },
  { name: 'reshape cannot split B itself', inputs: { a: ['B', 3] }, build: (x) => c.reshape(x('a'), [-1, 2]), expect: { error: ['Reshape', '[B,3]'] } },
  { name: 'transpose', inputs: { a: ['B', 2, 3] }, build: (x) => c.transpose(x('a'), [0, 2, 1]), expect: ['B', 3, 2] },
  { name: 'transpose bad perm', inputs: { a: [2, 3] }, build: (x) => c.transpose(x('a'), [0, 0]), expect: { error: ['Transpose', '[0,0]'] } },
  { name: 'reduce keepdims', inputs: { a: ['B', 3, 4] }, build: (x) => c.reduceSum(x('a'), [-1], true), expect: ['B', 3, 1] },
  { name: 'reduce no keepdims', inputs: { a: ['B', 3, 4] }, build: (x) => c.reduceMean(x('a'), [0, 2], false), expect: [3] },
  { name: 'reduce bad axis', inputs: { a: [3, 4] }, build: (x) => c.reduceMax(x('a'), [2], false), expect: { error: ['ReduceMax', '[2]', '[3,4]'] } },
  { name: 'softmax bad axis', inputs: { a: [3, 4] }, build: (x) => c.softmax(x('a'), 2), expect: { error: ['Softmax', 'axis 2'] } },
  { name: 'concat', inputs: { a: ['B', 2], b: ['B', 3] }, build: (x) => c.concat([x('a'), x('b')], 1), expect: ['B', 5] },
  { name: 'concat mismatch', inputs: { a: [2, 2], b: [3, 3] }, build: (x) => c.concat([x('a'), x('b')], 1), expect: { error: ['Concat', '[2,2]', '[3,3]'] } },
  { name: 'slice clamps', inputs: { a: [5, 4] }, build: (x) => c.slice(x('a'), [-2, 1], [100, 3], [0, 1]), expect: [2, 2] },
  { name: 'slice negative step', inputs: { a: [5] }, build: (x) => c.slice(x('a'), [-1], [-c.TO_END], [0], [-2]), expect: [3] },
  { name: 'slice symbolic axis', inputs: { a: ['B', 4] }, build: (x) => c.slice(x('a'), [0], [2], [0]), expect: { error: ['Slice', 'symbolic'] } },
  { name: 'where', inputs: { m: { shape: [3, 1], dtype: 'bool' }, a: [1, 4], b: [] }, build: (x) => c.where(x('m'), x('a'), x('b')), expect: [3, 4] },
  { name: 'where needs bool', inputs: { m: [3], a: [3], b: [3] }, build: (x) => c.where(x('m'), x('a'), x('b')), expect: { error: ['Where', 'bool'] } },
  { name: 'greater gives bool shape', inputs: { a: ['B', 3], b: [3] }, build: (x) => c.greater(x('a'), x('b')), expect: ['B', 3] },
  { name: 'conv', inputs: { x: ['B', 3, 8, 8], w: [4, 3, 3, 3] }, build: (x) => c.conv(x('x'), x('w'), { strides: [2, 2], pads: [1, 1, 1, 1] }), expect: ['B', 4, 4, 4] },
  { name: 'conv channels', inputs: { x: ['B', 3, 8, 8], w: [4, 2, 3, 3] }, build: (x) => c.conv(x('x'), x('w')), expect: { error: ['Conv', 'channels', '[B,3,8,8]', '[4,2,3,3]'] } },
  { name: 'conv depthwise', inputs: { x: ['B', 4, 5, 5], w: [8, 1, 3, 3] }, build: (x) => c.conv(x('x'), x('w'), { group: 4 }), expect: ['B', 8, 3, 3] },
  { name: 'conv transpose', inputs: { x: ['B', 2, 3, 3], w: [2, 5, 3, 3] }, build: (x) => c.convTranspose(x('x'), x('w'), { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }), expect: ['B', 5, 6, 6] },
  { name: 'maxpool', inputs: { x: ['B', 2, 7, 7] }, build: (x) => c.maxPool(x('x'), { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), expect: ['B', 2, 4, 4] },
  { name: 'pool kernel too big', inputs: { x: [1, 1, 2, 2] }, build: (x) => c.averagePool(x('x'), { kernel: [3, 3] }), expect: { error: ['AveragePool', 'kernel'] } },
  { name: 'layernorm', inputs: { x: ['B', 4], s: [4], b: [4] }, build: (x) => c.layerNorm(x('x'), x('s'), x('b')), expect: ['B', 4] },
  { name: 'layernorm bad scale', inputs: { x: ['B', 4], s: [3] }, build: (x) => c.layerNorm(x('x'), x('s')), expect: { error: ['LayerNormalization', '[3]', '[B,4]'] } },
  { name: 'batchnorm bad params', inputs: { x: ['B', 3, 2, 2], s: [3], b: [3], m: [2], v: [3] }, build: (x) => c.batchNorm(x('x'), x('s'), x('b'), x('m'), x('v'), { training: true }).y, expect: { error: ['BatchNormalization', '[2]'] } },
  { name: 'expand', inputs: { a: [1, 3], like: ['B', 3] }, build: (x) => c.expand(x('a'), x('like')), expect: ['B', 3] },
  { name: 'scatter needs int64 indices', inputs: { d: [4], i: [2], u: [2] }, build: (x) => c.scatterElements(x('d'), x('i'), x('u'), 0, 'add'), expect: { error: ['ScatterElements', 'int64'] } },
];

for (const sc of CASES) {
  test(`shape: ${sc.name}`, () => {
    const g = new c.GraphBuilder();
    const values = new Map<string, c.Value>();
    for (const [name, spec] of Object.entries(sc.inputs)) {
      const isShape = Array.isArray(spec);
      values.set(name, g.input(name, isShape ? (spec as c.Shape) : (spec as { shape: c.Shape }).shape, isShape ? 'float64' : (spec as { dtype: c.DType }).dtype));
    }
    const out = sc.build((name) => {
      const value = values.get(name);
      if (value === undefined) throw new Error(`no input ${name}`);
      return value;
    });
    if ('error' in sc.expect) {
      assert.equal(out.valid, false);
      assert.equal(g.errors.length, 1, `expected one error, got ${JSON.stringify(g.errors)}`);
      for (const part of sc.expect.error) assert.ok(g.errors[0]?.message.includes(part), `"${g.errors[0]?.message}" lacks "${part}"`);
    } else {
      assert.deepEqual(g.errors, []);
      assert.deepEqual(out.shape, sc.expect);
    }
  });
}

test('an error is reported once; ops on an invalid value stay invalid silently', () => {
  const g = new c.GraphBuilder();
  const bad = c.matmul(g.input('a', ['B', 3]), g.input('b', [4, 2]));
  const later = c.relu(c.add(bad, 1));
  assert.equal(later.valid, false);
  assert.equal(g.errors.length, 1);
  assert.throws(() => c.interpret([later], {}), /shape errors/);
  assert.throws(() => c.grad(c.sum(later), []), /shape errors/);
});

test('the interpreter checks feeds against static shapes and binds the batch symbol once', () => {
  const g = new c.GraphBuilder();
  const a = g.input('a', ['B', 2]);
  const b = g.input('b', ['B', 2]);
  const y = c.add(a, b);
  const t = (rows: number): c.Tensor => c.filled([rows, 2], 1);
  assert.deepEqual(c.interpret([y], { a: t(3), b: t(3) })[0]?.shape, [3, 2]);
  assert.throws(() => c.interpret([y], { a: t(3), b: t(4) }), /input b .*expected float64 \[B,2\]/);
  assert.throws(() => c.interpret([y], { a: c.filled([3, 3], 1), b: t(3) }), /input a/);
  assert.throws(() => c.interpret([y], { a: t(3) }), /no feed for input b/);
});

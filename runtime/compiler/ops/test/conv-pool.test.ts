// maxPool() over a patch-form convolution whose output the windows tile is built window by window
// (conv-pool.ts): same values as Conv + MaxPool, gradients that pass the finite-difference check,
// and, where windows hold ties, the same gradients as MaxPool's (to the first maximum).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { grad, nodesLeadingTo } from '../../grad';
import { interpret } from '../../interpret';
import type { Value } from '../../ir';
import { type Tensor, tensor } from '../../tensor';
import { mul } from '../binary';
import { conv, convOp } from '../conv';
import { type PoolOptions, maxPool } from '../pool';
import { reduceSum } from '../reduce';
import { relu } from '../unary';
import { type GradCase, checkGradient, randomTensor, seededRandom } from '../../../testing/gradcheck';

const v = (x: Readonly<Record<string, Value>>, name: string): Value => {
  const value = x[name];
  assert.ok(value, name);
  return value;
};

interface Case {
  readonly name: string;
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly bias: boolean;
  readonly o: Parameters<typeof conv>[2];
  readonly pool: PoolOptions;
  readonly relu: boolean;
}

const CASES: readonly Case[] = [
  { name: '1 channel 8×8, pads 1, bias, relu, 2×2', x: [3, 1, 8, 8], w: [4, 1, 3, 3], bias: true, o: { pads: [1, 1, 1, 1] }, pool: { kernel: [2, 2] }, relu: true },
  { name: '2 channels 12×10, strides [2, 1], uneven pads, no bias, 2×3 windows', x: [2, 2, 12, 10], w: [3, 2, 3, 3], bias: false, o: { strides: [2, 1], pads: [1, 0, 0, 1] }, pool: { kernel: [2, 3] }, relu: false },
  { name: 'dilation 2, pads 1, bias, 3×3 windows (9 members)', x: [2, 1, 12, 12], w: [2, 1, 2, 2], bias: true, o: { pads: [1, 1, 1, 1], dilations: [2, 2] }, pool: { kernel: [3, 3] }, relu: true },
];

function build(c: Case, g: GraphBuilder, x: Value, w: Value, b: Value | undefined, form: 'fused' | 'reference'): Value {
  const y = form === 'fused' ? conv(x, w, c.o, b) : convOp(x, w, c.o, b);
  return maxPool(c.relu ? relu(y) : y, c.pool);
}

function feedsFor(c: Case, seed: number, x?: Tensor): Record<string, Tensor> {
  const rand = seededRandom(seed);
  return {
    x: x ?? randomTensor({ shape: c.x }, rand),
    w: randomTensor({ shape: c.w }, rand),
    ...(c.bias ? { b: randomTensor({ shape: [c.w[0] ?? 0] }, rand) } : {}),
  };
}

for (const c of CASES) {
  const inputs = (g: GraphBuilder): [Value, Value, Value | undefined] => [
    g.input('x', ['B', ...c.x.slice(1)], 'float64'),
    g.input('w', c.w, 'float64'),
    c.bias ? g.input('b', [c.w[0] ?? 0], 'float64') : undefined,
  ];

  test(`conv() then maxPool() window by window matches Conv + MaxPool: ${c.name}`, () => {
    const g = new GraphBuilder();
    const [x, w, b] = inputs(g);
    const fused = build(c, g, x, w, b, 'fused');
    const reference = build(c, g, x, w, b, 'reference');
    assert.deepEqual(g.errors, []);
    const ops = nodesLeadingTo(fused).map((n) => n.op.name);
    assert.ok(ops.includes('Split'), 'the windows are split');
    assert.ok(!ops.some((op) => op.startsWith('MaxPool')), 'no MaxPool node');
    const [got, want] = interpret([fused, reference], feedsFor(c, 7));
    assert.ok(got && want);
    assert.deepEqual(got.shape, want.shape);
    want.data.forEach((expected, i) => assert.ok(Math.abs((got.data[i] ?? NaN) - expected) < 1e-12, `element ${i}`));
  });

  test(`conv() then maxPool() window by window: gradients of x, w${c.bias ? ', b' : ''} (${c.name})`, () => {
    const gc: GradCase = {
      name: c.name,
      inputs: { x: { shape: c.x, staticShape: ['B', ...c.x.slice(1)] }, w: { shape: c.w }, ...(c.bias ? { b: { shape: [c.w[0] ?? 0] } } : {}) },
      build: (x) => build(c, v(x, 'x').graph, v(x, 'x'), v(x, 'w'), c.bias ? v(x, 'b') : undefined, 'fused'),
    };
    assert.ok(checkGradient(gc) <= 1);
  });

  test(`conv() then maxPool() window by window: ties send the gradient to the first maximum, as MaxPool does (${c.name})`, () => {
    // The top half of every plane is zero: windows there hold equal values (the bias alone).
    const rand = seededRandom(11);
    const n = c.x.reduce((a, d) => a * d, 1);
    const plane = (c.x[2] ?? 1) * (c.x[3] ?? 1);
    const x0 = tensor(c.x, Array.from({ length: n }, (_, i) => (i % plane < plane / 2 ? 0 : rand() - 0.5)), 'float64');
    const g = new GraphBuilder();
    const [x, w, b] = inputs(g);
    const fused = build(c, g, x, w, b, 'fused');
    const reference = build(c, g, x, w, b, 'reference');
    const rest = fused.shape.slice(1) as number[];
    const r = g.input('r', ['B', ...rest], 'float64');
    const params = b ? [x, w, b] : [x, w];
    const gf = grad(reduceSum(mul(fused, r), [], false), params);
    const gr = grad(reduceSum(mul(reference, r), [], false), params);
    const values = interpret([...gf, ...gr], { ...feedsFor(c, 5, x0), r: randomTensor({ shape: [c.x[0] ?? 1, ...rest] }, seededRandom(3)) });
    const half = params.length;
    for (let k = 0; k < half; k++) {
      const [got, want] = [values[k], values[k + half]];
      assert.ok(got && want);
      want.data.forEach((expected, i) => assert.ok(Math.abs((got.data[i] ?? NaN) - expected) < 1e-12, `gradient ${k}, element ${i}: ${got.data[i]} vs ${expected}`));
    }
  });
}

test('maxPool() of a patch-form convolution keeps MaxPool when its windows overlap or do not tile', () => {
  for (const pool of [{ kernel: [3, 3], strides: [2, 2] }, { kernel: [3, 3] }] as const) {
    const g = new GraphBuilder();
    const x = g.input('x', ['B', 1, 8, 8], 'float64');
    const w = g.input('w', [2, 1, 3, 3], 'float64');
    const y = maxPool(conv(x, w, { pads: [1, 1, 1, 1] }), pool);
    const ops = nodesLeadingTo(y).map((n) => n.op.name);
    assert.ok(ops.includes('MaxPoolValues') && !ops.includes('Split'), JSON.stringify(pool));
  }
});

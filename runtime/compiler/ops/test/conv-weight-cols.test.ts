// A convolution's weight gradient as one GEMM over the input's patches (conv-weight-cols.ts): the
// same values as the general swapped-Conv form in float64, for Conv's and ConvTranspose's weight
// gradients, and gradients through it that pass the finite-difference check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { grad, nodesLeadingTo } from '../../grad';
import { convOp, convParams, convTranspose, convWeightGrad, swappedConvWeightGrad } from '../conv';
import { MAX_PATCH_VALUES, colsWeightGrad } from '../conv-weight-cols';
import { reduceSum } from '../reduce';
import { mul } from '../binary';
import { type GradCase, checkGradient, randomTensor, seededRandom } from '../../../testing/gradcheck';

interface Case {
  readonly name: string;
  readonly x: readonly number[];
  readonly dy: readonly number[];
  readonly kernel: readonly [number, number];
  readonly o: { strides?: number[]; pads?: number[]; dilations?: number[] };
}

const CASES: readonly Case[] = [
  { name: '3×3, pads 1 (the 28×28 CNN second layer, small)', x: [3, 4, 7, 7], dy: [3, 5, 7, 7], kernel: [3, 3], o: { pads: [1, 1, 1, 1] } },
  { name: 'stride 2, uneven pads', x: [2, 3, 8, 7], dy: [2, 4, 4, 3], kernel: [3, 3], o: { strides: [2, 2], pads: [1, 0, 1, 1] } },
  { name: 'dilation 2, no pads', x: [2, 2, 9, 9], dy: [2, 3, 5, 5], kernel: [3, 3], o: { dilations: [2, 2] } },
  { name: 'non-square kernel 1×5, stride (1, 2)', x: [2, 3, 6, 11], dy: [2, 2, 6, 4], kernel: [1, 5], o: { strides: [1, 2], pads: [0, 1, 0, 0] } },
];

const attrs = (o: Case['o']) => ({ strides: o.strides ?? [1, 1], pads: o.pads ?? [0, 0, 0, 0], dilations: o.dilations ?? [1, 1], group: 1 });

for (const c of CASES) {
  test(`weight gradient over patches equals the swapped-Conv form to 1e-12 (float64): ${c.name}`, () => {
    const g = new GraphBuilder();
    const x = g.input('x', ['B', ...c.x.slice(1)], 'float64');
    const dy = g.input('dy', ['B', ...c.dy.slice(1)], 'float64');
    const p = convParams(attrs(c.o));
    const viaPatches = colsWeightGrad(x, dy, c.kernel, p);
    assert.ok(viaPatches, 'the patch form applies');
    const general = swappedConvWeightGrad(x, dy, c.kernel, p);
    assert.deepEqual(g.errors, []);
    const nodes = nodesLeadingTo(viaPatches);
    assert.ok(nodes.some((n) => n.op.name === 'GatherRows') && nodes.some((n) => n.op.name === 'Gemm'));
    assert.ok(!nodes.some((n) => n.op.name === 'Conv'), 'no Conv in the patch form');
    const rand = seededRandom(11);
    const [got, want] = interpret([viaPatches, general], { x: randomTensor({ shape: c.x }, rand), dy: randomTensor({ shape: c.dy }, rand) });
    assert.ok(got && want);
    assert.deepEqual(got.shape, [c.dy[1], c.x[1], ...c.kernel]);
    assert.deepEqual(got.shape, want.shape);
    want.data.forEach((expected, i) => assert.ok(Math.abs((got.data[i] ?? NaN) - expected) < 1e-12, `element ${i}: ${got.data[i]} vs ${expected}`));
  });
}

test('a Conv layer trains through the patch form: its backward passes the finite-difference check, and the Conv rule builds dW over patches', () => {
  // The whole backward of a Conv layer (dX by ConvTranspose, dW over patches, db) against finite differences.
  const gc: GradCase = {
    name: 'conv 3×3 pads 1',
    inputs: { x: { shape: [2, 3, 6, 6], staticShape: ['B', 3, 6, 6] }, w: { shape: [4, 3, 3, 3] }, b: { shape: [4] } },
    build: (v) => convOp(need(v['x']), need(v['w']), { pads: [1, 1, 1, 1] }, need(v['b'])),
  };
  assert.ok(checkGradient(gc) <= 1);
  const g = new GraphBuilder();
  const x = g.input('x', ['B', 3, 6, 6], 'float64');
  const w = g.input('w', [4, 3, 3, 3], 'float64');
  const loss = reduceSum(mul(convOp(x, w, { pads: [1, 1, 1, 1] }), convOp(x, w, { pads: [1, 1, 1, 1] })), [], false);
  const [dw] = grad(loss, [w]);
  assert.ok(dw && nodesLeadingTo(dw).some((n) => n.op.name === 'GatherRows'), 'the Conv rule takes the patch form');
});

test("ConvTranspose's weight gradient over patches equals the swapped-Conv form, and FD checks pass", () => {
  const gc: GradCase = {
    name: 'convTranspose 3×3 stride 2',
    inputs: { x: { shape: [2, 3, 4, 4], staticShape: ['B', 3, 4, 4] }, w: { shape: [3, 2, 3, 3] } },
    build: (v) => convTranspose(need(v['x']), need(v['w']), { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }),
  };
  assert.ok(checkGradient(gc) <= 1);
});

test('the patch form is not used where it does not fit: groups, symbolic spatial dims, too many patch values', () => {
  const g = new GraphBuilder();
  const p = convParams(attrs({ pads: [1, 1, 1, 1] }));
  const x = g.input('x', ['B', 4, 6, 6], 'float64');
  const dy = g.input('dy', ['B', 4, 6, 6], 'float64');
  assert.equal(colsWeightGrad(x, dy, [3, 3], { ...p, group: 2 }), undefined);
  const xs = g.input('xs', ['B', 4, 'H', 6], 'float64');
  assert.equal(colsWeightGrad(xs, dy, [3, 3], p), undefined);
  // C·K·pixels per example above MAX_PATCH_VALUES: 64 channels · 9 taps · 16×16 = 147,456.
  const big = g.input('big', ['B', 64, 16, 16], 'float64');
  const bigDy = g.input('bigDy', ['B', 8, 16, 16], 'float64');
  assert.ok(64 * 9 * 16 * 16 > MAX_PATCH_VALUES);
  assert.equal(colsWeightGrad(big, bigDy, [3, 3], p), undefined);
  assert.ok(!nodesLeadingTo(convWeightGrad(big, bigDy, [3, 3], p)).some((n) => n.op.name === 'GatherRows'));
});

function need(v: Value | undefined): Value {
  assert.ok(v);
  return v;
}

// conv() over a graph input with few taps runs as a GEMM over X's gathered patches (conv-cols.ts): same
// values as the Conv op, and gradients that pass the finite-difference check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { nodesLeadingTo } from '../../grad';
import { conv, convOp } from '../conv';
import { type GradCase, checkGradient, randomTensor, seededRandom } from '../../../testing/gradcheck';

const v = (x: Readonly<Record<string, Value>>, name: string): Value => {
  const value = x[name];
  assert.ok(value, name);
  return value;
};

const CASES: readonly { readonly name: string; readonly x: readonly number[]; readonly w: readonly number[]; readonly bias: boolean; readonly o: Parameters<typeof conv>[2] }[] = [
  { name: '1 channel 8×8, pads 1, bias', x: [3, 1, 8, 8], w: [4, 1, 3, 3], bias: true, o: { pads: [1, 1, 1, 1] } },
  { name: '2 channels 6×6, stride 2, uneven pads, no bias', x: [2, 2, 6, 6], w: [3, 2, 3, 3], bias: false, o: { strides: [2, 2], pads: [1, 0, 1, 1] } },
];

for (const c of CASES) {
  test(`conv() as a GEMM over patches matches the Conv op: ${c.name}`, () => {
    const g = new GraphBuilder();
    const x = g.input('x', ['B', ...c.x.slice(1)], 'float64');
    const w = g.input('w', c.w, 'float64');
    const b = c.bias ? g.input('b', [c.w[0] ?? 0], 'float64') : undefined;
    const viaCols = conv(x, w, c.o, b);
    const reference = convOp(x, w, c.o, b);
    assert.deepEqual(g.errors, []);
    // The patch form: gathered patches, a Gemm, and no Conv that reads the weight itself.
    const nodes = nodesLeadingTo(viaCols);
    assert.ok(nodes.some((n) => n.op.name === 'GatherRows') && nodes.some((n) => n.op.name === 'Gemm'));
    assert.ok(!nodes.some((n) => n.op.name === 'Conv' && n.inputs[1] === w));
    const rand = seededRandom(7);
    const feeds = { x: randomTensor({ shape: c.x }, rand), w: randomTensor({ shape: c.w }, rand), ...(c.bias ? { b: randomTensor({ shape: [c.w[0] ?? 0] }, rand) } : {}) };
    const [got, want] = interpret([viaCols, reference], feeds);
    assert.ok(got && want);
    assert.deepEqual(got.shape, want.shape);
    want.data.forEach((expected, i) => assert.ok(Math.abs((got.data[i] ?? NaN) - expected) < 1e-12, `element ${i}`));
  });

  test(`conv() as a GEMM over patches: gradients of x, w${c.bias ? ', b' : ''} (${c.name})`, () => {
    const gc: GradCase = {
      name: c.name,
      inputs: { x: { shape: c.x, staticShape: ['B', ...c.x.slice(1)] }, w: { shape: c.w }, ...(c.bias ? { b: { shape: [c.w[0] ?? 0] } } : {}) },
      build: (x) => conv(v(x, 'x'), v(x, 'w'), c.o, c.bias ? v(x, 'b') : undefined),
    };
    assert.ok(checkGradient(gc) <= 1);
  });
}

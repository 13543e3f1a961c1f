import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, grad, interpret, tensor } from '../..';
import { sum } from '../../ops/derived';
import { mul } from '../../ops/binary';
import { EDGE, fakeQuantInputs, gatedFakeQuantize } from '../fake-quant';

// QAT's fake quantization in the graph (catalog A63): values on the grid, clipped STE gradient, gate.

interface Case {
  readonly name: string;
  readonly w: readonly number[];
  readonly scale: number;
  readonly zero: number;
  readonly qmin: number;
  readonly qmax: number;
}

const CASES: Case[] = [
  { name: 'symmetric 4-bit, all inside', w: [-0.7, -0.31, 0, 0.049, 0.26, 0.7], scale: 0.1, zero: 0, qmin: -7, qmax: 7 },
  { name: 'symmetric 2-bit, some clipped', w: [-0.9, -0.2, 0.05, 0.24, 0.31, 0.6], scale: 0.2, zero: 0, qmin: -1, qmax: 1 },
  { name: 'symmetric 8-bit, extreme weights on the edge of the range', w: [-1, 0.5, 0.25, 1, 0.999, -0.3], scale: 1 / 127, zero: 0, qmin: -127, qmax: 127 },
  { name: 'asymmetric 3-bit, clipped both sides', w: [-0.5, -0.21, 0, 0.13, 0.5, 1.2], scale: 0.1, zero: 2, qmin: 0, qmax: 7 },
];

for (const c of CASES) {
  test(`fake quantization ${c.name}: forward on the grid, gradient 1 inside and 0 outside`, () => {
    const g = new GraphBuilder();
    const w = g.input('w', [2, 3], 'float64');
    const gate = g.input('gate', [], 'float64');
    const q = fakeQuantInputs(g, 'w', [2, 3], false, 'float64');
    const y = gatedFakeQuantize(w, q, { qmin: c.qmin, qmax: c.qmax }, gate);
    // A weighted sum so that the gradient is the per-element weight times the STE mask.
    const weights = [1, 2, 3, 4, 5, 6];
    const loss = sum(mul(y, g.constant(tensor([2, 3], weights, 'float64'))));
    const [dw] = grad(loss, [w]);
    assert.ok(dw);
    const feeds = (on: number) => ({ w: tensor([2, 3], c.w, 'float64'), gate: tensor([], [on], 'float64'), 'w.qat_scale': tensor([], [c.scale], 'float64'), 'w.qat_zero_point': tensor([], [c.zero], 'float64') });
    const [value, gradient] = interpret([y, dw], feeds(1));
    c.w.forEach((x, i) => {
      const v = x / c.scale + c.zero;
      const level = Math.min(c.qmax, Math.max(c.qmin, Math.round(v)));
      assert.ok(Math.abs((value?.data[i] ?? NaN) - c.scale * (level - c.zero)) < 1e-12, `value ${i}`);
      const inside = v >= c.qmin - EDGE && v <= c.qmax + EDGE;
      assert.equal(gradient?.data[i], inside ? weights[i] : 0, `gradient ${i}`);
    });
    // Gate 0: the float weights and the plain gradient.
    const [off, offGrad] = interpret([y, dw], feeds(0));
    assert.deepEqual([...(off?.data ?? [])], c.w);
    assert.deepEqual([...(offGrad?.data ?? [])], weights);
  });
}

test('per-channel scales broadcast over each output row', () => {
  const g = new GraphBuilder();
  const w = g.input('w', [2, 3], 'float64');
  const gate = g.input('gate', [], 'float64');
  const q = fakeQuantInputs(g, 'w', [2, 3], true, 'float64');
  assert.deepEqual(q.scale.shape, [2, 1]);
  const y = gatedFakeQuantize(w, q, { qmin: -127, qmax: 127 }, gate);
  const [value] = interpret([y], { w: tensor([2, 3], [0.3, -1, 0.01, 30, -10, 0.04], 'float64'), gate: tensor([], [1], 'float64'), 'w.qat_scale': tensor([2, 1], [1 / 127, 30 / 127], 'float64'), 'w.qat_zero_point': tensor([2, 1], [0, 0], 'float64') });
  const expected = [0.3, -1, 0.01, 30, -10, 0.04].map((x, i) => { const s = i < 3 ? 1 / 127 : 30 / 127; return s * Math.round(x / s); });
  value?.data.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] ?? NaN)) < 1e-12, `value ${i}`));
});

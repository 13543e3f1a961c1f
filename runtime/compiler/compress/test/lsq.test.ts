import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, grad, interpret, tensor, toOnnx, type Tensor } from '../..';
import { sum } from '../../ops/derived';
import { mul } from '../../ops/binary';
import { gatedLsqFakeQuantize, gradScale, lsqInputNames, lsqInputs } from '../lsq';
import { openBackend, type HostTensor } from '../../../engine/backend';
import { CPU_BACKENDS } from '../../../testing/backends';

// qat(lsq)'s fake quantization in the graph (catalog A63): values on the grid, the clipped STE for W
// and LSQ's closed-form gradient for the step size s, in the float64 interpreter and on onnxruntime.

interface Case {
  readonly name: string;
  readonly w: readonly number[];
  readonly perChannel: boolean;
  /** One per channel (2 rows), or one. */
  readonly s: readonly number[];
  readonly z: readonly number[];
  readonly g: readonly number[];
  readonly qmin: number;
  readonly qmax: number;
}

// Values are chosen away from rounding ties and from the clipping edges (v = q_min, q_max exactly),
// where the gradient is discontinuous.
const CASES: Case[] = [
  { name: 'symmetric 4-bit per channel, some clipped', w: [-0.93, -0.31, 0.05, 0.26, 1.7, -0.44], perChannel: true, s: [0.1, 0.2], z: [0, 0], g: [0.3, 0.7], qmin: -7, qmax: 7 },
  { name: 'symmetric 2-bit per tensor, clipped both sides', w: [-0.9, -0.17, 0.07, 0.24, 0.31, 0.6], perChannel: false, s: [0.2], z: [0], g: [0.25], qmin: -1, qmax: 1 },
  { name: 'asymmetric 3-bit per channel, fixed zero points', w: [-0.5, -0.21, 0.03, 0.13, 0.57, 1.2], perChannel: true, s: [0.1, 0.15], z: [2, 5], g: [0.4, 0.2], qmin: 0, qmax: 7 },
];

/** Per-element weights of the loss L = Σ C⊙Ŵ, so that ∂L/∂Ŵ = C. */
const C = [1, -2, 3, 0.5, -1.5, 2.5];

/** The closed form (LSQ eq. 3 and the clipped STE) in float64. */
function expected(c: Case): { value: number[]; dw: number[]; ds: number[] } {
  const ds = c.s.map(() => 0);
  const value: number[] = [];
  const dw: number[] = [];
  c.w.forEach((x, i) => {
    const ch = c.perChannel ? Math.floor(i / 3) : 0;
    const s = c.s[ch] ?? NaN;
    const z = c.z[ch] ?? NaN;
    const v = x / s + z;
    const level = Math.min(c.qmax, Math.max(c.qmin, roundHalfEven(v)));
    value.push(s * (level - z));
    const inside = v > c.qmin && v < c.qmax;
    dw.push(inside ? (C[i] ?? NaN) : 0);
    const local = inside ? roundHalfEven(v) - v : v <= c.qmin ? c.qmin - z : c.qmax - z;
    ds[ch] = (ds[ch] ?? 0) + (c.g[ch] ?? NaN) * (C[i] ?? NaN) * local;
  });
  return { value, dw, ds };
}

function build(c: Case) {
  const g = new GraphBuilder();
  const w = g.input('w', [2, 3], 'float64');
  const gate = g.input('gate', [], 'float64');
  const q = lsqInputs(g, 'w', [2, 3], c.perChannel, 'float64');
  const y = gatedLsqFakeQuantize(w, q, { qmin: c.qmin, qmax: c.qmax }, gate);
  const loss = sum(mul(y, g.constant(tensor([2, 3], C, 'float64'))));
  const [dw, ds] = grad(loss, [w, q.scale]);
  assert.ok(dw && ds);
  return { g, y, dw, ds };
}

function feeds(c: Case, gate: number): Record<string, Tensor> {
  const names = lsqInputNames('w');
  const sShape = c.perChannel ? [2] : [];
  return {
    w: tensor([2, 3], c.w),
    gate: tensor([], [gate]),
    [names.scale]: tensor(sShape, c.s),
    [names.zeroPoint]: tensor(c.perChannel ? [2, 1] : [], c.z),
    [names.gradScale]: tensor(sShape, c.g),
  };
}

for (const c of CASES) {
  test(`lsq ${c.name}: float64 interpreter matches the closed form (grid values, STE for W, LSQ gradient for s)`, () => {
    const { y, dw, ds } = build(c);
    const [value, gw, gs] = interpret([y, dw, ds], feeds(c, 1));
    const e = expected(c);
    // Tolerance: float64 rounding of a few products and sums.
    e.value.forEach((v, i) => assert.ok(Math.abs((value?.data[i] ?? NaN) - v) < 1e-12, `value ${i}: ${value?.data[i]} vs ${v}`));
    // W's gradient goes through /s̃ and ·s̃ (and the gate): exact up to float64 rounding.
    e.dw.forEach((v, i) => assert.ok(Math.abs((gw?.data[i] ?? NaN) - v) < 1e-12, `dw ${i}: ${gw?.data[i]} vs ${v}`));
    e.ds.forEach((v, k) => assert.ok(Math.abs((gs?.data[k] ?? NaN) - v) < 1e-12, `ds ${k}: ${gs?.data[k]} vs ${v}`));
    // The STE mask really has both cases, and LSQ's gradient both branches, in every case.
    assert.ok(e.dw.some((d) => d === 0) && e.dw.some((d) => d !== 0));
    // Gate 0 (before `from`): the float weights, the plain gradient, no gradient for s.
    const [off, offW, offS] = interpret([y, dw, ds], feeds(c, 0));
    assert.deepEqual([...(off?.data ?? [])], c.w);
    assert.deepEqual([...(offW?.data ?? [])], C);
    assert.ok([...(offS?.data ?? [])].every((v) => v === 0));
  });
}

test('gradScale: the value of x, the gradient times the scale', () => {
  const g = new GraphBuilder();
  const x = g.input('x', [3], 'float64');
  const k = g.input('k', [], 'float64');
  const y = gradScale(x, k);
  const [dx] = grad(sum(mul(y, g.constant(tensor([3], [1, 2, 3])))), [x]);
  assert.ok(dx);
  const [v, d] = interpret([y, dx], { x: tensor([3], [0.3, -7, 1e-3]), k: tensor([], [0.125]) });
  assert.deepEqual([...(v?.data ?? [])], [0.3, -7, 1e-3]);
  assert.deepEqual([...(d?.data ?? [])], [0.125, 0.25, 0.375]);
});

const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  test(`lsq on onnxruntime (${b.name}, float32): grid values, STE and LSQ gradient match the closed form`, { skip: b.skip }, async () => {
    const backend = await openBackend({ kind: b.name, threads: 1 });
    for (const c of CASES) {
      const { g, y, dw, ds } = build(c);
      const session = await backend.createSession(toOnnx(g, [{ name: 'y', value: y }, { name: 'dw', value: dw }, { name: 'ds', value: ds }], { name: 'lsq', dtype: 'float32' }));
      const host: Record<string, HostTensor> = {};
      for (const [name, t] of Object.entries(feeds(c, 1))) host[name] = { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data) };
      const out = await session.run(host);
      await session.release();
      // The closed form from the float32-rounded inputs; float32 arithmetic is within 1e-6 relative.
      const e = expected({ ...c, w: c.w.map(Math.fround), s: c.s.map(Math.fround), g: c.g.map(Math.fround) });
      const close = (a: number, x: number) => Math.abs(a - x) <= 1e-5 * Math.max(1, Math.abs(x));
      e.value.forEach((v, i) => assert.ok(close(Number(out['y']?.data[i]), v), `${c.name} value ${i}: ${out['y']?.data[i]} vs ${v}`));
      e.dw.forEach((v, i) => assert.ok(close(Number(out['dw']?.data[i]), v), `${c.name} dw ${i}: ${out['dw']?.data[i]} vs ${v}`));
      e.ds.forEach((v, k) => assert.ok(close(Number(out['ds']?.data[k]), v), `${c.name} ds ${k}: ${out['ds']?.data[k]} vs ${v}`));
    }
  });
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Catalog oracles of A14 AuON in the float64 interpreter: the brake 1 ≤ r ≤ cosh(γ), the update
// parallel to G with a positive scale and never longer than G, r → 1 for large tensors, a zero
// momentum leaves the weight alone, and the split between AuON (≥ 2-D) and `aux` (the rest).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import type { ParamInfo } from '../../model/types';
import { type Tensor, filled, tensor } from '../../tensor';
import { hostScalarInputs } from '../host-scalars';
import { auonBrake } from '../auon';
import { OPTIMIZERS } from '..';
import type { HyperParams } from '../types';
import { gaussian, seededRandomFor } from '../../../testing/optim-harness';

const SGD_AUX = { kind: 'technique', name: 'sgd', entryKind: 'optimizer', args: { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 } };
const HP: HyperParams = { lr: 1, momentum: 0, weight_decay: 0, gamma: 1.5, aux: SGD_AUX };

function brakeOf(G: Tensor, gamma: number): number {
  const g = new GraphBuilder();
  const x = g.input('G', G.shape);
  const [r] = interpret([auonBrake(x, gamma)], { G });
  return r?.data[0] ?? NaN;
}

/** One AuON step from zero momentum on a [rows, cols] weight and a [rows] bias; returns w₁ − w₀ etc. */
function step(shape: number[], hp: HyperParams, seed: number, scaleGrad = 1): { w: Tensor; dw: Tensor; w1: Tensor; b: Tensor; db: Tensor; b1: Tensor } {
  const g = new GraphBuilder();
  const rows = shape[0] ?? 1;
  const info = (name: string, s: number[]): ParamInfo => ({ name, layer: 'fc', role: name === 'w' ? 'weight' : 'bias', shape: s, compressible: name === 'w', isNorm: false, init: { kind: 'zeros' } });
  const infos = [info('w', shape), info('b', [rows])];
  const auon = OPTIMIZERS.get('auon');
  assert.ok(auon);
  assert.deepEqual(infos.map((i) => auon.state(i, hp).map((s) => s.name)), [['momentum_buffer'], []]);
  const vs = { w: g.input('w', shape), dw: g.input('dw', shape), b: g.input('b', [rows]), db: g.input('db', [rows]), m: g.input('m', shape) };
  const r = auon.update(g, { params: [vs.w, vs.b], grads: [vs.dw, vs.db], state: [[vs.m], []], infos, lr: g.input('lr', []), step: g.input('step', []), hostScalar: hostScalarInputs(g, 'step', 'float64', []), hp });
  const rand = seededRandomFor(seed);
  const dw = gaussian(shape, rand, scaleGrad);
  const feeds = { w: gaussian(shape, rand), dw, b: gaussian([rows], rand), db: gaussian([rows], rand), m: filled(shape, 0), lr: tensor([], [Number(hp['lr'])]), step: tensor([], [1]) };
  const [w1, b1] = interpret([r.params[0] as Value, r.params[1] as Value], feeds) as [Tensor, Tensor];
  return { w: feeds.w, dw, w1, b: feeds.b, db: feeds.db, b1 };
}

test('AuON: the brake r lies in [1, cosh(γ)], whatever the scale of G', () => {
  const rand = seededRandomFor(11);
  for (const [shape, gamma, std] of [[[3, 4], 1.5, 1], [[1, 1], 1.5, 1e-3], [[2, 2], 3, 50], [[6, 5], 0.5, 1]] as const) {
    const r = brakeOf(gaussian([...shape], rand, std), gamma);
    assert.ok(r >= 1 && r <= Math.cosh(gamma) * (1 + 1e-12), `shape ${shape} γ ${gamma}: r = ${r}`);
  }
  // A single entry is all of the norm: X = ±γ, so r = cosh(γ) exactly (up to the 1e-7 guard).
  assert.ok(Math.abs(brakeOf(tensor([1, 1], [2]), 1.5) - Math.cosh(1.5)) <= 1e-6);
});

test('AuON: for a large tensor r → 1, so the update is about as long as G (not unit-norm)', () => {
  const r = brakeOf(gaussian([64, 64], seededRandomFor(5)), 1.5);
  // mean cosh²(γ x/‖x‖) ≈ 1 + γ²/n for n entries.
  assert.ok(r - 1 < 2 * (1.5 ** 2 / 4096), `r = ${r}`);
});

test('AuON: with momentum 0 the update is G/(r + 1e-8), parallel to G with a positive scale and no longer than G', () => {
  const s = step([4, 5], HP, 3);
  const r = brakeOf(s.dw, 1.5);
  const delta = Array.from(s.w1.data, (v, k) => (s.w.data[k] ?? NaN) - v);
  const scale = 1 / (r + 1e-8);
  delta.forEach((d, k) => assert.ok(Math.abs(d - (s.dw.data[k] ?? NaN) * scale) <= 1e-14, `entry ${k}`));
  const n = (xs: ArrayLike<number>): number => Math.sqrt(Array.from(xs).reduce((a, v) => a + v * v, 0));
  assert.ok(scale > 0 && n(delta) <= n(s.dw.data));
  // The bias took aux SGD's step with lr·aux.lr/auon.lr = 0.5.
  s.b1.data.forEach((v, k) => assert.equal(v, (s.b.data[k] ?? NaN) - (s.db.data[k] ?? NaN) * 0.5));
});

test('AuON: a zero gradient and momentum leave the weight where decay puts it (no NaN)', () => {
  const s = step([3, 3], { ...HP, lr: 0.1, weight_decay: 0.5 }, 4, 0);
  s.w1.data.forEach((v, k) => assert.ok(Math.abs(v - (s.w.data[k] ?? NaN) * (1 - 0.05)) <= 1e-15, `entry ${k}: ${v}`));
});

// Catalog oracles of A15 Bloop in the float64 interpreter: λ = 0 is the base optimizer on g_main,
// a = 1 makes the correction orthogonal to g_main, an auxiliary gradient parallel to ḡ is
// projected away, a = 0 freezes ḡ, and the dynamic barrier caps the ratio at 1/λ.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { interpret } from '../../interpret';
import { mul, sub } from '../../ops';
import { type Tensor, tensor } from '../../tensor';
import { OPTIMIZERS, WRAPPERS } from '..';
import { bloopRatio } from '../bloop';
import type { HyperParams } from '../types';
import { type TrainState, gaussian, gradients, mlp, randomProblem, seededRandomFor, stepper } from '../../../testing/optim-harness';

const net = mlp({ inputs: 5, hidden: 4, classes: 3 });
const PLAIN_SGD: HyperParams = { lr: 1, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 };
const BLOOP: HyperParams = { aux: 'l2', lambda: 0.5, ema: 0.1, init: 'grad', direction: 'bloop', ratio_only: false };

function train(wrapper: HyperParams | undefined, steps: number, sgd: HyperParams = { ...PLAIN_SGD, lr: 0.1, momentum: 0.9 }): TrainState[] {
  const problem = randomProblem(net, 6, steps, 21);
  const sgdBuilder = OPTIMIZERS.get('sgd');
  const bloop = WRAPPERS.get('bloop');
  assert.ok(sgdBuilder && bloop);
  const s = stepper({ net, batchSize: 6, optimizer: { builder: sgdBuilder, hp: sgd }, ...(wrapper ? { wrapper: { builder: bloop, hp: wrapper } } : {}) });
  const states: TrainState[] = [s.initial(problem.params)];
  problem.batches.forEach((b, t) => states.push(s.step(states[t] as TrainState, b, Number(sgd['lr']), t + 1)));
  return states;
}

const dot = (a: readonly Tensor[], b: readonly Tensor[]): number => a.reduce((s, t, i) => s + Array.from(t.data).reduce((x, v, k) => x + v * (b[i]?.data[k] ?? NaN), 0), 0);

test('Bloop with lambda = 0 is its base optimizer on g_main, bit for bit', () => {
  const a = train({ ...BLOOP, lambda: 0 }, 4);
  const b = train(undefined, 4);
  a.forEach((s, t) => s.params.forEach((p, i) => assert.deepEqual(p.data, b[t]?.params[i]?.data, `step ${t} param ${i}`)));
});

test('Bloop with ema = 1: the correction d − g_main is orthogonal to g_main', () => {
  const problem = randomProblem(net, 6, 1, 21);
  const [s0, s1] = train({ ...BLOOP, ema: 1, lambda: 2 }, 1, PLAIN_SGD);
  assert.ok(s0 && s1);
  // Plain SGD with lr 1: d = w₀ − w₁.
  const d = s0.params.map((p, i) => ({ ...p, data: Float64Array.from(p.data, (v, k) => v - (s1.params[i]?.data[k] ?? NaN)) }));
  const g = gradients(net, s0.params, problem.batches[0]!);
  const correction = d.map((x, i) => ({ ...x, data: Float64Array.from(x.data, (v, k) => v - (g[i]?.data[k] ?? NaN)) }));
  const cos = dot(correction, g) / Math.sqrt(dot(correction, correction) * dot(g, g));
  assert.ok(dot(correction, correction) > 1e-6, 'the auxiliary gradient moved the step');
  // Only the 1e-7 guard in r = ⟨ḡ, g_aux⟩/(‖ḡ‖² + 1e-7) keeps this from 0.
  assert.ok(Math.abs(cos) <= 1e-6, `cos = ${cos}`);
});

test('Bloop: an auxiliary gradient parallel to ḡ is projected away (π = g_aux − r ḡ ≈ 0)', () => {
  const g = new GraphBuilder();
  const shapes = [[3, 4], [4]];
  const ema = shapes.map((s, i) => g.input(`e${i}`, s));
  const rand = seededRandomFor(8);
  const feeds: Record<string, Tensor> = Object.fromEntries(shapes.map((s, i) => [`e${i}`, gaussian(s, rand)]));
  const aux = ema.map((e) => mul(e, -3.5));
  const r = bloopRatio(ema, aux);
  const pi = interpret(aux.map((a, i) => sub(a, mul(ema[i]!, r))), feeds);
  // Exactly 0 but for the 1e-7 guard: π = g_aux·1e-7/(‖ḡ‖² + 1e-7).
  const largest = Math.max(...Object.values(feeds).flatMap((t) => Array.from(t.data, (v) => 3.5 * Math.abs(v))));
  for (const t of pi) t.data.forEach((v) => assert.ok(Math.abs(v) <= 1e-7 * largest, `π entry ${v}`));
});

test('Bloop with ema = 0 freezes ḡ at its start (the first g_main, or zeros)', () => {
  const grad = train({ ...BLOOP, ema: 0 }, 3);
  const first = grad[1]?.wrapperState ?? [];
  for (const s of grad.slice(2)) s.wrapperState.forEach((w, i) => assert.deepEqual(w.data, first[i]?.data));
  const problem = randomProblem(net, 6, 1, 21);
  const g1 = gradients(net, problem.params, problem.batches[0]!);
  first.forEach((w, i) => assert.deepEqual(w.data, g1[i]?.data));
  for (const s of train({ ...BLOOP, ema: 0, init: 'zeros' }, 3).slice(1)) s.wrapperState.forEach((w) => assert.ok(w.data.every((v) => v === 0)));
});

test('Bloop: the dynamic barrier caps r at 1/λ, and an uncapped r is unchanged', () => {
  const g = new GraphBuilder();
  const e = g.input('e', [2]);
  const aux = g.input('a', [2]);
  const feeds = { e: tensor([2], [1, 0]), a: tensor([2], [5, 1]) };
  const [r] = interpret([bloopRatio([e], [aux])], feeds);
  assert.ok(Math.abs((r?.data[0] ?? NaN) - 5 / (1 + 1e-7)) <= 1e-12);
  // Through the wrapper: a capped run differs from an uncapped one only where r > 1/λ.
  const capped = train({ ...BLOOP, aux: 'l1', lambda: 2, direction: 'dynamic_barrier' }, 3);
  const free = train({ ...BLOOP, aux: 'l1', lambda: 2 }, 3);
  assert.notDeepEqual(capped[3]?.params[0]?.data, free[3]?.params[0]?.data);
});

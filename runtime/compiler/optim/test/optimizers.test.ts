// Catalog oracles of the optimizers (A10 AdamP/SGDP, A11 Lion, A12 Grams) on a tiny MLP in the
// float64 interpreter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { type ParamInfo, markEdgeLayers } from '../../model/types';
import { reshape } from '../../ops';
import { type Tensor, filled, tensor } from '../../tensor';
import { newtonSchulz } from '../newton-schulz';
import { hostScalarInputs } from '../host-scalars';
import { OPTIMIZERS } from '..';
import type { HyperParams, OptimizerBuilder } from '../types';
import { type TinyNet, type TrainState, gaussian, gradients, mlp, randomProblem, seededRandomFor, stepper } from '../../../testing/optim-harness';

function builder(name: string): OptimizerBuilder {
  const b = OPTIMIZERS.get(name);
  assert.ok(b, `no builder ${name}`);
  return b;
}

const ADAM: HyperParams = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, amsgrad: false };

/** Runs `steps` steps of one optimizer and returns the state after each. */
function run(net: TinyNet, name: string, hp: HyperParams, steps: number, seed = 7): { states: TrainState[]; problem: ReturnType<typeof randomProblem> } {
  const problem = randomProblem(net, 6, steps, seed);
  const s = stepper({ net, batchSize: 6, optimizer: { builder: builder(name), hp } });
  const states: TrainState[] = [s.initial(problem.params)];
  problem.batches.forEach((b, t) => {
    const last = states[states.length - 1];
    assert.ok(last);
    states.push(s.step(last, b, Number(hp['lr']), t + 1));
  });
  return { states, problem };
}

const net = mlp({ inputs: 5, hidden: 4, classes: 3 });
const invariantNet = mlp({ inputs: 5, hidden: 4, classes: 3, rowNormalized: true });

function sameParams(a: TrainState, b: TrainState): void {
  a.params.forEach((p, i) => assert.deepEqual(p.data, b.params[i]?.data, `parameter ${i}`));
}

test('AdamP with delta = 0 is AdamW (decoupled decay), bit for bit', () => {
  const hp = { ...ADAM, weight_decay: 0.1 };
  const a = run(net, 'adamp', { ...hp, delta: 0, wd_ratio: 0.1, nesterov: false }, 3).states;
  const b = run(net, 'adamw', hp, 3).states;
  a.forEach((s, t) => sameParams(s, b[t] as TrainState));
});

/** Per row r of a [rows, cols] matrix, cos(w_r, w1_r − w_r). */
function rowCosines(w: Tensor, w1: Tensor): number[] {
  const [rows, cols] = w.shape as [number, number];
  return Array.from({ length: rows }, (_, r) => {
    let dot = 0, ww = 0, dd = 0;
    for (let c = 0; c < cols; c++) {
      const wi = w.data[r * cols + c] ?? NaN;
      const d = (w1.data[r * cols + c] ?? NaN) - wi;
      dot += wi * d; ww += wi * wi; dd += d * d;
    }
    return dot / Math.sqrt(ww * dd);
  });
}

const cosines = (states: readonly TrainState[]): number[] => states.slice(1).flatMap((after, t) => rowCosines(states[t]?.params[0] as Tensor, after.params[0] as Tensor));

for (const name of ['adamp', 'sgdp']) {
  test(`${name}: when the channel projection fires, each weight row is orthogonal to its update; 1-D params are not projected`, () => {
    const common = { delta: 0.1, wd_ratio: 0.1, nesterov: false, eps: 1e-8, weight_decay: 0 };
    const hp = name === 'adamp' ? { ...ADAM, ...common } : { lr: 0.1, momentum: 0.9, dampening: 0, ...common };
    const { states } = run(invariantNet, name, hp, 3);
    const plainName = name === 'adamp' ? 'adamw' : 'sgd';
    const plain = run(invariantNet, plainName, name === 'adamp' ? ADAM : { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 }, 3).states;
    // ŵ = w/(‖w‖ + ε) leaves a residual of relative size ~2ε/‖w‖ (catalog tolerance 1e-6).
    for (const c of cosines(states)) assert.ok(Math.abs(c) <= 1e-6, `cos(w_row, u_row) = ${c}`);
    // The unprojected optimizer's updates are not orthogonal (the test is not vacuous).
    assert.ok(Math.max(...cosines(plain).map(Math.abs)) > 1e-4, `${plainName} has a radial part`);
    // The biases (1-D) took exactly the unprojected first update.
    assert.deepEqual(states[1]?.params[1]?.data, plain[1]?.params[1]?.data);
  });
}

test('Lion: every entry of (w(1 − ηλ) − w_new)/η is −1, 0 or 1', () => {
  const hp = { lr: 1e-3, beta1: 0.9, beta2: 0.99, weight_decay: 0.5 };
  const { states } = run(net, 'lion', hp, 4);
  for (let t = 0; t + 1 < states.length; t++) {
    states[t]?.params.forEach((w, i) => {
      const next = states[t + 1]?.params[i] as Tensor;
      w.data.forEach((v, k) => {
        const s = (v * (1 - 1e-3 * 0.5) - (next.data[k] ?? NaN)) / 1e-3;
        assert.ok([-1, 0, 1].some((e) => Math.abs(s - e) < 1e-9), `step ${t + 1} param ${i}[${k}]: ${s}`);
      });
    });
  }
});

test('Lion with beta1 = beta2 = 0 is signSGD with decoupled decay', () => {
  const hp = { lr: 1e-3, beta1: 0, beta2: 0, weight_decay: 0.5 };
  const { states, problem } = run(net, 'lion', hp, 3);
  problem.batches.forEach((b, t) => {
    const before = states[t] as TrainState;
    const grads = gradients(net, before.params, b);
    before.params.forEach((w, i) => {
      const g = grads[i] as Tensor;
      const expected = w.data.map((v, k) => v * (1 - 1e-3 * 0.5) - 1e-3 * Math.sign(g.data[k] ?? NaN));
      assert.deepEqual(states[t + 1]?.params[i]?.data, expected);
    });
  });
});

test('Grams: |Δw| = |Δw_Adam| and sign(Δw) = −sign(g), from the same state', () => {
  const hp = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 };
  const { states, problem } = run(net, 'grams', hp, 4);
  const adamStep = stepper({ net, batchSize: 6, optimizer: { builder: builder('adam'), hp: ADAM } });
  let disagreements = 0;
  problem.batches.forEach((b, t) => {
    const before = states[t] as TrainState;
    const adamAfter = adamStep.step(before, b, 1e-2, t + 1);
    const grads = gradients(net, before.params, b);
    before.params.forEach((w, i) => {
      w.data.forEach((v, k) => {
        const dGrams = (states[t + 1]?.params[i]?.data[k] ?? NaN) - v;
        const dAdam = (adamAfter.params[i]?.data[k] ?? NaN) - v;
        const g = grads[i]?.data[k] ?? NaN;
        assert.ok(Math.abs(Math.abs(dGrams) - Math.abs(dAdam)) <= 1e-12 * Math.max(1e-300, Math.abs(dAdam)) + 1e-18, `|Δw| step ${t + 1}`);
        if (g !== 0) assert.equal(Math.sign(dGrams), -Math.sign(g));
        if (Math.sign(dGrams) !== Math.sign(dAdam)) disagreements++;
      });
    });
  });
  assert.ok(disagreements > 0, 'Grams differs from Adam somewhere (sign(m) ≠ sign(g))');
});

test('every optimizer declares its state per parameter and keeps the parameter shapes', () => {
  const hps: Record<string, HyperParams> = {
    sgd: { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weight_decay: 1e-3 },
    adam: { ...ADAM, amsgrad: true, weight_decay: 1e-3 },
    adamw: { ...ADAM, amsgrad: true },
    adamp: { ...ADAM, delta: 0.1, wd_ratio: 0.1, nesterov: true },
    sgdp: { lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 1e-3, nesterov: true, eps: 1e-8, delta: 0.1, wd_ratio: 0.1 },
    lion: { lr: 1e-4, beta1: 0.9, beta2: 0.99, weight_decay: 0 },
    grams: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01 },
    muon: { lr: 0.02, momentum: 0.95, nesterov: true, ns_steps: 5, weight_decay: 0.01, aux: { kind: 'technique', name: 'adamw', entryKind: 'optimizer', args: { ...ADAM, lr: 3e-4 } } },
    // A14, A21.
    dct_adam: { ...ADAM, weight_decay: 0.01, rank: 2, every: 2, scale: 0.25 },
    auon: { lr: 0.08, momentum: 0.95, weight_decay: 0.01, gamma: 1.5, aux: { kind: 'technique', name: 'adam', entryKind: 'optimizer', args: { ...ADAM, lr: 8e-3 } } },
  };
  assert.deepEqual([...OPTIMIZERS.keys()].sort(), Object.keys(hps).sort());
  for (const [name, hp] of Object.entries(hps)) {
    const { states } = run(net, name, hp, 3);
    const last = states[states.length - 1] as TrainState;
    last.params.forEach((p, i) => {
      assert.deepEqual(p.shape, net.infos[i]?.shape, `${name} param ${i}`);
      assert.ok(p.data.every(Number.isFinite), `${name} param ${i} finite`);
      assert.notDeepEqual(p.data, states[0]?.params[i]?.data, `${name} param ${i} moved`);
    });
  }
});

test('Muon orthogonalizes a conv kernel through its [out, −1] view; ndim < 2 goes to aux', () => {
  const shape = [4, 2, 3, 3];
  const g = new GraphBuilder();
  const w = g.input('w', shape);
  const dw = g.input('dw', shape);
  const b = g.input('b', [4]);
  const db = g.input('db', [4]);
  const info = (name: string, s: number[]): ParamInfo => ({ name, layer: 'conv', role: name === 'w' ? 'weight' : 'bias', shape: s, compressible: false, isNorm: false, init: { kind: 'zeros' } });
  const infos = [info('w', shape), info('b', [4])];
  const hp: HyperParams = { lr: 1, momentum: 0, nesterov: false, ns_steps: 5, weight_decay: 0, aux: { kind: 'technique', name: 'sgd', entryKind: 'optimizer', args: { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 } } };
  const muon = builder('muon');
  assert.deepEqual(infos.map((i) => muon.state(i, hp).length), [1, 0]);
  const state = [[g.input('m', shape)], []];
  const r = muon.update(g, { params: [w, b], grads: [dw, db], state, infos, lr: g.input('lr', []), step: g.input('step', []), hostScalar: hostScalarInputs(g, 'step', 'float64', []), hp });
  const rand = seededRandomFor(3);
  const feeds = { w: gaussian(shape, rand), dw: gaussian(shape, rand), b: gaussian([4], rand), db: gaussian([4], rand), m: filled(shape, 0), lr: tensor([], [1]), step: tensor([], [1]) };
  const [w1, b1, ns] = interpret([r.params[0] as Value, r.params[1] as Value, newtonSchulz(reshape(dw, [4, 18]), 5)], feeds) as [Tensor, Tensor, Tensor];
  // momentum 0: the buffer is the gradient; rows/cols = 4/18 < 1, so no extra scale.
  w1.data.forEach((v, k) => assert.ok(Math.abs(v - ((feeds.w.data[k] ?? NaN) - (ns.data[k] ?? NaN))) <= 1e-15));
  // The bias took aux SGD's step with lr·aux.lr/muon.lr = 0.5.
  b1.data.forEach((v, k) => assert.equal(v, (feeds.b.data[k] ?? NaN) - (feeds.db.data[k] ?? NaN) * 0.5));
});

test('Muon leaves the first and last layers to aux unless hidden_only is false (MuonWithAuxAdam)', () => {
  const info = (layer: string, role: ParamInfo['role'], shape: number[]): ParamInfo => ({ name: `${layer}.${role}`, layer, role, shape, compressible: role === 'weight', isNorm: false, init: { kind: 'zeros' } });
  const infos = markEdgeLayers([info('dense_1', 'weight', [8, 4]), info('dense_1', 'bias', [8]), info('dense_2', 'weight', [8, 8]), info('dense_3', 'weight', [2, 8]), info('dense_3', 'bias', [2])]);
  assert.deepEqual(infos.map((i) => i.edge === true), [true, true, false, true, true]);
  const aux = { kind: 'technique', name: 'adamw', entryKind: 'optimizer', args: { ...ADAM, lr: 3e-4 } };
  const base: HyperParams = { lr: 0.02, momentum: 0.95, nesterov: true, ns_steps: 5, weight_decay: 0, aux };
  const muon = builder('muon');
  const kinds = (hp: HyperParams): string[] => infos.map((i) => muon.state(i, hp).map((s) => s.name).join('+'));
  // AdamW's state for the edge layers and the biases; Muon's buffer for the hidden weight only.
  assert.deepEqual(kinds(base), ['exp_avg+exp_avg_sq', 'exp_avg+exp_avg_sq', 'momentum_buffer', 'exp_avg+exp_avg_sq', 'exp_avg+exp_avg_sq']);
  assert.deepEqual(kinds({ ...base, hidden_only: false }), ['momentum_buffer', 'exp_avg+exp_avg_sq', 'momentum_buffer', 'momentum_buffer', 'exp_avg+exp_avg_sq']);
});

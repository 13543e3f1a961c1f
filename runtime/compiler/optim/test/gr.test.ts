// Catalog oracles of A16 gradient regularization by finite differences, in the float64
// interpreter: γ = 0 is the plain gradient, γ = ε (F-GR) is the gradient at w + εg, on a quadratic
// both forms equal Aw + γA²w for every ε, and on a small MLP both are O(ε) from the exact
// g + γHg, whose Hessian-vector product is taken by double backpropagation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { grad } from '../../grad';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { add, matmul, mul, reduceSum, reshape, softmaxCrossEntropy } from '../../ops';
import { type Tensor, tensor } from '../../tensor';
import { OPTIMIZERS, WRAPPERS } from '..';
import { sumOfSquares } from '../tensors';
import type { HyperParams, LossAndGrad } from '../types';
import { type Batch, type TrainState, gaussian, gradients, mlp, randomProblem, seededRandomFor, stepper } from '../../../testing/optim-harness';

const net = mlp({ inputs: 5, hidden: 4, classes: 3 });
const SGD: HyperParams = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 };

function builder() {
  const gr = WRAPPERS.get('gr');
  assert.ok(gr);
  return gr;
}

function train(wrapper: HyperParams | undefined, steps: number, sgd = SGD): TrainState[] {
  const problem = randomProblem(net, 6, steps, 31);
  const sgdBuilder = OPTIMIZERS.get('sgd');
  assert.ok(sgdBuilder);
  const s = stepper({ net, batchSize: 6, optimizer: { builder: sgdBuilder, hp: sgd }, ...(wrapper ? { wrapper: { builder: builder(), hp: wrapper } } : {}) });
  const states: TrainState[] = [s.initial(problem.params)];
  problem.batches.forEach((b, t) => states.push(s.step(states[t] as TrainState, b, Number(sgd['lr']), t + 1)));
  return states;
}

/** The gradient gr hands to its base optimizer, for a loss given as a function of the parameters. */
function grGradient(shapes: readonly number[][], values: readonly Tensor[], loss: (ps: readonly Value[]) => Value, hp: HyperParams): Tensor[] {
  const g = new GraphBuilder();
  const params = shapes.map((s, i) => g.input(`p${i}`, s));
  const lossAndGrad: LossAndGrad = (ps) => {
    const l = loss(ps);
    return { loss: l, grads: grad(l, ps) };
  };
  const r = builder().gradient(g, { params, infos: [], lossAndGrad, state: [], step: g.input('step', []), hp });
  return interpret(r.grads, Object.fromEntries(values.map((v, i) => [`p${i}`, v])));
}

/** The MLP's loss on one batch, as a function of its parameters. */
function mlpLoss(batch: Batch): (ps: readonly Value[]) => Value {
  return (ps) => softmaxCrossEntropy(net.forward(ps[0]!.graph.constant(batch.x), ps), ps[0]!.graph.constant(batch.y));
}

test('gr with gamma = 0 equals its base optimizer bit for bit', () => {
  const a = train({ gamma: 0, epsilon: 0.05, form: 'forward' }, 3);
  const b = train(undefined, 3);
  a.forEach((s, t) => s.params.forEach((p, i) => assert.deepEqual(p.data, b[t]?.params[i]?.data, `step ${t} param ${i}`)));
});

test('F-GR with gamma = epsilon is the gradient at w + εg (the unnormalized SAM gradient), bit for bit', () => {
  const eps = 0.05;
  const problem = randomProblem(net, 6, 1, 31);
  const batch = problem.batches[0]!;
  const got = grGradient(net.infos.map((i) => [...i.shape]), problem.params, mlpLoss(batch), { gamma: eps, epsilon: eps, form: 'forward' });
  const g = gradients(net, problem.params, batch);
  const ascended = problem.params.map((p, i) => tensor(p.shape, Array.from(p.data, (v, k) => v + (g[i]?.data[k] ?? NaN) * eps)));
  const expected = gradients(net, ascended, batch);
  got.forEach((t, i) => assert.deepEqual(t.data, expected[i]?.data, `param ${i}`));
});

test('on a quadratic ½wᵀAw both forms equal Aw + γA²w for every ε', () => {
  const n = 4;
  const rand = seededRandomFor(2);
  const b = gaussian([n, n], rand);
  // A = BᵀB + I, symmetric positive definite.
  const A = Array.from({ length: n * n }, (_, k) => {
    const [r, c] = [Math.floor(k / n), k % n];
    let s = r === c ? 1 : 0;
    for (let j = 0; j < n; j++) s += (b.data[j * n + r] ?? NaN) * (b.data[j * n + c] ?? NaN);
    return s;
  });
  const w = gaussian([n], rand);
  const Aw = Array.from({ length: n }, (_, r) => A.slice(r * n, r * n + n).reduce((s, a, c) => s + a * (w.data[c] ?? NaN), 0));
  const AAw = Array.from({ length: n }, (_, r) => A.slice(r * n, r * n + n).reduce((s, a, c) => s + a * (Aw[c] ?? NaN), 0));
  const gamma = 0.03;
  const quadratic = (ps: readonly Value[]): Value => {
    const x = reshape(ps[0]!, [n, 1]);
    const Ax = matmul(x.graph.constant(tensor([n, n], A)), x);
    return mul(reduceSum(mul(x, Ax), [], false), 0.5);
  };
  for (const form of ['forward', 'backward']) {
    for (const epsilon of [1e-3, 0.1, 2]) {
      const [got] = grGradient([[n]], [w], quadratic, { gamma, epsilon, form });
      got?.data.forEach((v, k) => assert.ok(Math.abs(v - ((Aw[k] ?? NaN) + gamma * (AAw[k] ?? NaN))) <= 1e-10 * (1 + Math.abs(v)), `${form} ε ${epsilon}[${k}]: ${v}`));
    }
  }
});

test('on a small MLP both forms are O(ε) from g + γHg by double backpropagation', () => {
  const problem = randomProblem(net, 6, 1, 41);
  const batch = problem.batches[0]!;
  const shapes = net.infos.map((i) => [...i.shape]);
  const gamma = 0.01;
  // Exact: ∇(L + (γ/2)‖∇L‖²), the second term by differentiating the gradient graph.
  const g = new GraphBuilder();
  const ps = shapes.map((s, i) => g.input(`p${i}`, s));
  const l = mlpLoss(batch)(ps);
  const gs = grad(l, ps);
  const penalty = mul(gs.map(sumOfSquares).reduce((a, b) => add(a, b)), gamma / 2);
  const total = grad(penalty, ps).map((h, i) => add(gs[i]!, h));
  const exact = interpret(total, Object.fromEntries(problem.params.map((v, i) => [`p${i}`, v])));
  const plain = gradients(net, problem.params, batch);
  const dist = (a: readonly Tensor[], b: readonly Tensor[]): number => Math.sqrt(a.reduce((s, t, i) => s + Array.from(t.data).reduce((x, v, k) => x + (v - (b[i]?.data[k] ?? NaN)) ** 2, 0), 0));
  const correction = dist(exact, plain);
  assert.ok(correction > 1e-6, 'γHg is not negligible');
  for (const form of ['forward', 'backward']) {
    const errors = [0.02, 0.01, 0.005].map((epsilon) => dist(grGradient(shapes, problem.params, mlpLoss(batch), { gamma, epsilon, form }), exact));
    // First order: halving ε halves the error (ratios within [1.6, 2.4]), and the error is a small part of γHg.
    for (let k = 1; k < errors.length; k++) {
      const ratio = (errors[k - 1] ?? NaN) / (errors[k] ?? NaN);
      assert.ok(ratio > 1.6 && ratio < 2.4, `${form}: error ratio ${ratio} (${errors.join(', ')})`);
    }
    assert.ok((errors[0] ?? NaN) < 0.1 * correction, `${form}: ${errors[0]} vs γHg ${correction}`);
  }
});

// Catalog oracles of A20 DeepZero in the float64 interpreter: CGE is exact for a linear loss, is
// off by μ/2·H_ii per coordinate on a quadratic, leaves masked coordinates exactly 0 and evaluates
// the loss nnz + 1 times a step; RGE is the code's average over normalized directions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import type { ParamInfo } from '../../model/types';
import { add, matmul, mul, reduceSum, reshape } from '../../ops';
import { type Tensor, tensor } from '../../tensor';
import { WRAPPERS, deepzeroInputs, zoEvaluations } from '..';
import type { HyperParams, LossAndGrad } from '../types';
import { gaussian, seededRandomFor } from '../../../testing/optim-harness';

const CGE: HyperParams = { estimator: 'cge', mu: 1e-3, queries: 4, sparsity: 0, reshuffle: { kind: 'duration', value: 1, unit: 'ep' } };
const info = (name: string, shape: number[]): ParamInfo => ({ name, layer: 'fc', role: shape.length >= 2 ? 'weight' : 'bias', shape, compressible: shape.length >= 2, isNorm: false, init: { kind: 'zeros' } });

/** DeepZero's gradient for a loss of the parameters; returns it and how often the loss was built. */
function estimate(infos: readonly ParamInfo[], values: readonly Tensor[], loss: (ps: readonly Value[]) => Value, hp: HyperParams, inputs: readonly Tensor[] = []): { grads: Tensor[]; evaluations: number } {
  const dz = WRAPPERS.get('deepzero');
  assert.ok(dz);
  const g = new GraphBuilder();
  const params = infos.map((i) => g.input(i.name, i.shape));
  const specs = dz.inputs?.(infos, hp) ?? [];
  const ins = specs.map((s) => g.input(s.name, s.shape));
  let evaluations = 0;
  const lossAndGrad: LossAndGrad = (ps) => {
    evaluations++;
    return { loss: loss(ps), grads: ps.map((p) => mul(p, 0)) };
  };
  const r = dz.gradient(g, { params, infos, lossAndGrad, state: [], inputs: ins, step: g.input('step', []), hp });
  const feeds: Record<string, Tensor> = Object.fromEntries([...infos.map((inf, i) => [inf.name, values[i]!] as const), ...specs.map((s, k) => [s.name, inputs[k]!] as const)]);
  return { grads: interpret(r.grads, feeds), evaluations };
}

const rand = seededRandomFor(13);
const infos = [info('w', [3, 4]), info('b', [3])];
const values = infos.map((i) => gaussian(i.shape, rand));
const coefficients = infos.map((i) => gaussian(i.shape, rand));

/** Σ c ⊙ w over the parameters, a linear loss. */
const linear = (ps: readonly Value[]): Value => ps.map((p, i) => reduceSum(mul(p, p.graph.constant(coefficients[i]!)), [], false)).reduce((a, b) => add(a, b));

test('CGE is exact for a linear loss, and costs one loss evaluation per coordinate plus one', () => {
  const { grads, evaluations } = estimate(infos, values, linear, CGE);
  grads.forEach((t, i) => t.data.forEach((v, k) => assert.ok(Math.abs(v - (coefficients[i]?.data[k] ?? NaN)) <= 1e-9, `${infos[i]?.name}[${k}]: ${v}`)));
  assert.equal(evaluations, 12 + 3 + 1);
  assert.equal(zoEvaluations(infos, CGE), evaluations);
});

test('CGE on a quadratic ½wᵀAw is off by exactly μ/2·A_ii per coordinate', () => {
  const n = 4;
  const b = gaussian([n, n], rand);
  const A = Array.from({ length: n * n }, (_, k) => {
    const [r, c] = [Math.floor(k / n), k % n];
    let s = r === c ? 1 : 0;
    for (let j = 0; j < n; j++) s += (b.data[j * n + r] ?? NaN) * (b.data[j * n + c] ?? NaN);
    return s;
  });
  const w = gaussian([n], rand);
  const quadratic = (ps: readonly Value[]): Value => {
    const x = reshape(ps[0]!, [n, 1]);
    return mul(reduceSum(mul(x, matmul(x.graph.constant(tensor([n, n], A)), x)), [], false), 0.5);
  };
  const mu = 1e-2;
  const { grads } = estimate([info('w', [n])], [w], quadratic, { ...CGE, mu });
  grads[0]?.data.forEach((v, i) => {
    const exact = A.slice(i * n, i * n + n).reduce((s, a, c) => s + a * (w.data[c] ?? NaN), 0);
    assert.ok(Math.abs(v - exact - (mu / 2) * (A[i * n + i] ?? NaN)) <= 1e-9, `coordinate ${i}: error ${v - exact}`);
  });
});

test('CGE with sparsity: only the fed coordinates of a weight are estimated, the rest are exactly 0', () => {
  const hp = { ...CGE, sparsity: 0.5 };
  const specs = deepzeroInputs(infos, hp);
  assert.deepEqual(specs.map((s) => [s.name, s.shape]), [['deepzero_coords:w', [6]]]);
  const coords = [0, 2, 5, 7, 8, 11];
  const { grads, evaluations } = estimate(infos, values, linear, hp, [tensor([6], coords)]);
  grads[0]?.data.forEach((v, k) => {
    if (coords.includes(k)) assert.ok(Math.abs(v - (coefficients[0]?.data[k] ?? NaN)) <= 1e-9);
    else assert.equal(v, 0, `masked entry ${k}`);
  });
  // The bias (1-D) is always estimated in full: 6 + 3 + 1 evaluations.
  assert.equal(evaluations, 10);
  assert.equal(zoEvaluations(infos, hp), 10);
});

test('RGE: the average over q directions normalized per tensor of û·(L(w + μû) − L(w))', () => {
  const hp: HyperParams = { ...CGE, estimator: 'rge', queries: 3, mu: 1e-3 };
  const specs = deepzeroInputs(infos, hp);
  assert.equal(specs.length, 3 * infos.length);
  const us = specs.map((s) => gaussian(s.shape, rand));
  const { grads, evaluations } = estimate(infos, values, linear, hp, us);
  assert.equal(evaluations, 4);
  // For a linear loss the difference is exact: L(w + μû) − L(w) = μ Σ_tensors c·û.
  const unit = us.map((u) => Array.from(u.data, (v) => v / (Math.sqrt(Array.from(u.data).reduce((a, x) => a + x * x, 0)) + 1e-8)));
  const expected = infos.map((inf, i) => Array.from({ length: inf.shape.reduce((a, d) => a * d, 1) }, (_, k) => {
    let sum = 0;
    for (let j = 0; j < 3; j++) {
      const dd = infos.reduce((s, _, t) => s + (unit[j * 2 + t] ?? []).reduce((x, v, m) => x + v * (coefficients[t]?.data[m] ?? NaN), 0), 0);
      sum += (unit[j * 2 + i]?.[k] ?? NaN) * 1e-3 * dd / 3;
    }
    return sum;
  }));
  // The code's perturb·dd/q with perturb = μû and dd = ΔL/μ is (1/q)Σ û ΔL: no d/μ factor.
  grads.forEach((t, i) => t.data.forEach((v, k) => assert.ok(Math.abs(v - (expected[i]?.[k] ?? NaN)) <= 1e-12, `${infos[i]?.name}[${k}]: ${v} vs ${expected[i]?.[k]}`)));
});

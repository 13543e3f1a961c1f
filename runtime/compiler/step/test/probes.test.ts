// The probe graphs, evaluated by the float64 reference interpreter. Oracles: for a linear model
// with mse (a quadratic loss), Hv equals the hand-built Hessian times v and sharpness has the
// closed form ρ‖g‖ + (ρ²/2)·ĝᵀHĝ (≥ 0); ρ = 0 gives exactly 0. For nonlinear models (tanh, relu,
// conv, maxpool, batch norm), Hv matches central differences of the gradient, and ⟨u, Hv⟩ = ⟨v, Hu⟩.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad, interpret, tensor, type Tensor, type Value } from '../..';
import { buildLoss } from '../../loss';
import { buildModel, type ModelGraph } from '../../model';
import { buildHessianVectorProbe, buildSharpnessProbe, directionName, PROBE_OUT, productName, type ProbeSpec } from '..';
import { randomTensor, seededRandom } from '../../../testing/gradcheck';
import { checkedRecipe } from '../../../testing/model-harness';
import { dot, linearMse, quadraticSharpness } from '../../../testing/probe-oracles';

const MSE = { name: 'mse', args: {} };
const CE = { name: 'cross_entropy', args: { smoothing: 0 } };

function modelOf(data: string, kind: 'mlp' | 'cnn', layers: string): ModelGraph {
  const text = `data ${data} {\n  batch = 8\n}\nmodel ${kind} {\n${layers}\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n`;
  return buildModel(checkedRecipe(text, layers));
}

function specOf(model: ModelGraph, loss: { name: string; args: Record<string, unknown> }, targetWidth: number): ProbeSpec {
  return { model, loss: (g, out, target) => buildLoss(g, loss, out, target), targetWidth, dtype: 'float64' };
}

/** Random x, y (one-hot rows for classification), parameters, buffers (running_var positive). */
function feedsOf(model: ModelGraph, batch: number, width: number, classification: boolean, seed: number): Record<string, Tensor> {
  const rand = seededRandom(seed);
  const feeds: Record<string, Tensor> = { x: randomTensor({ shape: [batch, ...model.inputShape] }, rand) };
  feeds['y'] = classification
    ? tensor([batch, width], Array.from({ length: batch * width }, (_, k) => (k % width === Math.floor(k / width) % width ? 1 : 0)))
    : randomTensor({ shape: [batch, width] }, rand);
  for (const p of model.params) feeds[p.name] = randomTensor({ shape: p.shape, ...(p.role === 'norm_scale' ? { lo: 0.5, hi: 1.5 } : {}) }, rand);
  for (const b of model.buffers) feeds[b.name] = randomTensor({ shape: b.shape, ...(b.role === 'running_var' ? { lo: 0.5, hi: 1.5 } : {}) }, rand);
  return feeds;
}

function directions(model: ModelGraph, seed: number): Record<string, Tensor> {
  const rand = seededRandom(seed);
  return Object.fromEntries(model.params.map((p) => [directionName(p.name), randomTensor({ shape: p.shape }, rand)]));
}

function run(probe: ReturnType<typeof buildHessianVectorProbe>, feeds: Record<string, Tensor>): Record<string, Tensor> {
  const values = interpret(probe.outputs.map((o) => o.value), feeds);
  return Object.fromEntries(probe.outputs.map((o, i) => [o.name, values[i] as Tensor]));
}

function flat(ts: readonly Tensor[]): number[] {
  return ts.flatMap((t) => [...t.data]);
}

/** The linear model dense(1) on 3 features: its parameters (weight [1, 3], bias [1]) as one vector [w, b]. */
const linear = modelOf('regression(features: 3)', 'mlp', 'dense(1)');

/** The hand-built gradient and Hessian of mse for the linear model at the fed values. */
function linearOracle(feeds: Record<string, Tensor>): { H: number[][]; g: number[] } {
  const x = feeds['x'] as Tensor;
  const theta = [...(feeds[linear.params[0]?.name ?? ''] as Tensor).data, ...(feeds[linear.params[1]?.name ?? ''] as Tensor).data];
  return linearMse(x.data, (feeds['y'] as Tensor).data, x.shape[0] ?? 0, theta);
}

test('the linear model has the parameter layout the oracles assume', () => {
  assert.deepEqual(linear.params.map((p) => [p.role, p.shape]), [['weight', [1, 3]], ['bias', [1]]]);
});

test('Hessian-vector probe: Hv of a linear model with mse equals (2/n)AᵀA·v', () => {
  const probe = buildHessianVectorProbe(specOf(linear, MSE, 1));
  const feeds = { ...feedsOf(linear, 7, 1, false, 1), ...directions(linear, 2) };
  const out = run(probe, feeds);
  const v = flat(linear.params.map((p) => feeds[directionName(p.name)] as Tensor));
  const hv = flat(linear.params.map((p) => out[productName(p.name)] as Tensor));
  const { H } = linearOracle(feeds);
  H.forEach((row, a) => assert.ok(Math.abs((hv[a] ?? NaN) - dot(row, v)) < 1e-12, `Hv[${a}] ${hv[a]} vs ${dot(row, v)}`));
});

for (const rho of [0.05, 0.5]) {
  test(`sharpness probe: a linear model with mse has the closed form ρ‖g‖ + (ρ²/2)ĝᵀHĝ ≥ 0 (rho ${rho})`, () => {
    const probe = buildSharpnessProbe(specOf(linear, MSE, 1), rho);
    const feeds = feedsOf(linear, 9, 1, false, 3);
    const out = run(probe, feeds);
    const { H, g } = linearOracle(feeds);
    const expected = quadraticSharpness(H, g, rho);
    const got = (out[PROBE_OUT.sharpness] as Tensor).data[0] ?? NaN;
    assert.ok(Math.abs(got - expected) <= 1e-12 * Math.max(1, expected), `${got} vs ${expected}`);
    assert.ok(got >= 0);
    const clean = (out[PROBE_OUT.loss] as Tensor).data[0] ?? NaN;
    const perturbed = (out[PROBE_OUT.perturbedLoss] as Tensor).data[0] ?? NaN;
    assert.equal(got, perturbed - clean);
  });
}

test('sharpness probe: rho 0 gives exactly 0', () => {
  const model = modelOf('blobs(features: 3, classes: 3)', 'mlp', 'dense(5, act: tanh)\ndense(3)');
  const out = run(buildSharpnessProbe(specOf(model, CE, 3), 0), feedsOf(model, 6, 3, true, 4));
  assert.equal((out[PROBE_OUT.sharpness] as Tensor).data[0], 0);
});

interface Case {
  readonly name: string;
  readonly data: string;
  readonly kind: 'mlp' | 'cnn';
  readonly layers: string;
  /** Compare with central differences of the gradient (smooth models only: a kink breaks them). */
  readonly finiteDifferences: boolean;
}

const CASES: readonly Case[] = [
  { name: 'tanh MLP', data: 'blobs(features: 3, classes: 3)', kind: 'mlp', layers: 'dense(5, act: tanh)\ndense(3)', finiteDifferences: true },
  { name: 'tanh MLP with layer norm', data: 'blobs(features: 3, classes: 3)', kind: 'mlp', layers: 'dense(5, act: tanh, norm: layer)\ndense(3)', finiteDifferences: true },
  { name: 'relu MLP with batch norm and dropout', data: 'blobs(features: 3, classes: 3)', kind: 'mlp', layers: 'dense(5, act: relu, norm: batch)\ndropout(0.5)\ndense(3)', finiteDifferences: false },
  { name: 'conv net with maxpool', data: 'digits', kind: 'cnn', layers: 'conv2d(2, kernel: 3, stride: 2, pad: 1, act: relu, norm: batch)\nmaxpool(2)\ndense(10)', finiteDifferences: false },
];

for (const c of CASES) {
  test(`Hessian-vector probe: ${c.name} is symmetric${c.finiteDifferences ? ' and matches central differences of the gradient' : ''}`, () => {
    const model = modelOf(c.data, c.kind, c.layers);
    const spec = specOf(model, CE, model.outputWidth);
    const probe = buildHessianVectorProbe(spec);
    const feeds = feedsOf(model, 4, model.outputWidth, true, 5);
    const u = directions(model, 6);
    const v = directions(model, 7);
    const hu = flat(model.params.map((p) => run(probe, { ...feeds, ...u })[productName(p.name)] as Tensor));
    const hv = flat(model.params.map((p) => run(probe, { ...feeds, ...v })[productName(p.name)] as Tensor));
    const uv = flat(model.params.map((p) => u[directionName(p.name)] as Tensor));
    const vv = flat(model.params.map((p) => v[directionName(p.name)] as Tensor));
    const a = dot(uv, hv);
    const b = dot(vv, hu);
    assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a)), `⟨u, Hv⟩ ${a} vs ⟨v, Hu⟩ ${b}`);
    if (!c.finiteDifferences) return;
    // (∇L(w + εv) − ∇L(w − εv)) / 2ε, from a plain gradient graph of the same probe inputs.
    const g = probe.graph;
    const params = model.params.map((p) => g.inputs.find((i) => i.source.kind === 'input' && i.source.name === p.name) as Value);
    const lossValue = probe.outputs[0]?.value as Value;
    const grads = grad(lossValue, params);
    const eps = 1e-5;
    const shifted = (sign: number) => {
      const f = { ...feeds };
      for (const p of model.params) {
        const base = f[p.name] as Tensor;
        const dir = v[directionName(p.name)] as Tensor;
        f[p.name] = { ...base, data: base.data.map((x, i) => x + sign * eps * (dir.data[i] ?? NaN)) };
      }
      return flat(interpret(grads, { ...f, ...v }));
    };
    const plus = shifted(1);
    const minus = shifted(-1);
    hv.forEach((h, i) => {
      const numeric = ((plus[i] ?? NaN) - (minus[i] ?? NaN)) / (2 * eps);
      assert.ok(Math.abs(h - numeric) <= 1e-6 * Math.max(1, Math.abs(h)), `Hv[${i}] ${h} vs ${numeric}`);
    });
  });
}

// The costly metrics on real backends (wasm and native). Oracles (catalog D01, D05): for the linear
// model with mse, λ_max equals the top eigenvalue of the hand-built Hessian (rel 1e-3), also when
// averaged over batches of different sizes; m-sharpness of that convex quadratic is ≥ 0 and has a
// closed form; ρ = 0 gives 0. Nonlinear models (tanh, relu, conv + maxpool + batch norm) agree
// with the same power iteration run on the float64 reference interpreter. effectiveStep has its
// closed form; a layer that cannot be differentiated twice gives a warning, not a throw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TechniqueUse } from '../../catalog';
import { interpret, mapUnary, shapeError, tensor, type OpDef, type Tensor, type Value } from '../../compiler';
import { buildLoss } from '../../compiler/loss';
import { buildModel, initTensors, type ModelGraph, type ParamInfo } from '../../compiler/model';
import { add, mul } from '../../compiler/ops';
import { buildHessianVectorProbe, directionName, productName } from '../../compiler/step';
import { openBackend, type Backend } from '../backend';
import { createRng } from '../data';
import { createProbes, effectiveStep, effectiveStepByLayer, type ProbeBatch, type ProbeContext } from '../probes';
import { powerIteration, randomDirection } from '../power-iteration';
import { checkedRecipe } from '../../testing/model-harness';
import { linearMse, quadraticSharpness, symmetricEigenvalues } from '../../testing/probe-oracles';

const MSE = { name: 'mse', args: {} };
const CE = { name: 'cross_entropy', args: { smoothing: 0 } };

function metric(name: string, args: Record<string, number> = {}): TechniqueUse {
  return { kind: 'technique', name, entryKind: 'metric', args };
}

function modelOf(data: string, kind: 'mlp' | 'cnn', layers: string): ModelGraph {
  const text = `data ${data} {\n  batch = 8\n}\nmodel ${kind} {\n${layers}\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n`;
  return buildModel(checkedRecipe(text, layers));
}

function contextOf(model: ModelGraph, loss: { name: string; args: Record<string, unknown> }, backend: Backend, classification: boolean): ProbeContext {
  return { model, loss: (g, out, target) => buildLoss(g, loss, out, target), targetWidth: model.outputWidth, backend, dtype: 'float32', classification, seed: 11 };
}

/** A batch of Gaussian inputs (feature j scaled by scales[j]) with random targets or one-hot labels. */
function batchOf(model: ModelGraph, size: number, seed: number, o: { readonly scales?: readonly number[]; readonly classification?: boolean } = {}): ProbeBatch {
  const rng = createRng(seed, 'probe-test');
  const d = model.inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size * d }, (_, k) => rng.normal() * (o.scales?.[k % d] ?? 1));
  const w = model.outputWidth;
  const y = o.classification
    ? Float32Array.from({ length: size * w }, (_, k) => (k % w === (Math.floor(k / w) * 7) % w ? 1 : 0))
    : Float32Array.from({ length: size * w }, () => rng.normal());
  return { x, y, size };
}

function weightsOf(model: ModelGraph, seed: number): { params: Float32Array[]; buffers: Float32Array[] } {
  const init = initTensors(model, seed);
  return { params: init.params.map((p) => Float32Array.from(p)), buffers: init.buffers.map((b) => Float32Array.from(b)) };
}

/** The linear model dense(1) on 4 features; θ = [weight [1, 4], bias [1]]. */
const linear = modelOf('regression(features: 4)', 'mlp', 'dense(1)');
const SCALES = [3, 1, 0.5, 0.2];

function concat(rows: readonly ProbeBatch[]): { x: number[]; y: number[]; n: number } {
  return { x: rows.flatMap((b) => [...b.x]), y: rows.flatMap((b) => [...b.y]), n: rows.reduce((s, b) => s + b.size, 0) };
}

for (const kind of ['wasm', 'native'] as const) {
  test(`${kind}: hessian_top_eig of a linear model with mse is the top eigenvalue of (2/n)AᵀA, over one and two batches`, async () => {
    const backend = await openBackend({ kind });
    const probes = await createProbes([metric('hessian_top_eig', { iters: 100, tol: 1e-7, batches: 2 })], contextOf(linear, MSE, backend, false));
    assert.ok(probes);
    assert.deepEqual(probes.warnings, []);
    assert.deepEqual(probes.metrics, ['hessian_top_eig']);
    const w = weightsOf(linear, 1);
    const b1 = batchOf(linear, 40, 2, { scales: SCALES });
    const b2 = batchOf(linear, 24, 3, { scales: SCALES.map((s, i) => (i === 1 ? 4 : s)) });
    const theta = [...(w.params[0] ?? []), ...(w.params[1] ?? [])];
    for (const batches of [[b1], [b1, b2]]) {
      const all = concat(batches);
      const expected = symmetricEigenvalues(linearMse(all.x, all.y, all.n, theta).H)[0] ?? NaN;
      const got = (await probes.epoch({ ...w, batches }))['hessian_top_eig'] ?? NaN;
      assert.ok(Math.abs(got - expected) <= 1e-3 * expected, `${batches.length} batch(es): λ ${got} vs ${expected}`);
    }
    await probes.release();
  });

  test(`${kind}: m-sharpness of a linear model with mse is ≥ 0 and has the closed form; rho 0 gives 0`, async () => {
    const backend = await openBackend({ kind });
    const uses = [metric('sharpness', { rho: 0.05 }), metric('sharpness', { rho: 0.1, m: 8 }), metric('sharpness', { rho: 0 })];
    const w = weightsOf(linear, 4);
    // 30 examples with m = 8: three sub-batches, the last 6 examples left out.
    const batch = batchOf(linear, 30, 5, { scales: SCALES });
    const theta = [...(w.params[0] ?? []), ...(w.params[1] ?? [])];
    const d = SCALES.length;
    const oracle = (rho: number, m: number): number => {
      const count = Math.floor(batch.size / m);
      let s = 0;
      for (let b = 0; b < count; b++) {
        const { H, g } = linearMse(batch.x.subarray(b * m * d, (b + 1) * m * d), batch.y.subarray(b * m, (b + 1) * m), m, theta);
        s += quadraticSharpness(H, g, rho);
      }
      return s / count;
    };
    const expected = [oracle(0.05, 30), oracle(0.1, 8), 0];
    for (const [i, use] of uses.entries()) {
      const probes = await createProbes([use], contextOf(linear, MSE, backend, false));
      assert.ok(probes);
      const got = (await probes.epoch({ ...w, batches: [batch] }))['sharpness'] ?? NaN;
      const want = expected[i] ?? NaN;
      assert.ok(got >= 0, `sharpness ${got} < 0`);
      assert.ok(Math.abs(got - want) <= 1e-3 * want + (want === 0 ? 0 : 1e-6), `${JSON.stringify(use.args)}: ${got} vs ${want}`);
      await probes.release();
    }
  });

  test(`${kind}: probes of tanh and relu MLPs and a conv net agree with the float64 interpreter`, async () => {
    const backend = await openBackend({ kind });
    const cases = [
      { model: modelOf('blobs(features: 6, classes: 3)', 'mlp', 'dense(8, act: tanh)\ndense(8, act: relu)\ndense(3)'), iters: 20, size: 32 },
      { model: modelOf('digits', 'cnn', 'conv2d(3, kernel: 3, stride: 2, pad: 1, act: relu, norm: batch)\nmaxpool(2)\ndense(10)'), iters: 4, size: 8 },
    ];
    for (const c of cases) {
      const ctx = contextOf(c.model, CE, backend, true);
      const probes = await createProbes([metric('sharpness', { rho: 0.05 }), metric('hessian_top_eig', { iters: c.iters, tol: 1e-9, batches: 1 })], ctx);
      assert.ok(probes);
      assert.deepEqual(probes.warnings, []);
      const w = weightsOf(c.model, 6);
      const batch = batchOf(c.model, c.size, 7, { classification: true });
      const got = await probes.epoch({ ...w, batches: [batch] });
      await probes.release();
      const expected = await referenceEigenvalue(ctx, w, batch, c.iters);
      const lambda = got['hessian_top_eig'] ?? NaN;
      assert.ok(Math.abs(lambda - expected) <= 1e-3 * Math.abs(expected), `λ ${lambda} vs float64 ${expected}`);
      assert.ok(Number.isFinite(got['sharpness']), `sharpness ${got['sharpness']}`);
    }
  });
}

/** The same power iteration (same seeded start, call 0) with Hv from the float64 interpreter. */
async function referenceEigenvalue(ctx: ProbeContext, w: { params: Float32Array[]; buffers: Float32Array[] }, batch: ProbeBatch, iters: number): Promise<number> {
  const { model } = ctx;
  const probe = buildHessianVectorProbe({ ...ctx, dtype: 'float64' });
  const feeds: Record<string, Tensor> = { x: tensor([batch.size, ...model.inputShape], batch.x), y: tensor([batch.size, ctx.targetWidth], batch.y) };
  model.params.forEach((p, i) => (feeds[p.name] = tensor(p.shape, w.params[i] ?? [])));
  model.buffers.forEach((b, i) => (feeds[b.name] = tensor(b.shape, w.buffers[i] ?? [])));
  const products = model.params.map((p) => probe.outputs.find((o) => o.name === productName(p.name))?.value as Value);
  const hvp = async (v: readonly Float64Array[]) => {
    model.params.forEach((p, i) => (feeds[directionName(p.name)] = tensor(p.shape, v[i] ?? [])));
    return interpret(products, feeds).map((t) => Float64Array.from(t.data));
  };
  const sizes = model.params.map((p) => p.shape.reduce((a, b) => a * b, 1));
  return (await powerIteration(hvp, randomDirection(sizes, createRng(ctx.seed ?? 0, 'hessian_top_eig', 0)), { iters, tol: 1e-9 })).eigenvalue;
}

test('power iteration on a known symmetric matrix: λ_max, a small residual at exit, an early stop with tol', async () => {
  const m = [
    [4, 1, 0, 0.5],
    [1, 3, 0.2, 0],
    [0, 0.2, 1, 0.1],
    [0.5, 0, 0.1, -2],
  ];
  const expected = symmetricEigenvalues(m)[0] ?? NaN;
  const hvp = async (v: readonly Float64Array[]) => {
    const flatV = [...(v[0] ?? []), ...(v[1] ?? [])];
    const out = m.map((row) => row.reduce((s, x, j) => s + x * (flatV[j] ?? NaN), 0));
    return [Float64Array.from(out.slice(0, 3)), Float64Array.from(out.slice(3))];
  };
  const v0 = [Float64Array.of(1, 1, 1), Float64Array.of(1)];
  const tight = await powerIteration(hvp, v0, { iters: 500, tol: 1e-12 });
  assert.ok(tight.converged);
  assert.ok(Math.abs(tight.eigenvalue - expected) < 1e-9, `${tight.eigenvalue} vs ${expected}`);
  assert.ok(tight.residual < 1e-5, `residual ${tight.residual}`);
  const loose = await powerIteration(hvp, v0, { iters: 500, tol: 1e-2 });
  assert.ok(loose.converged && loose.iterations < tight.iterations, `${loose.iterations} vs ${tight.iterations}`);
  const capped = await powerIteration(hvp, v0, { iters: 2, tol: 1e-12 });
  assert.equal(capped.iterations, 2);
  assert.equal(capped.converged, false);
});

test('the Jacobi oracle finds the eigenvalues of a known matrix', () => {
  const got = symmetricEigenvalues([
    [2, 1, 0],
    [1, 2, 0],
    [0, 0, -1],
  ]);
  [3, 1, -1].forEach((e, i) => assert.ok(Math.abs((got[i] ?? NaN) - e) < 1e-12, `${got}`));
});

test('effectiveStep: 0 for identical weights, ‖Δw‖/‖w‖ for a known change, per layer too', () => {
  const before = [Float32Array.of(3, 0), Float32Array.of(4)];
  assert.equal(effectiveStep(before, before.map((a) => a.slice())), 0);
  // ‖w‖ = 5, Δ = (0, 1, −1): ‖Δ‖ = √2.
  assert.equal(effectiveStep(before, [Float32Array.of(3, 1), Float32Array.of(3)]), Math.SQRT2 / 5);
  assert.equal(effectiveStep([Float32Array.of(0)], [Float32Array.of(1)]), Infinity);
  assert.throws(() => effectiveStep(before, [Float32Array.of(3, 0)]), /tensor 1/);
  const info = (name: string, layer: string): ParamInfo => ({ name, layer, role: 'weight', shape: [1], compressible: true, isNorm: false, init: { kind: 'zeros' } });
  const layers = effectiveStepByLayer([info('a.weight', 'a'), info('a.bias', 'a'), info('b.weight', 'b')], [Float32Array.of(3), Float32Array.of(4), Float32Array.of(2)], [Float32Array.of(3), Float32Array.of(5), Float32Array.of(2)]);
  assert.deepEqual(layers, { a: 1 / 5, b: 0 });
});

test('createProbes: undefined when no costly metric is requested', async () => {
  const backend = await openBackend({ kind: 'wasm' });
  assert.equal(await createProbes([metric('loss'), metric('effective_step')], contextOf(linear, MSE, backend, false)), undefined);
});

// Cube: x³, whose backward uses CubeSlope (3x²), an op with no backward rule: first-order
// gradients work (sharpness), second-order ones cannot (hessian_top_eig).
const CubeSlope: OpDef = {
  name: 'CubeSlope',
  attrTypes: {},
  inferShape: ([x]) => (x ? [x] : shapeError('CubeSlope', 'needs one input')),
  evaluate: ([x]) => [mapUnary(x as Tensor, (v) => 3 * v * v)],
  emitOnnx: (e, node) => {
    const sq = e.temp('sq');
    e.node('Mul', [e.input(0), e.input(0)], [sq]);
    e.node('Mul', [sq, e.scalar(3, e.dtypeOf(node.inputs[0] as Value))], [e.output(0)]);
  },
};
const Cube: OpDef = {
  name: 'Cube',
  attrTypes: {},
  inferShape: ([x]) => (x ? [x] : shapeError('Cube', 'needs one input')),
  backward: ({ g, node, gradOutputs: [out] }) => [out ? mul(out, g.apply1(CubeSlope, [node.inputs[0] as Value])) : undefined],
  evaluate: ([x]) => [mapUnary(x as Tensor, (v) => v * v * v)],
  emitOnnx: (e) => {
    const sq = e.temp('sq');
    e.node('Mul', [e.input(0), e.input(0)], [sq]);
    e.node('Mul', [sq, e.input(0)], [e.output(0)]);
  },
};

test('a layer that cannot be differentiated twice: hessian_top_eig is a warning naming the op, sharpness still works', async () => {
  const base = modelOf('regression(features: 4)', 'mlp', 'dense(1)');
  const cubic: ModelGraph = {
    ...base,
    forward: (g, x, params, buffers, options) => {
      const f = base.forward(g, x, params, buffers, options);
      return { ...f, output: add(g.apply1(Cube, [f.output]), 0) };
    },
  };
  const backend = await openBackend({ kind: 'wasm' });
  const probes = await createProbes([metric('hessian_top_eig', { iters: 5, tol: 1e-3, batches: 1 }), metric('sharpness', { rho: 0.05 })], contextOf(cubic, MSE, backend, false));
  assert.ok(probes);
  assert.deepEqual(probes.metrics, ['sharpness']);
  assert.equal(probes.warnings.length, 1);
  assert.match(probes.warnings[0] ?? '', /hessian_top_eig .*CubeSlope/);
  const got = await probes.epoch({ ...weightsOf(cubic, 1), batches: [batchOf(cubic, 16, 2)] });
  assert.deepEqual(Object.keys(got), ['sharpness']);
  assert.ok(Number.isFinite(got['sharpness']));
  await probes.release();
});

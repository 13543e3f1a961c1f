// importOnnxModel: models exported with toOnnx (test-fixtures/onnx, from runtime/testing/onnx-models.ts)
// come back as ModelGraphs whose forward equals the original graph's on random inputs, whose
// parameters receive gradients (checked against finite differences), and whose unsupported or
// broken files are reported as values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as c from '../..';
import { type ImportedModel, type ImportResult, importOnnxModel } from '../import';
import { FD_EPS, randomTensor, seededRandom } from '../../../testing/gradcheck';
import { feedsFor, instantiate } from '../../../testing/model-harness';
import { ONNX_FIXTURES, fixtureBytes, fixturePath } from '../../../testing/onnx-models';

const BATCH = 3;

function imported(r: ImportResult): ImportedModel {
  if (!r.ok) throw new Error(`import failed: ${r.message}`);
  return r.imported;
}

function closeTo(actual: Float64Array, expected: Float64Array, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assert.ok(Math.abs((actual[i] ?? NaN) - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: ${actual[i]} vs ${e}`));
}

for (const fixture of ONNX_FIXTURES) {
  test(`${fixture.name}: the committed fixture matches its generator`, () => {
    const committed = fs.readFileSync(path.join(process.cwd(), fixturePath(fixture.name)));
    assert.deepEqual(new Uint8Array(committed), fixtureBytes(fixture), 'regenerate with node test-fixtures/onnx/generate.mjs');
  });

  test(`${fixture.name}: the imported forward equals the original (float64 interpreter)`, () => {
    const { model, initial } = imported(importOnnxModel(fs.readFileSync(path.join(process.cwd(), fixturePath(fixture.name))), {}));
    assert.deepEqual(model.inputShape, fixture.inputShape);
    const original = fixture.build();
    const x = randomTensor({ shape: [BATCH, ...fixture.inputShape] }, seededRandom(5));
    const [expected] = c.interpret([original.output], { x });
    const inst = instantiate(model, 'eval');
    const [actual] = c.interpret([inst.result.output], feedsFor(model, { x, params: initial.params, buffers: initial.buffers }));
    assert.ok(expected && actual);
    assert.deepEqual(actual.shape, [BATCH, model.outputWidth]);
    closeTo(actual.data, expected.data, 1e-12, fixture.name);
  });

  test(`${fixture.name}: every parameter gets a gradient that matches finite differences`, () => {
    const { model, initial } = imported(importOnnxModel(fixtureBytes(fixture), {}));
    const inst = instantiate(model, 'eval');
    const r = inst.g.input('r', inst.result.output.shape);
    const loss = c.reduceSum(c.mul(inst.result.output, r), [], false);
    const grads = c.grad(loss, inst.params);
    const rand = seededRandom(9);
    const feeds: Record<string, c.Tensor> = {
      ...feedsFor(model, { x: randomTensor({ shape: [BATCH, ...fixture.inputShape] }, rand), params: initial.params, buffers: initial.buffers }),
      r: randomTensor({ shape: [BATCH, model.outputWidth], lo: 0.5, hi: 1.5 }, rand),
    };
    const analytic = c.interpret(grads, feeds);
    const lossAt = (f: Readonly<Record<string, c.Tensor>>): number => c.interpret([loss], f)[0]?.data[0] ?? NaN;
    model.params.forEach((p, k) => {
      const a = analytic[k] as c.Tensor;
      assert.ok(a.data.some((v) => v !== 0), `${p.name}: no gradient flows`);
      // Central differences on the first few elements of every parameter (tolerance 1e-6 · max(1, |g|)).
      const key = `p:${p.name}`;
      for (let i = 0; i < Math.min(4, a.data.length); i++) {
        const shifted = (delta: number): number => {
          const t = feeds[key] as c.Tensor;
          const data = Float64Array.from(t.data);
          data[i] = (data[i] ?? NaN) + delta;
          return lossAt({ ...feeds, [key]: { ...t, data } });
        };
        const numeric = (shifted(FD_EPS) - shifted(-FD_EPS)) / (2 * FD_EPS);
        const exact = a.data[i] ?? NaN;
        assert.ok(Math.abs(exact - numeric) <= 1e-6 * Math.max(1, Math.abs(exact)), `${p.name}[${i}]: analytic ${exact} vs numeric ${numeric}`);
      }
    });
  });
}

test('mlp: parameters are the weight initializers, in node order, with layers and roles', () => {
  const { model, initial } = imported(importOnnxModel(fixtureBytes(ONNX_FIXTURES[0] as (typeof ONNX_FIXTURES)[number]), {}));
  const layers = model.params.map((p) => `${p.layer}:${p.role}:${p.shape.join('x')}:${p.compressible ? 'c' : '-'}`);
  assert.deepEqual(layers, ['MatMul_3:weight:4x6:c', 'MatMul_3:bias:6:-', 'Gemm_11:weight:5x6:c', 'Gemm_11:bias:5:-', 'MatMul_17:weight:5x3:c', 'MatMul_17:bias:3:-']);
  assert.deepEqual(model.buffers, []);
  assert.deepEqual(initial.params.map((p) => p.length), [24, 6, 30, 5, 15, 3]);
  assert.equal(model.outputWidth, 3);
  assert.ok(model.params.every((p) => p.init.kind === 'technique' && p.init.name === 'onnx_initializer'));
  // Layers are the ONNX node names toOnnx wrote. MatMul weights are [in, out], Gemm's with transB are [out, in].
  const fans = model.params.map((p) => (p.init.kind === 'technique' ? `${p.init.fanIn}/${p.init.fanOut}` : ''));
  assert.deepEqual(fans.filter((_, i) => i % 2 === 0), ['4/6', '6/5', '5/3']);
});

test('cnn: batch norm scale and bias are norm parameters, its statistics buffers', () => {
  const { model, initial } = imported(importOnnxModel(fixtureBytes(ONNX_FIXTURES[1] as (typeof ONNX_FIXTURES)[number]), {}));
  assert.deepEqual(model.params.map((p) => `${p.role}${p.isNorm ? '*' : ''}`), ['weight', 'bias', 'norm_scale*', 'norm_bias*', 'weight', 'weight', 'bias']);
  assert.deepEqual(model.buffers.map((b) => `${b.layer}:${b.role}:${b.shape.join('x')}`), ['BatchNormalization_9:running_mean:3', 'BatchNormalization_9:running_var:3']);
  assert.ok(initial.buffers[1]?.every((v) => v >= 0.5));
});

test('cnn: train mode uses batch statistics and updates the running buffers (gradients still flow)', () => {
  const { model, initial } = imported(importOnnxModel(fixtureBytes(ONNX_FIXTURES[1] as (typeof ONNX_FIXTURES)[number]), {}));
  const inst = instantiate(model, 'train');
  const feeds = feedsFor(model, { x: randomTensor({ shape: [4, 1, 6, 6] }, seededRandom(3)), params: initial.params, buffers: initial.buffers });
  const [mean] = c.interpret([inst.result.buffers[0] as c.Value], feeds);
  assert.ok(mean && !mean.data.every((v, i) => v === initial.buffers[0]?.[i]), 'running mean unchanged');
  const grads = c.grad(c.sum(inst.result.output), inst.params);
  for (const [k, t] of c.interpret(grads, feeds).entries()) assert.ok(t.data.some((v) => v !== 0), `${model.params[k]?.name}: no gradient`);
  const frozen = instantiate(model, 'train', { updateBuffers: false });
  assert.equal(frozen.result.buffers[0], frozen.buffers[0]);
});

test('the input shape can be given, and must fit', () => {
  const bytes = fixtureBytes(ONNX_FIXTURES[0] as (typeof ONNX_FIXTURES)[number]);
  assert.ok(importOnnxModel(bytes, { inputShape: [4] }).ok);
  const r = importOnnxModel(bytes, { inputShape: [5] });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /input shape \[5\] does not fit/);
});

test('truncated, empty and foreign bytes give ok:false with a message', () => {
  const bytes = fixtureBytes(ONNX_FIXTURES[1] as (typeof ONNX_FIXTURES)[number]);
  const cases: readonly [string, Uint8Array, RegExp][] = [
    ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated or corrupt/],
    ['empty', new Uint8Array(), /not an ONNX model: there is no graph/],
    ['text', new TextEncoder().encode('{"hello": "world"}\n'), /not an ONNX model|truncated/],
  ];
  for (const [what, b, message] of cases) {
    const r = importOnnxModel(b, {});
    assert.equal(r.ok, false, what);
    if (!r.ok) {
      assert.match(r.message, message, what);
      assert.deepEqual(r.unsupported, []);
    }
  }
});

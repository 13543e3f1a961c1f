// PyTorch references (test-fixtures/reference/model/generate.py, float64): each model is rebuilt
// from its recipe, loaded with PyTorch's weights and run in train mode. Logits, both losses
// (cross-entropy with label smoothing 0.1 on one-hot targets, MSE), the gradients of both losses
// for every parameter, and the buffers after the pass must agree to 1e-9 relative to the largest
// magnitude of each tensor (at least 1e-5).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Tensor, grad, interpret, tensor } from '../..';
import { buildLoss } from '../../loss';
import { buildModel } from '..';
import { checkedRecipe, feedsFor, instantiate } from '../../../testing/model-harness';

const DIR = path.join('test-fixtures', 'reference', 'model');
const TOL = 1e-9;
const SCALE_FLOOR = 1e-5;

interface JsonTensor {
  readonly shape: number[];
  readonly data: number[];
}

interface Reference {
  readonly name: string;
  readonly recipe: string;
  readonly smoothing: number;
  readonly input: JsonTensor;
  readonly masks: JsonTensor[];
  readonly target_onehot: JsonTensor;
  readonly target_regression: JsonTensor;
  readonly params: Record<string, JsonTensor>;
  readonly buffers: Record<string, JsonTensor>;
  readonly buffers_after: Record<string, JsonTensor>;
  readonly logits: JsonTensor;
  readonly loss_ce: number;
  readonly loss_mse: number;
  readonly grads_ce: Record<string, number[]>;
  readonly grads_mse: Record<string, number[]>;
}

const FILES = fs.readdirSync(path.join(process.cwd(), DIR)).filter((f) => f.endsWith('.json')).sort();

test('the reference files are there', () => {
  assert.deepEqual(FILES, ['cnn-batchnorm.json', 'mlp-gelu-dropout.json', 'mlp-layernorm.json', 'mlp-weight-spectral.json']);
});

for (const file of FILES) {
  test(`PyTorch reference: ${file}`, () => {
    const ref = JSON.parse(fs.readFileSync(path.join(process.cwd(), DIR, file), 'utf8')) as Reference;
    const model = buildModel(checkedRecipe(ref.recipe, file));
    assert.deepEqual(Object.keys(ref.params).sort(), model.params.map((p) => p.name).sort(), 'parameter names');
    assert.deepEqual(Object.keys(ref.buffers).sort(), model.buffers.map((b) => b.name).sort(), 'buffer names');
    const run = instantiate(model, 'train');
    const { g, result } = run;
    const onehot = g.input('target_onehot', ['B', model.outputWidth]);
    const regression = g.input('target_regression', ['B', model.outputWidth]);
    const ce = buildLoss(g, { name: 'cross_entropy', args: { smoothing: ref.smoothing } }, result.output, onehot);
    const mse = buildLoss(g, { name: 'mse', args: {} }, result.output, regression);
    const gradsCe = grad(ce, run.params);
    const gradsMse = grad(mse, run.params);
    const params = model.params.map((p) => {
      const t = ref.params[p.name];
      assert.ok(t, `no reference value for ${p.name}`);
      assert.equal(t.data.length, p.shape.reduce((a, b) => a * b, 1), `size of ${p.name}`);
      return Float64Array.from(t.data);
    });
    const buffers = model.buffers.map((b) => Float64Array.from(ref.buffers[b.name]?.data ?? []));
    const feeds = {
      ...feedsFor(model, { x: fromJson(ref.input), params, buffers, masks: ref.masks.map((m) => tensor(m.shape, m.data, 'bool')) }),
      target_onehot: fromJson(ref.target_onehot),
      target_regression: fromJson(ref.target_regression),
    };
    const [logits, lossCe, lossMse, ...rest] = interpret([result.output, ce, mse, ...gradsCe, ...gradsMse, ...result.buffers], feeds);
    close(logits?.data, ref.logits.data, 'logits');
    close(lossCe?.data, [ref.loss_ce], 'cross-entropy loss');
    close(lossMse?.data, [ref.loss_mse], 'MSE loss');
    const n = model.params.length;
    model.params.forEach((p, i) => {
      close(rest[i]?.data, ref.grads_ce[p.name], `d(cross-entropy)/d ${p.name}`);
      close(rest[n + i]?.data, ref.grads_mse[p.name], `d(MSE)/d ${p.name}`);
    });
    model.buffers.forEach((b, i) => close(rest[2 * n + i]?.data, ref.buffers_after[b.name]?.data, `buffer ${b.name} after the pass`));
  });
}

function fromJson(t: JsonTensor): Tensor {
  return tensor(t.shape, t.data);
}

function close(actual: ArrayLike<number> | undefined, expected: readonly number[] | undefined, what: string): void {
  assert.ok(actual && expected, `${what}: missing`);
  assert.equal(actual.length, expected.length, `${what}: size`);
  // The floor covers tensors that are zero up to roundoff (the gradient of a bias right before batch norm).
  const scale = Math.max(SCALE_FLOOR, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN));
    assert.ok(err <= TOL * scale, `${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]} (|Δ| ${err.toExponential(2)} > ${TOL} × ${scale.toExponential(2)})`);
  }
}

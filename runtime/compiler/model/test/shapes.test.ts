// Every example and valid recipe builds a model whose parameters match the checker's weights and
// whose forward pass (train and eval, interpreted in float64) gives [B, outputWidth].

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filled, interpret } from '../..';
import { buildModel, initTensors } from '..';
import { checkedRecipe, feedsFor, instantiate, readRecipe } from '../../../testing/model-harness';

interface Case {
  readonly file: string;
  readonly outputWidth: number;
  /** For recipes whose input shape only a file knows (the checker leaves `model.layers` empty). */
  readonly inputShape?: readonly number[];
  readonly dropouts?: number;
  readonly buffers?: readonly string[];
}

const CASES: readonly Case[] = [
  { file: 'examples/digits-cnn.minima', outputWidth: 10, buffers: ['conv2d_1.norm.running_mean', 'conv2d_1.norm.running_var'] },
  { file: 'examples/digits-sam.minima', outputWidth: 10 },
  { file: 'examples/moons-lion.minima', outputWidth: 2 },
  { file: 'valid/asam-asymmetric.minima', outputWidth: 2, buffers: ['hidden.norm.u', 'dense_2.norm.running_mean', 'dense_2.norm.running_var'] },
  { file: 'valid/blobs-fsam-grams.minima', outputWidth: 5 },
  { file: 'valid/csv-muon.minima', outputWidth: 3, inputShape: [4] },
  { file: 'valid/digits-mlp-sam-adamp.minima', outputWidth: 10, dropouts: 1 },
  { file: 'valid/regression-mse.minima', outputWidth: 3 },
  { file: 'valid/spirals-gam.minima', outputWidth: 4 },
];

/** The checker's weight names (catalog WeightInfo) as the model builder names its parameters. */
const CATALOG_TO_PARAM: Readonly<Record<string, string>> = { weight: 'weight', bias: 'bias', 'norm.gamma': 'norm.scale', 'norm.beta': 'norm.bias', 'norm.g': 'weight_g' };

for (const c of CASES) {
  test(`model of ${c.file}`, () => {
    const recipe = checkedRecipe(readRecipe(`test-fixtures/recipes/${c.file}`), c.file);
    const model = buildModel(recipe, c.inputShape ? { inputShape: c.inputShape } : {});
    assert.equal(model.outputWidth, c.outputWidth);
    assert.equal(model.dropouts.length, c.dropouts ?? 0);
    assert.deepEqual(model.buffers.map((b) => b.name), c.buffers ?? []);
    const expected = recipe.model.layers.flatMap((l) => l.weights.map((w) => ({ name: `${l.name}.${CATALOG_TO_PARAM[w.name] ?? w.name}`, shape: w.shape, compressible: w.compressible })));
    if (recipe.model.layers.length > 0) assert.deepEqual(model.params.map((p) => ({ name: p.name, shape: p.shape, compressible: p.compressible })), expected);
    assert.equal(new Set(model.params.map((p) => p.name)).size, model.params.length, 'parameter names are unique');

    const values = initTensors(model, recipe.seed);
    const batch = 3;
    const x = filled([batch, ...model.inputShape], 0.5);
    const masks = model.dropouts.map((d) => filled([batch, ...d.shape], 1, 'bool'));
    for (const mode of ['train', 'eval'] as const) {
      const run = instantiate(model, mode);
      assert.deepEqual(run.g.errors, []);
      assert.deepEqual(run.result.output.shape, ['B', c.outputWidth]);
      const [out, ...buffers] = interpret([run.result.output, ...run.result.buffers], feedsFor(model, { ...values, x, masks }));
      assert.ok(out);
      assert.deepEqual(out.shape, [batch, c.outputWidth]);
      assert.ok(out.data.every(Number.isFinite), `${mode}: finite outputs`);
      buffers.forEach((b, i) => assert.deepEqual(b.shape, model.buffers[i]?.shape));
    }
  });
}

test('a model whose input shape is unknown needs options.inputShape', () => {
  const recipe = checkedRecipe(readRecipe('test-fixtures/recipes/valid/csv-muon.minima'), 'csv-muon');
  assert.throws(() => buildModel(recipe), /input shape is unknown/);
});

test('parameters: roles, flags and inits', () => {
  const recipe = checkedRecipe(`data blobs(features: 4, classes: 3) {
  batch = 8
}
model mlp {
  dense(6, act: relu, norm: weight)
  dense(5, norm: layer)
  dense(3, bias: false, norm: spectral)
  init = xavier
}
train {
  epochs = 1
  optimizer = sgd(0.1)
}`, 'inline');
  const model = buildModel(recipe);
  const rows = model.params.map((p) => [p.name, p.role, p.compressible, p.isNorm, p.init.kind].join(' '));
  assert.deepEqual(rows, [
    'dense_1.weight weight true false technique',
    'dense_1.bias bias false false zeros',
    'dense_1.weight_g weight_g false false norm_of',
    'dense_2.weight weight true false technique',
    'dense_2.bias bias false false zeros',
    'dense_2.norm.scale norm_scale false true ones',
    'dense_2.norm.bias norm_bias false true zeros',
    'dense_3.weight weight true false technique',
  ]);
  assert.deepEqual(model.buffers.map((b) => [b.name, b.role, b.init.kind].join(' ')), ['dense_3.norm.u sn_u unit_normal']);
  const w = model.params[0]?.init;
  assert.ok(w?.kind === 'technique');
  assert.deepEqual([w.name, w.fanIn, w.fanOut], ['xavier', 4, 6]);
});

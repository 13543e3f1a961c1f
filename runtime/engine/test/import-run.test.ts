// Recipes that import PyTorch exports (test-fixtures/reference/import): the model block's
// `freeze` and `tie` reach the import, a flat data source feeds an image model, the run trains,
// and the exported model.onnx keeps the imported model's parameter names and the recipe's name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../analysis';
import type { CheckedRecipe } from '../../checker';
import { decodeOnnxModel } from '../../compiler/onnx';
import { IMPORT_REFERENCE_DIR } from '../../testing/import-reference';
import { prepareRun } from '../run-setup';
import { runRecipe } from '..';

const BASE = path.join(process.cwd(), IMPORT_REFERENCE_DIR);

function checked(text: string): CheckedRecipe {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  return a.recipe;
}

const recipe = (model: string, data: string, extra = ''): string => `recipe "imported" {
  seed = 1
}

data ${data} {
  batch = 20
}

model ${model}

train {
  epochs = 1
  optimizer = sgd(lr: 0.01, momentum: 0.9)
}
${extra}`;

test('freeze and tie reach the import; the setup says what trains', () => {
  const setup = prepareRun(checked(recipe('onnx("transformer.onnx") {\n  freeze = ["encoder.layers.0", "pos"]\n  tie = true\n}', 'blobs(samples: 100, features: 128, classes: 10)')), { baseDir: BASE });
  assert.ok(!('error' in setup), 'error' in setup ? setup.error : '');
  assert.deepEqual(setup.model.inputShape, [128], 'a flat source feeds the [16, 8] input');
  assert.deepEqual(setup.model.params.map((p) => p.name), ['embed.weight', 'embed.bias', 'head.weight', 'head.bias']);
  assert.equal(setup.imported?.summary.trainable, 4);
  assert.equal(setup.imported?.summary.tied, true);
  assert.ok(setup.imported?.notes.some((n) => n.startsWith('frozen at their file values: pos, encoder.layers.0.self_attn.in_proj_weight')));
});

test('a freeze pattern that matches nothing, and freeze on a built-in model, fail the run before training', () => {
  const none = prepareRun(checked(recipe('onnx("coverage.onnx") {\n  freeze = ["decoder.*"]\n}', 'blobs(samples: 100, features: 192, classes: 5)')), { baseDir: BASE });
  assert.deepEqual(none, { error: 'coverage.onnx: freeze: "decoder.*" matches no trainable tensor of the model' });
  const builtIn = prepareRun(checked(recipe('mlp {\n  freeze = ["dense_1"]\n  dense(4)\n  dense(3)\n}', 'blobs(samples: 100, features: 4, classes: 3)')), { baseDir: BASE });
  assert.deepEqual(builtIn, { error: 'freeze and tie apply to imported models (model onnx("…")), not to mlp' });
});

test('an imported PyTorch transformer trains from a recipe and its export keeps the PyTorch names', async () => {
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-import-'));
  const text = recipe('onnx("transformer.onnx") {\n}', 'blobs(samples: 100, features: 128, classes: 10)');
  const result = await runRecipe(checked(text), { baseDir: BASE, recipeText: text, runsDir: runs, backend: 'wasm' });
  assert.equal(result.status, 'finished', result.message);
  const [id] = fs.readdirSync(runs);
  const decoded = decodeOnnxModel(fs.readFileSync(path.join(runs, id ?? '', 'model.onnx')));
  assert.ok(decoded.ok);
  const names = new Set(decoded.model.graph.initializers.map((t) => t.name));
  for (const n of ['embed.weight', 'pos', 'encoder.layers.0.self_attn.in_proj_weight', 'encoder.layers.1.norm2.weight', 'head.bias']) assert.ok(names.has(n), `${n} not in ${[...names].slice(0, 8).join(', ')}…`);
  assert.equal(decoded.model.graph.name, 'imported');
});

test('a built-in model\'s export names its weights dense_1.weight…, and a recipe without a name is named by its export', async () => {
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-export-'));
  const text = 'data moons(samples: 100) {\n  batch = 20\n}\n\nmodel mlp {\n  dense(8, act: tanh)\n  dense(2)\n}\n\ntrain {\n  epochs = 1\n  optimizer = adam(lr: 0.01)\n}\n\nreport {\n  export = "moons-net.onnx"\n}\n';
  const result = await runRecipe(checked(text), { baseDir: runs, recipeText: text, runsDir: runs, backend: 'wasm' });
  assert.equal(result.status, 'finished', result.message);
  const decoded = decodeOnnxModel(fs.readFileSync(path.join(runs, 'moons-net.onnx')));
  assert.ok(decoded.ok);
  const floats = decoded.model.graph.initializers.filter((t) => t.type === 'float32' && t.dims.length > 0).map((t) => t.name);
  assert.deepEqual(floats, ['dense_1.weight', 'dense_1.bias', 'dense_2.weight', 'dense_2.bias']);
  assert.equal(decoded.model.graph.name, 'moons-net');
});

// Completion and hover of an imported model's layer names (server/features/model-layers.ts),
// with the model read by the server's own resolver (server/model-files.ts) from the PyTorch
// exports of test-fixtures/reference/import. `$0` marks the cursor.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, type Analysis } from '../../runtime/analysis';
import { CATALOG } from '../../runtime/catalog';
import { LineIndex } from '../../runtime/language';
import { parseFixture } from '../../runtime/testing/cursor';
import { completion, hover } from '../features';
import { modelResolverFor } from '../model-files';

/** The recipe as if saved in test-fixtures/reference/import/, so its model paths resolve there. */
const URI = pathToFileURL(path.resolve('test-fixtures', 'reference', 'import', 'recipe.minima')).href;
const resolvers = modelResolverFor();

const recipe = (model: string, body: string, modelBody = ''): string => `data blobs(samples: 60, features: 128, classes: 10) {
  batch = 20
}

model onnx("${model}.onnx") {
${modelBody}}

train {
  epochs = 1
  optimizer = sgd(lr: 0.1)
}

${body}`;

function at(marked: string): { analysis: Analysis; position: { line: number; character: number }; text: string } {
  const f = parseFixture(marked);
  const resolveModel = resolvers(URI);
  assert.ok(resolveModel);
  const analysis = analyze(f.text, CATALOG, { resolveModel });
  return { analysis, position: new LineIndex(f.text).position(f.cursor ?? 0), text: f.text };
}

test('inside a string of layers = [...]: the weighted layers\' module paths, parameter names and node names, with shapes', () => {
  const { analysis, position } = at(recipe('transformer', 'prune {\n  pattern = 2:4\n  layers = ["encoder.layers.0.li$0"]\n}\n'));
  const items = completion(analysis, position);
  const labels = items.map((i) => i.label);
  for (const l of ['encoder', 'encoder.layers.0.linear1', 'encoder.layers.0.linear1.weight', '/encoder/layers.0/linear1/MatMul', 'head.weight', '/head/Gemm']) assert.ok(labels.includes(l), `${l} in ${labels.join(', ')}`);
  // Layers are weighted ones: no bias, no norm.
  for (const l of ['embed.bias', 'encoder.layers.0.norm1.weight', 'pos']) assert.ok(!labels.includes(l), l);
  const w = items.find((i) => i.label === 'encoder.layers.0.linear1.weight');
  assert.equal(w?.detail, '[64, 256] · 16,384 parameters');
  // The edit replaces what is typed inside the quotes, which stay.
  const edit = w?.textEdit;
  assert.ok(edit && 'range' in edit);
  assert.equal(edit.newText, 'encoder.layers.0.linear1.weight');
  assert.deepEqual(edit.range, { start: { line: 14, character: 13 }, end: { line: 14, character: 32 } });
  assert.equal(items.find((i) => i.label === 'encoder.layers.1')?.detail, '4 tensors · 49,152 parameters');
});

test('between the items of freeze = [...]: every trainable tensor\'s names, inserted with quotes', () => {
  const { analysis, position } = at(recipe('transformer', '', '  freeze = ["pos", $0]\n'));
  const items = completion(analysis, position);
  const labels = items.map((i) => i.label);
  for (const l of ['pos', 'embed.bias', 'encoder.layers.1.norm2.weight']) assert.ok(labels.includes(l), l);
  assert.equal(items.find((i) => i.label === 'embed.bias')?.textEdit?.newText, '"embed.bias"');
});

test('hover on a layer string: what it selects, with shapes and parameter counts', () => {
  const { analysis, position } = at(recipe('lenet-bn-dropout', 'quantize {\n  layers = ["classi$0fier.*"]\n}\n').replace('features: 128', 'features: 784'));
  const h = hover(analysis, position);
  const text = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(text, /^\*\*`classifier\.\*`\*\*: 3 tensors in 3 layers, 58,920 parameters/);
  assert.ok(text.includes('| `classifier.1.weight` | [120, 400] | 48,000 | Gemm [400] → [120] |'), text);
});

test('hover on the model block: the imported file\'s estimates', () => {
  const { analysis, position } = at(recipe('transformer', '').replace('model onnx', 'mo$0del onnx'));
  const h = hover(analysis, position);
  const text = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(text, /\| parameters \| 102,\d{3} \|/);
});

test('without the file (an untitled document), layer strings complete nothing and the usual features answer', () => {
  assert.equal(resolvers('untitled:Untitled-1'), undefined);
  const f = parseFixture(recipe('transformer', 'prune {\n  layers = ["enc$0"]\n}\n'));
  const a = analyze(f.text);
  assert.deepEqual(completion(a, new LineIndex(f.text).position(f.cursor ?? 0)).map((i) => i.label).filter((l) => l.startsWith('encoder')), []);
});

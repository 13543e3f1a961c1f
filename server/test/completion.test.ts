import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { completion } from '../features';

/** Labels offered at `$0`: `exactly` in order, or a subset that must (`has`) or must not (`lacks`) appear. */
interface Expect {
  readonly exactly?: readonly string[];
  readonly has?: readonly string[];
  readonly lacks?: readonly string[];
}

function check(marked: string, expect: Expect): void {
  const f = fixture(marked);
  const labels = completion(f.analysis, f.position).map((i) => i.label);
  if (expect.exactly) assert.deepEqual(labels, expect.exactly, marked);
  for (const l of expect.has ?? []) assert.ok(labels.includes(l), `expected '${l}' in [${labels.join(', ')}] for\n${marked}`);
  for (const l of expect.lacks ?? []) assert.ok(!labels.includes(l), `did not expect '${l}' in [${labels.join(', ')}] for\n${marked}`);
}

const CASES: readonly [string, string, Expect][] = [
  ['empty file: every block keyword', '$0', { exactly: ['recipe', 'data', 'model', 'train', 'prune', 'lowrank', 'quantize', 'report', 'sweep'] }],
  ['top level: blocks not yet written', 'train {\n  epochs = 3\n}\n$0', { has: ['data', 'model'], lacks: ['train'] }],
  ['top level with a prefix', 'data digits {\n}\nmo$0', { has: ['model'], lacks: ['data'] }],
  ['after data: data sources', 'data $0', { has: ['digits', 'moons', 'csv', 'idx', 'npy', 'npz', 'images'], lacks: ['mlp', 'adam', 'crop'] }],
  ['augmentations in the augment list', 'data digits {\n  augment = [$0]\n}', { exactly: ['crop', 'flip'] }],
  ['augmentations not yet listed', 'data digits {\n  augment = [crop(pad: 2), $0]\n}', { has: ['flip'] }],
  ['parameters of an image source', 'data images("pets", $0)', { has: ['size:', 'color:'], lacks: ['path:'] }],
  ['after model: models', 'model $0', { has: ['mlp', 'cnn', 'onnx'], lacks: ['digits'] }],
  ['label with a prefix', 'data mo$0 {\n}', { has: ['moons'] }],
  ['attribute names not yet written', 'train {\n  epochs = 3\n  $0\n}', { has: ['optimizer', 'loss', 'schedule', 'grad_clip'], lacks: ['epochs', 'split'] }],
  ['attribute name with a prefix', 'train {\n  epochs = 3\n  opt$0\n}', { has: ['optimizer'], lacks: ['epochs'] }],
  ['attribute names in an unclosed block', 'data digits {\n  split = 80%\n  $0', { has: ['batch', 'shuffle', 'standardize'], lacks: ['split'] }],
  ['optimizer values: optimizers and wrappers', 'train {\n  optimizer = $0\n}', { has: ['sgd', 'adam', 'adamp', 'sam'], lacks: ['cosine', 'relu', 'mse'] }],
  ['optimizer value while typing, unclosed block', 'train {\n  optimizer = ad$0', { has: ['adam', 'adamp'] }],
  ['schedule values', 'train {\n  schedule = $0\n}', { has: ['cosine', 'constant'], lacks: ['adam'] }],
  ['loss values', 'train {\n  loss = $0\n}', { has: ['cross_entropy', 'mse'], lacks: ['adam'] }],
  ['enum members', 'data digits {\n  standardize = $0\n}', { has: ['none', 'zscore', 'minmax', 'channel'] }],
  ['booleans', 'data digits {\n  shuffle = $0\n}', { has: ['true', 'false'] }],
  ['parameter names in a call', 'train {\n  optimizer = adamp($0)\n}', { has: ['lr:', 'beta1:', 'weight_decay:'] }],
  ['parameter names not yet written', 'train {\n  optimizer = adamp(lr: 1e-3, $0)\n}', { has: ['beta1:'], lacks: ['lr:'] }],
  ['parameter names after the cursor count as written', 'train {\n  optimizer = adamp($0, beta1: 0.8)\n}', { has: ['lr:'], lacks: ['beta1:'] }],
  ['parameter names in an unclosed call', 'train {\n  optimizer = sam(rho: 0.1, $0\n}', { has: ['base:', 'adaptive:'], lacks: ['rho:'] }],
  ['a wrapper base takes optimizers only', 'train {\n  optimizer = sam(base: $0)\n}', { has: ['adam', 'sgd'], lacks: ['sam', 'gam'] }],
  ['nested call parameters', 'train {\n  optimizer = sam(base: adamp($0))\n}', { has: ['lr:'], lacks: ['base:', 'rho:'] }],
  ['a named argument value', 'model mlp {\n  dense(4, act: $0)\n}', { has: ['relu', 'gelu'], lacks: ['adam'] }],
  ['a named argument value while typing', 'model mlp {\n  dense(4, act: re$0', { has: ['relu'] }],
  ['model body: layer kinds allowed by mlp', 'model mlp {\n  dense(4)\n  $0\n}', { has: ['dense', 'init'], lacks: ['conv2d', 'adam'] }],
  ['model body: layer kinds allowed by cnn', 'model cnn {\n  $0\n}', { has: ['conv2d', 'flatten', 'dense'] }],
  ['after a layer name', 'model mlp {\n  fc1: $0\n}', { has: ['dense'], lacks: ['init'] }],
  ['layer names in a layer list', 'model mlp {\n  dense(4)\n  dense(2)\n}\nprune {\n  layers = [$0]\n}', { exactly: ['dense_1', 'dense_2'] }],
  ['layer names not yet listed', 'model mlp {\n  dense(4)\n  dense(2)\n}\nprune {\n  layers = [dense_1, $0]\n}', { exactly: ['dense_2'] }],
  ['explicitly named layers (auto names count every layer of the kind)', 'model mlp {\n  fc1: dense(4)\n  dense(2)\n}\nprune {\n  layers = [$0\n}', { exactly: ['fc1', 'dense_2'] }],
  ['metric names', 'report {\n  metrics = [loss, $0]\n}', { has: ['accuracy', 'sparsity', 'sharpness'] }],
  ['sweep paths from the recipe as written', 'train {\n  optimizer = sam(base: sgd)\n}\nsweep grid {\n  $0\n}', { has: ['metric', 'train.epochs', 'train.optimizer.rho', 'train.optimizer.base.lr'] }],
  ['a dotted sweep path being typed', 'train {\n  optimizer = sam(base: sgd)\n}\nsweep grid {\n  train.optimizer.ba$0\n}', { has: ['train.optimizer.base.lr'] }],
  ['nothing inside a comment', 'train {\n  # opt$0\n}', { exactly: [] }],
  ['nothing inside a string', 'report {\n  export = "ou$0\n}', { exactly: [] }],
  ['nothing right after a number', 'train {\n  epochs = 3$0\n}', { exactly: [] }],
  ['nothing in an unknown block', 'frobnicate {\n  $0\n}', { exactly: [] }],
  ['column 0 after an unclosed block: its attributes and the next blocks', 'train {\n  epochs = 3\nmo$0', { has: ['optimizer', 'model', 'data'], lacks: ['train', 'epochs'] }],
  ['indented in an unclosed block: attributes only', 'train {\n  epochs = 3\n  $0', { has: ['optimizer'], lacks: ['model'] }],
];

for (const [name, marked, expect] of CASES) test(`completion: ${name}`, () => check(marked, expect));

test('completion: a block keyword inserts a snippet with its required attributes', () => {
  const f = fixture('$0');
  const train = completion(f.analysis, f.position).find((i) => i.label === 'train');
  assert.equal(train?.textEdit && 'newText' in train.textEdit ? train.textEdit.newText : undefined, 'train {\n\tepochs = ${1:30}\n\toptimizer = ${2:adam()}\n}');
  assert.equal(train?.insertTextFormat, 2);
});

test('completion: attributes show type and default, and insert `name = `', () => {
  const f = fixture('data digits {\n  $0\n}');
  const batch = completion(f.analysis, f.position).find((i) => i.label === 'batch');
  assert.equal(batch?.detail, 'integer = 64');
  assert.equal(batch?.labelDetails?.description, 'Examples per optimizer step');
  assert.equal(batch?.textEdit && 'newText' in batch.textEdit ? batch.textEdit.newText : undefined, 'batch = ');
});

test('completion: a technique with a required parameter inserts a snippet for it', () => {
  const f = fixture('train {\n  optimizer = $0\n}');
  const items = completion(f.analysis, f.position);
  const sam = items.find((i) => i.label === 'sam');
  assert.equal(sam?.textEdit && 'newText' in sam.textEdit ? sam.textEdit.newText : undefined, 'sam(base: ${1:sgd(lr: 0.1)}, rho: ${2:0.05})');
  const adam = items.find((i) => i.label === 'adam');
  assert.equal(adam?.textEdit && 'newText' in adam.textEdit ? adam.textEdit.newText : undefined, 'adam');
  const doc = adam?.documentation;
  assert.ok(typeof doc === 'object' && /Paper: \[/.test(doc.value), 'technique documentation links the paper');
});

test('completion: parameter items show defaults and insert `name: `', () => {
  const f = fixture('train {\n  optimizer = sgd($0)\n}');
  const momentum = completion(f.analysis, f.position).find((i) => i.label === 'momentum:');
  assert.equal(momentum?.detail, 'number = 0');
  assert.equal(momentum?.labelDetails?.description, 'Momentum factor μ');
  assert.equal(momentum?.textEdit && 'newText' in momentum.textEdit ? momentum.textEdit.newText : undefined, 'momentum: ');
});

test('completion: the replaced range is the word under the cursor', () => {
  const f = fixture('train {\n  optimizer = ad$0am\n}');
  const adam = completion(f.analysis, f.position).find((i) => i.label === 'adam');
  assert.ok(adam?.textEdit && 'range' in adam.textEdit);
  assert.deepEqual(adam.textEdit.range, { start: { line: 1, character: 14 }, end: { line: 1, character: 18 } });
});

test('completion: layer names carry their shapes', () => {
  const f = fixture('data digits {\n}\nmodel mlp {\n  dense(16)\n  dense(10)\n}\nprune {\n  layers = [$0]\n}');
  const d1 = completion(f.analysis, f.position).find((i) => i.label === 'dense_1');
  assert.equal(d1?.detail, 'dense(16) → [16]');
  assert.equal(d1?.labelDetails?.description, 'dense(16) → [16]');
});

// The checker on imported models, with a fake resolver (no file is read): each case is a recipe
// and the diagnostics it must produce, as (code, severity, the text under the span, a part of
// the message). What the resolver answers decides what is checked; without one nothing is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../analysis';
import type { ImportedModelFacts, ImportedParamFacts, ModelResolution, ModelResolver } from '..';

const param = (name: string, layer: string, shape: number[], reduction = shape.slice(1).reduce((a, b) => a * b, 1)): ImportedParamFacts => ({
  name,
  layer,
  module: name.split('.').slice(0, -1).join('.'),
  role: shape.length >= 2 ? 'weight' : 'bias',
  shape,
  compressible: shape.length >= 2,
  reduction,
});

/** A LeNet-like model: conv layers, then three Gemms; `features.4` is 150 wide. */
const PARAMS: ImportedParamFacts[] = [
  param('features.0.weight', '/features/features.0/Conv', [6, 1, 5, 5]),
  param('features.0.bias', '/features/features.0/Conv', [6]),
  param('features.4.weight', '/features/features.4/Conv', [16, 6, 5, 5]),
  param('classifier.1.weight', '/classifier/classifier.1/Gemm', [120, 400]),
  param('classifier.1.bias', '/classifier/classifier.1/Gemm', [120]),
  param('classifier.4.weight', '/classifier/classifier.4/Gemm', [84, 120]),
  param('classifier.6.weight', '/classifier/classifier.6/Gemm', [10, 84]),
];

/** A stand-in for layer-select.ts: exact names, module prefixes, node names and `*` globs. */
function select(ref: string): number[] {
  const glob = new RegExp(`^${ref.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return PARAMS.flatMap((p, i) => ([p.name, p.layer, p.module].some((n) => n === ref || n.startsWith(`${ref}.`) || glob.test(n)) ? [i] : []));
}

const FACTS: ImportedModelFacts = {
  inputShape: [1, 28, 28],
  outputWidth: 10,
  params: PARAMS,
  layers: [...new Set(PARAMS.map((p) => p.layer))].map((name) => ({ name, op: name.split('/').pop() ?? '', input: [], output: [], flops: 1000 })),
  buffers: 0,
  select,
};

const recipe = (body: string, path = 'net.onnx'): string => `data blobs(samples: 60, features: 784, classes: 10) {
  batch = 20
}

model onnx("${path}") {
}

train {
  epochs = 4
  optimizer = sgd(lr: 0.1)
}
${body}`;

type Expected = readonly [code: string, severity: string, under: string, message: string];

/** `answer` is what the resolver says for every path; 'unknown' makes it answer undefined. */
function check(text: string, expected: readonly Expected[], answer: ModelResolution | 'unknown' = { kind: 'model', facts: FACTS }): void {
  const asked: string[] = [];
  const resolveModel: ModelResolver = (p) => {
    asked.push(p);
    return answer === 'unknown' ? undefined : answer;
  };
  const a = analyze(text, undefined, { resolveModel });
  const actual = a.diagnostics.map((d) => [d.code, d.severity, text.slice(d.span.start, d.span.end), d.message] as const);
  const missing = expected.filter((e) => !actual.some((x) => x[0] === e[0] && x[1] === e[1] && x[2] === e[2] && x[3].includes(e[3])));
  const unexpected = actual.filter((x) => !expected.some((e) => x[0] === e[0] && x[1] === e[1] && x[2] === e[2] && x[3].includes(e[3])));
  assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
  assert.ok(asked.every((p) => p === 'net.onnx' || p === 'missing.onnx'), asked.join(', '));
}

test('names a PyTorch user writes resolve: parameter, module path, node name, glob; a clean recipe has a plan', () => {
  const text = recipe('prune {\n  pattern = 2:4\n  layers = ["classifier.1.weight", "classifier.4", "/classifier/classifier.6/Gemm", "classifier.*"]\n}\n\nquantize {\n  bits = 8\n  layers = [classifier]\n}\n');
  check(text, []);
  const a = analyze(text, undefined, { resolveModel: () => ({ kind: 'model', facts: FACTS }) });
  assert.ok(a.recipe);
  assert.deepEqual(a.recipe.blocks['prune']?.attrs['layers'], ['classifier.1.weight', 'classifier.4', '/classifier/classifier.6/Gemm', 'classifier.*'].map((name) => ({ kind: 'layer', name })));
  assert.equal(a.recipe.blocks['quantize']?.attrs['layers'] !== undefined, true);
});

test('a name or glob that matches nothing is an error on its string, with a quoted suggestion', () => {
  const text = recipe('prune {\n  layers = ["classifer.4", "decoder.*", "classifier.1.bias"]\n}\n');
  check(text, [
    ['M021', 'error', '"classifer.4"', '"classifer.4" names no weighted layer of net.onnx; did you mean \'classifier.4\'?'],
    ['M021', 'error', '"decoder.*"', '"decoder.*" names no weighted layer of net.onnx'],
    ['M021', 'error', '"classifier.1.bias"', 'only biases or norm parameters, which are not compressed'],
  ]);
  const a = analyze(text, undefined, { resolveModel: () => ({ kind: 'model', facts: FACTS }) });
  const fix = a.diagnostics.find((d) => d.message.includes('classifer'))?.fixes?.[0];
  assert.deepEqual(fix?.edits.map((e) => e.newText), ['"classifier.4"']);
});

test('freeze patterns are checked against every trainable tensor, biases included', () => {
  check(recipe('').replace('model onnx("net.onnx") {\n}', 'model onnx("net.onnx") {\n  freeze = ["features.0.bias", "feature.9"]\n}'), [['M021', 'error', '"feature.9"', '"feature.9" names no trainable tensor of net.onnx']]);
});

test('N:M groups must divide the input width: on the named layer, or on the pattern when the default layers include it', () => {
  check(recipe('prune {\n  pattern = 2:4\n  layers = ["features.4", "classifier.1"]\n}\n'), [['M024', 'error', '"features.4"', "features.4.weight's input width 150 is not a multiple of 4, so 2:4 groups do not fit"]]);
  // Default layers: every weighted layer but the first and the last, so features.4 is in.
  check(recipe('prune {\n  pattern = 2:4\n}\n'), [['M024', 'error', '2:4', 'pruned by default: list the layers to prune in layers = [...]']]);
  check(recipe('prune {\n  pattern = 1:2\n  layers = ["features.4"]\n}\n'), []);
});

test('a rank above a targeted weight\'s smaller dimension is an error on the rank', () => {
  check(recipe('lowrank {\n  method = svd(rank: 100)\n  layers = ["classifier.4"]\n}\n'), [['M019', 'error', '100', 'rank 100 exceeds the smaller dimension of classifier.4.weight [84, 120] (84)']]);
  check(recipe('lowrank {\n  method = svd(rank: 80)\n  layers = ["classifier.4"]\n}\n'), []);
});

test('the file\'s own problems are errors on its path: unreadable, operators Minima cannot train through', () => {
  check(recipe('', 'missing.onnx'), [['M037', 'error', '"missing.onnx"', 'cannot read the model missing.onnx: no such file']], { kind: 'error', message: 'cannot read the model missing.onnx: no such file' });
  const message = 'the model uses operators Minima cannot train through: Hardmax (node /head/Hardmax)';
  check(recipe(''), [['M037', 'error', '"net.onnx"', `net.onnx: ${message}`]], { kind: 'unsupported', message, nodes: [{ op: 'Hardmax', node: '/head/Hardmax' }] });
});

test('the data must fit the file: its input (as the file\'s shape or as many features) and its output width', () => {
  check(recipe('').replace('classes: 10', 'classes: 5'), [['M029', 'error', '"net.onnx"', 'net.onnx outputs 10 values per example, but blobs has 5 classes']]);
  check(recipe('').replace('features: 784', 'features: 100'), [['M029', 'error', '"net.onnx"', 'net.onnx takes inputs of shape [1, 28, 28] (784 values), but blobs yields [100]']]);
});

test('without an answer from the resolver (or without a resolver), imported layers are not checked', () => {
  const text = recipe('prune {\n  layers = ["decoder.*"]\n}\n');
  check(text, [], 'unknown');
  assert.deepEqual(analyze(text).diagnostics, []);
});

test('estimates on the model block come from the file: parameters, size, and the size after the named compression', () => {
  const a = analyze(recipe('quantize {\n  bits = 8\n  layers = ["classifier.1"]\n}\n'), undefined, { resolveModel: () => ({ kind: 'model', facts: FACTS }) });
  const params = PARAMS.reduce((n, p) => n + p.shape.reduce((x, y) => x * y, 1), 0);
  const e = a.semantics.estimates;
  assert.ok(e);
  assert.equal(e.parameters, params);
  assert.equal(e.bytesBefore, 4 * params);
  // classifier.1.weight at 1 byte a value plus a 4-byte scale per output channel.
  assert.equal(e.bytesAfter, 4 * params - 3 * 120 * 400 + 4 * 120);
  assert.equal(e.flopsPerExample, 1000 * FACTS.layers.length);
  assert.equal(a.semantics.imported, FACTS);
});

test('a built-in model\'s layer written as a string is an error with a fix that removes the quotes', () => {
  const text = 'data digits {\n  batch = 20\n}\n\nmodel mlp {\n  dense(32)\n  dense(32)\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n\nprune {\n  layers = ["dense_2"]\n}\n';
  const a = analyze(text);
  const d = a.diagnostics.find((x) => x.code === 'M018');
  assert.equal(d?.message, 'expected a layer name, found "dense_2": a built-in model\'s layers are written without quotes');
  assert.deepEqual(d?.fixes?.[0]?.edits.map((e) => e.newText), ['dense_2']);
});

test('initializers the exporter merged: one info on the model, untied by default, tie = true said so', () => {
  const merged = { ...FACTS, merged: [{ initializer: 'classifier.4.weight', copies: ['classifier.5.weight'] }] };
  const resolveModel: ModelResolver = () => ({ kind: 'model', facts: merged });
  const untied = analyze(recipe(''), undefined, { resolveModel }).diagnostics.filter((d) => d.code === 'M038');
  assert.equal(untied.length, 1);
  assert.equal(untied[0]?.severity, 'info');
  assert.match(untied[0]?.message ?? '', /stored 1 tensor as a copy of an equal-valued initializer \(e\.g\. classifier\.5\.weight = classifier\.4\.weight\); each is trained as its own copy/);
  const tiedText = recipe('').replace('model onnx("net.onnx") {\n', 'model onnx("net.onnx") {\n  tie = true\n');
  const tied = analyze(tiedText, undefined, { resolveModel }).diagnostics.filter((d) => d.code === 'M038');
  assert.equal(tied.length, 1);
  assert.match(tied[0]?.message ?? '', /tie = true trains each group as one shared tensor/);
  assert.equal(tiedText.slice(tied[0]!.span.start, tied[0]!.span.end), 'true', 'on the tie attribute');
  assert.equal(analyze(recipe(''), undefined, { resolveModel: () => ({ kind: 'model', facts: FACTS }) }).diagnostics.filter((d) => d.code === 'M038').length, 0, 'none when nothing was merged');
});

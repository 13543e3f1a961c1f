// Structural checks over every catalog entry, plus the shape facets of layers and data sources.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, conforms, isList, isTechnique } from '../index';
import type { LayerInference, ParamType, PlanValue, TechniqueEntry, TechniqueKind, TensorShape, WeightInfo } from '../index';
import { entryId, ep, use, withDefaults, type Args } from '../../testing/catalog-args';

const entries = CATALOG.entries;

test('names are unique within a kind and are identifiers', () => {
  const seen = new Set<string>();
  for (const e of entries) {
    assert.ok(!seen.has(entryId(e)), `duplicate entry ${entryId(e)}`);
    seen.add(entryId(e));
    assert.match(e.name, /^[a-z][a-z0-9_]*$/, entryId(e));
  }
});

test('every entry has a one-line summary, a doc, and documented parameters with unique names', () => {
  for (const e of entries) {
    const id = entryId(e);
    assert.ok(e.summary.trim().length > 0 && !e.summary.includes('\n'), `${id}: summary`);
    assert.ok(e.doc.trim().length > 0 && !e.doc.includes('\n'), `${id}: doc must be one paragraph`);
    assert.ok(e.rule === undefined || e.rule.trim().length > 0, `${id}: rule`);
    const names = e.params.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `${id}: duplicate parameter names`);
    for (const p of e.params) assert.ok(p.doc.trim().length > 0, `${id}.${p.name}: doc`);
  }
});

test('papers name a title, authors and a plausible year', () => {
  for (const e of entries) {
    if (e.paper === undefined) continue;
    const id = entryId(e);
    assert.ok(e.paper.title.length > 0 && e.paper.authors.length > 0, id);
    assert.ok(e.paper.year >= 1900 && e.paper.year <= 2030, `${id}: year ${e.paper.year}`);
    assert.ok(e.paper.url === undefined || /^https?:\/\//.test(e.paper.url), `${id}: url`);
  }
});

test('every default conforms to its type, and technique defaults resolve to complete calls', () => {
  for (const e of entries) {
    for (const p of e.params) {
      if (p.default === undefined) continue;
      const where = `${entryId(e)}.${p.name}`;
      assert.ok(conforms(p.default, p.type), `${where}: default ${JSON.stringify(p.default)} does not conform`);
      checkTechniqueValues(p.default, p.type, where, true);
    }
  }
});

test('required parameters have no default; positional parameters come first', () => {
  for (const e of entries) {
    const id = entryId(e);
    for (const p of e.params) assert.ok(!(p.required === true && p.default !== undefined), `${id}.${p.name}: required with a default`);
    const firstNamed = e.params.findIndex((p) => p.positional !== true);
    const lastPositional = e.params.map((p) => p.positional === true).lastIndexOf(true);
    assert.ok(firstNamed === -1 || lastPositional < firstNamed, `${id}: positional parameters must come first`);
  }
});

test('rules point at parameters of their entry', () => {
  for (const e of entries) {
    for (const r of e.rules ?? []) {
      assert.ok(r.param === undefined || e.params.some((p) => p.name === r.param), `${entryId(e)}: rule "${r.message}" names unknown parameter ${r.param}`);
      assert.ok(r.message.length > 0);
    }
  }
});

test('facets match kinds: data sources have `data`, layers `layer`, models `layers`, wrappers `baseParam`', () => {
  for (const e of entries) {
    const id = entryId(e);
    assert.equal(e.data !== undefined, e.kind === 'data', `${id}: data facet`);
    assert.equal(e.layer !== undefined, e.kind === 'layer', `${id}: layer facet`);
    assert.equal(e.layers !== undefined, e.kind === 'model', `${id}: layers list`);
    assert.equal(e.baseParam !== undefined, e.kind === 'wrapper', `${id}: baseParam`);
  }
});

test('wrappers name a required optimizer parameter as their base', () => {
  for (const e of CATALOG.ofKind(['wrapper'])) {
    const base = e.params.find((p) => p.name === e.baseParam);
    assert.ok(base !== undefined, `${e.name}: baseParam ${e.baseParam} is not a parameter`);
    assert.equal(base.required, true, `${e.name}: base must be required`);
    assert.deepEqual(base.type, { kind: 'technique', of: ['optimizer'] }, `${e.name}: base must take an optimizer`);
  }
});

test('models list existing layer kinds; imported models take none', () => {
  for (const e of CATALOG.ofKind(['model'])) {
    for (const l of e.layers ?? []) assert.ok(CATALOG.get(l, ['layer']) !== undefined, `${e.name}: unknown layer ${l}`);
  }
  assert.deepEqual(CATALOG.get('onnx', ['model'])?.layers, []);
  assert.deepEqual(CATALOG.get('mlp', ['model'])?.layers, ['dense', 'dropout']);
});

// NOTE: blocks.ts writes its technique defaults without arguments (`he`, not `he(mode: fan_in, …)`),
// so only their names and written arguments are checked here, not completeness.
test('the techniques the blocks default to exist in the catalog', () => {
  for (const b of CATALOG.blocks) {
    for (const a of b.attributes) if (a.default !== undefined) checkTechniqueValues(a.default, a.type, `${b.name}.${a.name}`, false);
  }
});

// Layer facets: input shape and written arguments → expected output, weights and FLOPs, or the error message.
interface LayerCase {
  readonly layer: string;
  readonly args: Args;
  readonly input: TensorShape;
  readonly output?: TensorShape;
  readonly weights?: readonly Pick<WeightInfo, 'name' | 'shape' | 'reduction' | 'compressible'>[];
  readonly flops?: number;
  readonly error?: string;
}

const layerNorm = use('layer', 'norm', { eps: 1e-5, affine: true });

const LAYER_CASES: readonly LayerCase[] = [
  { layer: 'dense', args: { units: 32 }, input: [1, 8, 8], output: [32], weights: [{ name: 'weight', shape: [32, 64], reduction: 64, compressible: true }, { name: 'bias', shape: [32], reduction: 1, compressible: false }], flops: 2 * 32 * 64 },
  { layer: 'dense', args: { units: 10, bias: false }, input: [64], output: [10], weights: [{ name: 'weight', shape: [10, 64], reduction: 64, compressible: true }], flops: 1280 },
  {
    layer: 'dense', args: { units: 4, norm: layerNorm }, input: [3], output: [4],
    weights: [{ name: 'weight', shape: [4, 3], reduction: 3, compressible: true }, { name: 'bias', shape: [4], reduction: 1, compressible: false }, { name: 'norm.gamma', shape: [4], reduction: 1, compressible: false }, { name: 'norm.beta', shape: [4], reduction: 1, compressible: false }],
    flops: 24,
  },
  { layer: 'dense', args: { units: 4, norm: use('layer', 'norm', { eps: 1e-5, affine: false }), bias: false }, input: [3], output: [4], weights: [{ name: 'weight', shape: [4, 3], reduction: 3, compressible: true }], flops: 24 },
  { layer: 'dense', args: { units: 4, norm: use('weight', 'norm'), bias: false }, input: [3], output: [4], weights: [{ name: 'weight', shape: [4, 3], reduction: 3, compressible: true }, { name: 'norm.g', shape: [4], reduction: 1, compressible: false }], flops: 24 },
  { layer: 'conv2d', args: { channels: 6, kernel: 3, pad: 1 }, input: [1, 8, 8], output: [6, 8, 8], weights: [{ name: 'weight', shape: [6, 1, 3, 3], reduction: 9, compressible: true }, { name: 'bias', shape: [6], reduction: 1, compressible: false }], flops: 2 * 6 * 9 * 64 },
  { layer: 'conv2d', args: { channels: 8 }, input: [1, 8, 8], output: [8, 6, 6], weights: [{ name: 'weight', shape: [8, 1, 3, 3], reduction: 9, compressible: true }, { name: 'bias', shape: [8], reduction: 1, compressible: false }], flops: 2 * 8 * 9 * 36 },
  { layer: 'conv2d', args: { channels: 4, kernel: 3, stride: 2, bias: false }, input: [2, 8, 8], output: [4, 3, 3], weights: [{ name: 'weight', shape: [4, 2, 3, 3], reduction: 18, compressible: true }], flops: 2 * 4 * 18 * 9 },
  { layer: 'conv2d', args: { channels: 6, groups: 2, bias: false }, input: [4, 5, 5], output: [6, 3, 3], weights: [{ name: 'weight', shape: [6, 2, 3, 3], reduction: 18, compressible: true }], flops: 2 * 6 * 18 * 9 },
  { layer: 'conv2d', args: { channels: 3, kernel: 1, bias: false, norm: use('batch', 'norm', { eps: 1e-5, momentum: 0.1, affine: true }) }, input: [2, 4, 4], output: [3, 4, 4], weights: [{ name: 'weight', shape: [3, 2, 1, 1], reduction: 2, compressible: true }, { name: 'norm.gamma', shape: [3], reduction: 1, compressible: false }, { name: 'norm.beta', shape: [3], reduction: 1, compressible: false }], flops: 2 * 3 * 2 * 16 },
  { layer: 'conv2d', args: { channels: 6, groups: 3 }, input: [4, 8, 8], error: "the input's 4 channels are not divisible by groups = 3" },
  { layer: 'conv2d', args: { channels: 8, kernel: 5 }, input: [1, 4, 4], error: 'kernel 5 is larger than the 4×4 input' },
  { layer: 'conv2d', args: { channels: 8, kernel: 7, pad: 1 }, input: [1, 4, 4], error: 'kernel 7 is larger than the padded 6×6 input' },
  { layer: 'conv2d', args: { channels: 8 }, input: [64], error: 'conv2d needs an image input [channels, height, width]; its input here is [64]' },
  { layer: 'maxpool', args: {}, input: [16, 8, 8], output: [16, 4, 4], weights: [], flops: 16 * 16 * 4 },
  { layer: 'maxpool', args: { size: 3, stride: 1 }, input: [2, 5, 5], output: [2, 3, 3], weights: [], flops: 2 * 9 * 9 },
  { layer: 'maxpool', args: { size: 9 }, input: [1, 8, 8], error: 'window 9 is larger than the 8×8 input' },
  { layer: 'maxpool', args: {}, input: [10], error: 'maxpool needs an image input [channels, height, width]; its input here is [10]' },
  { layer: 'avgpool', args: { size: 2 }, input: [3, 7, 7], output: [3, 3, 3], weights: [], flops: 3 * 9 * 4 },
  { layer: 'avgpool', args: {}, input: [5, 4], error: 'avgpool needs an image input [channels, height, width]; its input here is [5, 4]' },
  { layer: 'flatten', args: {}, input: [16, 4, 4], output: [256], weights: [], flops: 0 },
  { layer: 'flatten', args: {}, input: [10], output: [10], weights: [], flops: 0 },
  { layer: 'dropout', args: { p: 0.2 }, input: [16, 4, 4], output: [16, 4, 4], weights: [], flops: 0 },
];

for (const c of LAYER_CASES) {
  test(`layer ${c.layer}(${JSON.stringify(c.args)}) on [${c.input.join(', ')}]`, () => {
    const entry = mustGet(c.layer, 'layer');
    const got: LayerInference | undefined = entry.layer?.infer(c.input, withDefaults(entry, c.args));
    assert.ok(got !== undefined);
    if (c.error !== undefined) {
      assert.deepEqual(got, { ok: false, message: c.error });
      return;
    }
    assert.ok(got.ok, got.ok ? '' : got.message);
    assert.deepEqual(got.output, c.output);
    assert.deepEqual(got.weights, c.weights);
    assert.equal(got.flops, c.flops);
  });
}

test('layers report affine normalization only for layer/batch norms with affine parameters', () => {
  const dense = mustGet('dense', 'layer');
  const hasNorm = (args: Args): boolean | undefined => dense.layer?.hasNorm?.(withDefaults(dense, { units: 4, ...args }));
  assert.equal(hasNorm({}), false);
  assert.equal(hasNorm({ norm: layerNorm }), true);
  assert.equal(hasNorm({ norm: use('batch', 'norm', { affine: true }) }), true);
  assert.equal(hasNorm({ norm: use('batch', 'norm', { affine: false }) }), false);
  assert.equal(hasNorm({ norm: use('spectral', 'norm') }), false);
  assert.equal(mustGet('conv2d', 'layer').layer?.hasNorm?.({ norm: layerNorm }), true);
});

// Data facets: written arguments → what the source yields.
const DATA_CASES: readonly { readonly source: string; readonly args: Args; readonly shape: object }[] = [
  { source: 'digits', args: {}, shape: { input: [1, 8, 8], classes: 10, task: 'classification', examples: 1797 } },
  { source: 'moons', args: {}, shape: { input: [2], classes: 2, task: 'classification', examples: 1000 } },
  { source: 'moons', args: { samples: 300 }, shape: { input: [2], classes: 2, task: 'classification', examples: 300 } },
  { source: 'spirals', args: { classes: 5 }, shape: { input: [2], classes: 5, task: 'classification', examples: 1000 } },
  { source: 'blobs', args: {}, shape: { input: [2], classes: 3, task: 'classification', examples: 1000 } },
  { source: 'blobs', args: { features: 7, classes: 4, samples: 200 }, shape: { input: [7], classes: 4, task: 'classification', examples: 200 } },
  { source: 'regression', args: { features: 3, targets: 2 }, shape: { input: [3], targets: 2, task: 'regression', examples: 1000 } },
  { source: 'csv', args: { path: 'a.csv', label: 'y' }, shape: { task: 'classification' } },
  { source: 'csv', args: { path: 'a.csv', label: 'y', task: 'regression' }, shape: { task: 'regression', targets: 1 } },
  { source: 'idx', args: { images: 'i.gz', labels: 'l.gz' }, shape: { task: 'classification' } },
];

for (const c of DATA_CASES) {
  test(`data ${c.source}(${JSON.stringify(c.args)})`, () => {
    const entry = mustGet(c.source, 'data');
    assert.deepEqual(entry.data?.(withDefaults(entry, c.args)), c.shape);
  });
}

// conforms: a value, a type, whether it fits.
const CONFORMS_CASES: readonly [PlanValue, ParamType, boolean][] = [
  [3, { kind: 'number', integer: true, min: 1 }, true],
  [2.5, { kind: 'number', integer: true }, false],
  [0, { kind: 'number', min: 0, minExclusive: true }, false],
  [1, { kind: 'number', min: 0, max: 1, maxExclusive: true }, false],
  [0.999, { kind: 'number', min: 0, max: 1, maxExclusive: true }, true],
  [Number.NaN, { kind: 'number' }, false],
  [1, { kind: 'fraction' }, true],
  [1, { kind: 'fraction', maxExclusive: true }, false],
  [0, { kind: 'fraction', minExclusive: true }, false],
  [1.5, { kind: 'fraction' }, false],
  [ep(2), { kind: 'duration' }, true],
  [2, { kind: 'duration' }, false],
  [{ kind: 'ratio', n: 2, m: 4 }, { kind: 'ratio' }, true],
  ['x', { kind: 'path' }, true],
  [true, { kind: 'string' }, false],
  ['lsq', { kind: 'enum', members: [{ name: 'ste', doc: '' }, { name: 'lsq', doc: '' }] }, true],
  ['sgd', { kind: 'enum', members: [{ name: 'ste', doc: '' }] }, false],
  [use('sgd', 'optimizer'), { kind: 'technique', of: ['optimizer'] }, true],
  [use('sam', 'wrapper'), { kind: 'technique', of: ['optimizer'] }, false],
  [{ kind: 'layer', name: 'dense_1' }, { kind: 'layer' }, true],
  [[ep(1), ep(2)], { kind: 'list', of: { kind: 'duration' } }, true],
  [[ep(1), 2], { kind: 'list', of: { kind: 'duration' } }, false],
  [ep(1), { kind: 'union', of: [{ kind: 'number' }, { kind: 'duration' }] }, true],
];

test('conforms accepts members of a type and rejects the rest', () => {
  for (const [value, type, expected] of CONFORMS_CASES) assert.equal(conforms(value, type), expected, `${JSON.stringify(value)} : ${JSON.stringify(type)}`);
});

function mustGet(name: string, kind: TechniqueKind): TechniqueEntry {
  const e = CATALOG.get(name, [kind]);
  assert.ok(e !== undefined, `no ${kind} ${name}`);
  return e;
}

/** Technique-valued defaults must name an entry of an allowed kind and carry a complete, conforming argument set. */
function checkTechniqueValues(value: PlanValue, type: ParamType, where: string, complete: boolean): void {
  if (type.kind === 'list' && isList(value)) {
    for (const v of value) checkTechniqueValues(v, type.of, where, complete);
    return;
  }
  if (type.kind !== 'technique' || !isTechnique(value)) return;
  const entry = CATALOG.get(value.name, type.of);
  assert.ok(entry !== undefined, `${where}: default names unknown technique ${value.name}`);
  assert.equal(entry.kind, value.entryKind, `${where}: entryKind`);
  if (complete) {
    const filled = Object.keys(withDefaults(entry));
    assert.deepEqual(Object.keys(value.args).sort(), filled.sort(), `${where}: default ${value.name} must carry every defaulted argument`);
  }
  for (const p of entry.params) {
    const arg = value.args[p.name];
    if (arg !== undefined) assert.ok(conforms(arg, p.type), `${where}: ${value.name}.${p.name}`);
  }
  for (const r of entry.rules ?? []) assert.ok(!r.when(withDefaults(entry, value.args)), `${where}: default ${value.name} fires "${r.message}"`);
}

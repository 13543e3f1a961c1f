// The plan of the reference example: every default filled in, layers named and shaped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../analysis';
import { isTechnique, type PlanValue } from '../../catalog';

const EXAMPLE = join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima');

function plan() {
  const a = analyze(readFileSync(EXAMPLE, 'utf8'));
  assert.deepEqual(a.diagnostics, []);
  assert.ok(a.recipe);
  return a.recipe;
}

test('recipe name, seed and data', () => {
  const r = plan();
  assert.equal(r.name, 'digits-sam');
  assert.equal(r.seed, 7);
  assert.equal(r.data.source.name, 'digits');
  assert.deepEqual(r.data.shape.input, [1, 8, 8]);
  assert.deepEqual(r.blocks['data']?.attrs, { split: 0.8, batch: 64, shuffle: true, standardize: 'none', augment: [] });
});

test('the optimizer is fully defaulted, nested base included', () => {
  const opt = plan().blocks['train']?.attrs['optimizer'];
  assert.ok(isTechnique(opt));
  assert.equal(opt.name, 'sam');
  assert.equal(opt.entryKind, 'wrapper');
  assert.equal(opt.args['rho'], 0.05);
  assert.equal(opt.args['adaptive'], false);
  const base = opt.args['base'];
  assert.ok(isTechnique(base));
  assert.equal(base.name, 'adamp');
  assert.deepEqual(base.args, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 1e-4, delta: 0.1, wd_ratio: 0.1, nesterov: false });
});

test('train block defaults: regularizers and schedule', () => {
  const train = plan().blocks['train']?.attrs ?? {};
  assert.equal(train['epochs'], 30);
  assert.deepEqual(train['regularizers'], []);
  const schedule = train['schedule'];
  assert.ok(isTechnique(schedule));
  assert.deepEqual(schedule.args['warmup'], { kind: 'duration', value: 2, unit: 'ep' });
  const loss = train['loss'];
  assert.ok(isTechnique(loss));
  assert.equal(loss.args['smoothing'], 0.1);
  assert.equal('grad_clip' in train, false, 'an optional attribute without default stays absent');
});

test('layers are named by kind and position, with inferred shapes', () => {
  const r = plan();
  assert.deepEqual(r.model.layers.map((l) => [l.name, l.input, l.output, l.hasNorm]), [
    ['dense_1', [1, 8, 8], [128], true],
    ['dense_2', [128], [64], false],
    ['dense_3', [64], [10], false],
  ]);
  assert.deepEqual(r.model.declared.map((l) => l.name), ['dense_1', 'dense_2', 'dense_3']);
  assert.equal(r.model.source.name, 'mlp');
  assert.equal(r.model.init.name, 'he');
  const act = r.model.layers[0]?.use.args['act'];
  assert.ok(isTechnique(act));
  assert.equal(act.name, 'relu');
});

test('compression blocks get the defaults that depend on other blocks', () => {
  const r = plan();
  const prune = r.blocks['prune']?.attrs ?? {};
  assert.equal(prune['sparsity'], 0.5, 'a 2:4 pattern implies 50%');
  assert.deepEqual(prune['pattern'], { kind: 'ratio', n: 2, m: 4 });
  assert.deepEqual(prune['layers'], [{ kind: 'layer', name: 'dense_1' }, { kind: 'layer', name: 'dense_2' }]);
  const method = prune['method'];
  assert.ok(isTechnique(method));
  assert.equal(method.args['scope'], 'global');
  const quantize = r.blocks['quantize']?.attrs ?? {};
  const names = (v: PlanValue | undefined) => (Array.isArray(v) ? v.map((x: PlanValue) => (typeof x === 'object' && !Array.isArray(x) && 'name' in x ? x.name : '?')) : v);
  assert.deepEqual(names(quantize['layers']), ['dense_1', 'dense_2', 'dense_3'], 'quantize defaults to every weighted layer');
  assert.equal(quantize['symmetric'], true);
  assert.equal('from' in quantize, false, 'ptq has no start');
  assert.deepEqual(r.blocks['report']?.attrs['every'], { kind: 'duration', value: 1, unit: 'ep' });
});

test('default pruning targets skip the first and last weighted layers; phases default to the whole run', () => {
  const text = `data digits {}\nmodel mlp {\n  dense(32)\n  dropout(0.2)\n  dense(32)\n  dense(16)\n  dense(10)\n}\ntrain {\n  epochs = 4\n  optimizer = sgd\n}\nprune {\n}\nlowrank {\n  method = svd(rank: 2)\n}\n`;
  const a = analyze(text);
  assert.deepEqual(a.diagnostics, []);
  const prune = a.recipe?.blocks['prune']?.attrs ?? {};
  assert.deepEqual(prune['layers'], [{ kind: 'layer', name: 'dense_2' }, { kind: 'layer', name: 'dense_3' }]);
  assert.equal(prune['sparsity'], 0.5);
  assert.deepEqual([prune['from'], prune['to']], [{ kind: 'duration', value: 0, unit: 'ep' }, { kind: 'duration', value: 4, unit: 'ep' }]);
  assert.deepEqual(a.recipe?.blocks['lowrank']?.attrs['layers'], prune['layers']);
});

test('qat starts in the last 10% of training by default', () => {
  const text = `data moons {}\nmodel mlp {\n  dense(8)\n  dense(2)\n}\ntrain {\n  epochs = 20\n  optimizer = sgd\n}\nquantize {\n  method = qat\n}\n`;
  const a = analyze(text);
  assert.deepEqual(a.diagnostics, []);
  assert.deepEqual(a.recipe?.blocks['quantize']?.attrs['from'], { kind: 'duration', value: 18, unit: 'ep' });
});

test('a recipe without a recipe block is untitled with seed 0; csv data has no shapes and no estimates', () => {
  const text = `data csv("x.csv", label: "y") {}\nmodel mlp {\n  dense(3)\n}\ntrain {\n  epochs = 1\n  optimizer = adam\n}\n`;
  const a = analyze(text);
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.recipe?.name, 'untitled');
  assert.equal(a.recipe?.seed, 0);
  assert.deepEqual(a.recipe?.model.layers, []);
  assert.deepEqual(a.recipe?.model.declared.map((l) => l.name), ['dense_1']);
  assert.equal(a.recipe?.estimates, undefined);
});

test('no plan when any error is present, parse errors included', () => {
  const text = readFileSync(EXAMPLE, 'utf8').replace('seed = 7', 'seed = 7 )');
  const a = analyze(text);
  assert.equal(a.diagnostics.length, 1);
  assert.equal(a.recipe, undefined);
  const warned = analyze(readFileSync(EXAMPLE, 'utf8').replace('rho: 0.05, base', 'rho: 0, base'));
  assert.deepEqual(warned.diagnostics.map((d) => d.severity), ['warning']);
  assert.ok(warned.recipe, 'warnings do not block the plan');
});

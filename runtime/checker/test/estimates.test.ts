// Static estimates, with the expected numbers worked out by hand from the formulas in estimates.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../analysis';

const EXAMPLE = readFileSync(join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima'), 'utf8');

test('estimates of the reference example (64→128→64→10 MLP, layer norm on the first layer, SAM, 2:4, int8)', () => {
  const e = analyze(EXAMPLE).recipe?.estimates;
  assert.ok(e);
  // dense_1: 64·128 weight + 128 bias + 2·128 layer-norm γ, β; dense_2: 128·64 + 64; dense_3: 64·10 + 10.
  const p1 = 64 * 128 + 128 + 2 * 128;
  const p2 = 128 * 64 + 64;
  const p3 = 64 * 10 + 10;
  assert.equal(e.parameters, p1 + p2 + p3);
  assert.equal(e.parameters, 17482);
  const forward = 2 * (64 * 128 + 128 * 64 + 64 * 10);
  assert.equal(e.flopsPerExample, forward);
  assert.equal(e.passesPerStep, 2, 'SAM takes two forward/backward passes');
  assert.equal(e.flopsPerStep, 3 * forward * 64 * 2);
  assert.equal(e.bytesBefore, 4 * 17482);
  // 2:4 on dense_1 and dense_2: half the weights kept at 1 byte (int8) plus a 2-bit index each,
  // plus one fp32 scale per output channel; dense_3 is quantized only; biases and γ, β stay fp32.
  const nm = (n: number, out: number) => (n / 2) * 1 + ((n / 2) * 2) / 8 + 4 * out;
  const expected = nm(64 * 128, 128) + 4 * (128 + 2 * 128) + nm(128 * 64, 64) + 4 * 64 + (640 * 1 + 4 * 10) + 4 * 10;
  assert.equal(e.bytesAfter, expected);
  assert.equal(e.bytesAfter, 13520);
});

const MOONS = (extra: string, optimizer = 'sgd') => `data moons {\n  batch = 10\n}\nmodel mlp {\n  dense(16)\n  dense(16)\n  dense(2)\n}\ntrain {\n  epochs = 10\n  optimizer = ${optimizer}\n}\n${extra}`;

test('unstructured pruning keeps (1 − s) of the values plus a 1-bit mask; default targets skip first and last', () => {
  const e = analyze(MOONS('prune {\n  sparsity = 75%\n}\n')).recipe?.estimates;
  assert.ok(e);
  // Parameters: 2·16+16, 16·16+16, 16·2+2.
  assert.equal(e.parameters, 48 + 272 + 34);
  // dense_2's 256 weights: 64 kept × 4 bytes + 256/8 mask bytes; everything else fp32.
  assert.equal(e.bytesAfter, 4 * 48 + (64 * 4 + 32) + 4 * 16 + 4 * 34);
  assert.equal(e.passesPerStep, 1);
  assert.equal(e.flopsPerStep, 3 * 2 * (2 * 16 + 16 * 16 + 16 * 2) * 10);
});

test('low-rank with a rank stores r·(out + in) values; per-tensor quantization adds one scale', () => {
  const e = analyze(MOONS('lowrank {\n  method = svd(rank: 4)\n}\nquantize {\n  bits = 4\n  per_channel = false\n  layers = [dense_2]\n}\n')).recipe?.estimates;
  assert.ok(e);
  // dense_2: rank 4 → 4·(16 + 16) = 128 values at 4 bits = 64 bytes, plus one fp32 scale.
  assert.equal(e.bytesAfter, 4 * 48 + (128 * 0.5 + 4) + 4 * 16 + 4 * 34);
});

test('energy-based low-rank cannot be sized ahead of time and leaves the size unchanged', () => {
  const e = analyze(MOONS('lowrank {\n  method = svd(energy: 0.9)\n}\n')).recipe?.estimates;
  assert.ok(e);
  assert.equal(e.bytesAfter, e.bytesBefore);
});

test('passes per step follow the wrapper', () => {
  const passes = (opt: string) => analyze(MOONS('', opt)).semantics.estimates?.passesPerStep;
  assert.equal(passes('adam'), 1);
  assert.equal(passes('sam(base: sgd)'), 2);
  assert.equal(passes('asam(base: sgd)'), 2);
  assert.equal(passes('fsam(base: sgd)'), 2);
  assert.equal(passes('gam(base: sgd)'), 4);
  assert.equal(passes('saf(base: sgd)'), 1);
});

test('estimates exist when data and model resolve, even with errors in other blocks', () => {
  const a = analyze(MOONS('prune {\n  pattern = 2:4\n  sparsity = 10%\n}\n', 'gam(rho: -1, base: sgd)'));
  assert.ok(a.diagnostics.some((d) => d.severity === 'error'));
  assert.equal(a.recipe, undefined);
  assert.equal(a.semantics.estimates?.parameters, 354);
  assert.equal(a.semantics.estimates?.passesPerStep, 4, 'the wrapper is known even though its arguments are wrong');
});

test('no estimates when the shapes are unknown', () => {
  const a = analyze(MOONS('').replace('data moons', 'data csv("a.csv", label: "y")'));
  assert.deepEqual(a.diagnostics, []);
  assert.equal(a.semantics.estimates, undefined);
});

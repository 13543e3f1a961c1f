// The per-layer compression report: measured sparsity, N:M conformance and bytes in the storage
// model of the checker's estimates; and the run summary of the reference example carries it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import type { ParamInfo } from '../../compiler/model';
import { runRecipe } from '..';
import { compressionReport } from '../compression-report';
import { listRuns } from '../store';

const info = (name: string, shape: number[], compressible = true): ParamInfo => ({ name: `${name}.${compressible ? 'weight' : 'bias'}`, layer: name, role: compressible ? 'weight' : 'bias', shape, compressible, isNorm: false, init: { kind: 'zeros' } });

test('2:4 pruning and 8-bit weights: sparsity, conformance and bytes (values + 2-bit indices + per-channel scales)', () => {
  // 2 rows × 8: row 0 is 2:4 in both groups, row 1 breaks it in its second group (3 nonzeros).
  const w = Float32Array.from([1, 0, 2, 0, 0, 3, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0]);
  const [row] = compressionReport({ infos: [info('fc', [2, 8]), info('fc', [2], false)], weights: [w, Float32Array.from([1, 1])], pruned: { targets: [0], pattern: { n: 2, m: 4 } }, quantized: { targets: [0], bits: 8, perChannel: true } });
  assert.ok(row);
  assert.equal(row.elements, 16);
  assert.equal(row.nonzero, 9);
  assert.equal(row.sparsity, 7 / 16);
  assert.equal(row.pattern, '2:4');
  assert.equal(row.nmConformance, 3 / 4);
  assert.equal(row.bits, 8);
  assert.equal(row.bytesBefore, 64);
  assert.equal(row.bytesAfter, Math.ceil((9 * 8 + 9 * 2) / 8) + 2 * 4);
});

test('a pruning target with no zero (the run ended before pruning started) is counted dense: sizes count only what was applied', () => {
  const w = new Float32Array(4 * 8).fill(0.5);
  const [row] = compressionReport({ infos: [info('fc', [4, 8])], weights: [w], pruned: { targets: [0], pattern: { n: 2, m: 4 } }, quantized: { targets: [0], bits: 8, perChannel: true } });
  assert.ok(row);
  assert.equal(row.sparsity, 0);
  assert.equal(row.pattern, undefined);
  assert.equal(row.nmConformance, undefined);
  // 8-bit values and one scale per output channel; no N:M index.
  assert.equal(row.bytesAfter, 32 + 4 * 4);
});

test('a low-rank weight is counted as its two factors when they are smaller, and not otherwise', () => {
  const w = new Float32Array(10 * 20).fill(1);
  const small = compressionReport({ infos: [info('fc', [10, 20])], weights: [w], ranks: new Map([[0, 2]]) })[0]!;
  assert.equal(small.rank, 2);
  assert.equal(small.bytesAfter, 4 * 2 * (10 + 20));
  const large = compressionReport({ infos: [info('fc', [10, 20])], weights: [w], ranks: new Map([[0, 9]]) })[0]!;
  assert.equal(large.bytesAfter, 4 * 200);
});

test('nothing compressed: no report', () => {
  assert.deepEqual(compressionReport({ infos: [info('fc', [2, 2])], weights: [new Float32Array(4)] }), []);
});

test('the digits-sam run summary reports 2:4 conformance, 8 bits, and bytes that add up to the estimate', async () => {
  const text = fs.readFileSync(path.join('test-fixtures', 'recipes', 'examples', 'digits-sam.minima'), 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe?.estimates);
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-compression-'));
  const result = await runRecipe(a.recipe, { baseDir: runs, recipeText: text, runsDir: runs, backend: 'auto', assetsDir: path.join('runtime', 'engine', 'data', 'assets') });
  assert.equal(result.status, 'finished', result.message);
  const [summary] = listRuns(runs);
  const layers = summary?.compression ?? [];
  assert.ok(layers.length > 0, 'summary.json has the compression report');
  assert.deepEqual(layers.map((l) => [l.layer, l.pattern, l.bits]), [['dense_1', '2:4', 8], ['dense_2', '2:4', 8], ['dense_3', undefined, 8]]);
  for (const l of layers.filter((x) => x.pattern !== undefined)) {
    assert.equal(l.nmConformance, 1, `${l.layer} conforms`);
    assert.ok(Math.abs(l.sparsity - 0.5) < 0.01, `${l.layer} sparsity ${l.sparsity}`);
  }
  assert.deepEqual(summary?.hyper, {
    optimizer: 'sam(rho: 0.05, base: adamp(lr: 0.001, weight_decay: 1e-4))',
    schedule: 'cosine(warmup: 2ep)',
    batch: '64',
    epochs: '30',
    prune: 'magnitude 2:4',
    quantize: 'ptq 8-bit',
  });
  // Uncompressed tensors (biases…) stay fp32 in the estimate's storage model.
  const compressedElements = layers.reduce((s, l) => s + l.elements, 0);
  const measured = layers.reduce((s, l) => s + l.bytesAfter, 0) + 4 * (a.recipe.estimates.parameters - compressedElements);
  assert.ok(Math.abs(measured - a.recipe.estimates.bytesAfter) <= 0.01 * a.recipe.estimates.bytesAfter, `measured ${measured} vs estimate ${a.recipe.estimates.bytesAfter}`);
});

// What the checker is told about an imported file (import-facts.ts), on the PyTorch exports of
// test-fixtures/reference/import: layer shapes per example, FLOPs (2 per multiply-accumulate),
// input widths along which N:M groups run, selection by name, and operators named with their node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { IMPORT_REFERENCE_DIR, readImportReference } from '../../../testing/import-reference';
import { importFacts } from '../import-facts';

test('LeNet: each weighted node with its shapes and FLOPs; conv and Gemm input widths', () => {
  const f = importFacts(readImportReference(IMPORT_REFERENCE_DIR, 'lenet-bn-dropout').bytes);
  assert.ok(f.ok);
  assert.deepEqual(f.inputShape, [1, 28, 28]);
  assert.equal(f.outputWidth, 10);
  assert.equal(f.buffers, 4);
  const conv = f.layers.find((l) => l.name === '/features/features.4/Conv');
  // [16, 6, 5, 5] on a [6, 14, 14] map: 16·10·10 outputs, each 6·5·5 multiply-accumulates.
  assert.deepEqual(conv, { name: '/features/features.4/Conv', op: 'Conv', input: [6, 14, 14], output: [16, 10, 10], flops: 2 * 1600 * 150 });
  assert.deepEqual(f.layers.find((l) => l.name === '/classifier/classifier.1/Gemm'), { name: '/classifier/classifier.1/Gemm', op: 'Gemm', input: [400], output: [120], flops: 2 * 120 * 400 });
  assert.equal(f.params.find((p) => p.name === 'features.4.weight')?.reduction, 150);
  assert.equal(f.params.find((p) => p.name === 'classifier.1.weight')?.reduction, 400);
  assert.deepEqual(f.select('classifier.*').map((i) => f.params[i]?.name), ['classifier.1.weight', 'classifier.1.bias', 'classifier.4.weight', 'classifier.4.bias', 'classifier.6.weight', 'classifier.6.bias']);
});

test('transformer: a MatMul weight stored [in, out] runs its N:M groups along dim 0; attention counts the sequence', () => {
  const f = importFacts(readImportReference(IMPORT_REFERENCE_DIR, 'transformer').bytes);
  assert.ok(f.ok);
  const w = f.params.find((p) => p.name === 'encoder.layers.0.linear2.weight');
  assert.deepEqual({ shape: w?.shape, reduction: w?.reduction, layer: w?.layer, module: w?.module }, { shape: [256, 64], reduction: 256, layer: '/encoder/layers.0/linear2/MatMul', module: 'encoder.layers.0.linear2' });
  // out_proj is a Gemm over [B*16, 64]: 16 tokens of 64·64 multiply-accumulates.
  assert.equal(f.layers.find((l) => l.name === '/encoder/layers.0/self_attn/Gemm')?.flops, 2 * 16 * 64 * 64);
});

test('a file Minima cannot train through: the operators, each with its node', () => {
  const f = importFacts(new Uint8Array(fs.readFileSync('test-fixtures/import-check/cumsum.onnx')));
  assert.deepEqual(f, { ok: false, message: 'the model uses operators Minima cannot train through: CumSum (node /CumSum)', unsupported: [{ op: 'CumSum', node: '/CumSum' }] });
});

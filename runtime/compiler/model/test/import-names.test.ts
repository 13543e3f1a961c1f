// The names a PyTorch user knows for an imported tensor: module paths from torch.onnx.export's
// node scopes, names rebuilt for tensors the exporter computed, and the patterns `freeze` takes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesPattern, modulePathOf, scopedTorchName, uniqueNames } from '../import-names';

test('module paths from node scopes, Sequential children included', () => {
  const cases: readonly [string, string][] = [
    ['/encoder/layers.0/self_attn/MatMul_1', 'encoder.layers.0.self_attn'],
    ['/features/features.0/Conv', 'features.0'],
    ['/layer2/layer2.0/downsample/downsample.0/Conv', 'layer2.0.downsample.0'],
    ['/classifier/classifier.1/Gemm', 'classifier.1'],
    ['/Add', ''],
    ['fc', ''],
    ['Gemm_11', ''],
  ];
  for (const [name, path] of cases) assert.equal(modulePathOf(name), path, name);
});

test('names rebuilt from the module and the role, or from the bias beside a MatMul weight', () => {
  assert.equal(scopedTorchName('embed', 'weight'), 'embed.weight');
  assert.equal(scopedTorchName('bn1', 'norm_scale'), 'bn1.weight');
  assert.equal(scopedTorchName('layer1.0.conv1', 'bias'), 'layer1.0.conv1.bias');
  assert.equal(scopedTorchName('encoder.layers.1.self_attn', 'weight', 'encoder.layers.1.self_attn.in_proj_bias'), 'encoder.layers.1.self_attn.in_proj_weight');
  assert.equal(scopedTorchName('m', 'weight', 'onnx::Add_3'), 'm.weight');
  assert.equal(scopedTorchName('', 'weight'), undefined);
  assert.equal(scopedTorchName('m', 'other'), undefined);
});

test('unique names in order, avoiding the train step\'s own inputs', () => {
  assert.deepEqual(uniqueNames(['a', 'x', 'a', 'a_2', 'lr'], new Set(['x', 'lr'])), ['a', 'x_2', 'a_2', 'a_2_2', 'lr_2']);
});

test('freeze patterns: a name, a module path above it, or a glob', () => {
  const yes: readonly [string, string][] = [
    ['encoder.layers.0.linear1.weight', 'encoder.layers.0.linear1.weight'],
    ['encoder.layers.0.linear1.weight', 'encoder.layers.0'],
    ['encoder.layers.1.linear2.bias', 'encoder.layers.*.linear*'],
    ['layer1.0.conv1.weight', 'layer?.0.*'],
  ];
  const no: readonly [string, string][] = [
    ['encoder.layers.10.linear1.weight', 'encoder.layers.1'],
    ['encoder.layers.0.norm1.weight', 'encoder.layers.*.linear*'],
    ['embedding', 'embed'],
    ['head.weight', 'head.w'],
  ];
  for (const [name, p] of yes) assert.ok(matchesPattern(name, p), `${p} should match ${name}`);
  for (const [name, p] of no) assert.ok(!matchesPattern(name, p), `${p} should not match ${name}`);
});

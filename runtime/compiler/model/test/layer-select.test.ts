// Which weights a compression block selects: built-in layer names, and an imported model's
// parameter names, module paths, ONNX node names and globs; the default rule without `layers`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMPORT_REFERENCE_DIR, readImportReference } from '../../../testing/import-reference';
import { importOnnxModel } from '../import';
import { selectLayers } from '../layer-select';
import type { ParamInfo } from '../types';

const imported = (torchName: string, node: string, compressible = true): ParamInfo => {
  const module = torchName.split('.').slice(0, -1).join('.');
  return {
    name: torchName,
    layer: node,
    role: compressible ? 'weight' : 'bias',
    shape: compressible ? [4, 4] : [4],
    compressible,
    isNorm: false,
    init: { kind: 'zeros' },
    origin: { onnx: torchName, initializer: torchName, torchName, named: 'file', module, node },
  };
};

const MODEL: ParamInfo[] = [
  imported('embed.weight', '/embed/MatMul'),
  imported('embed.bias', '/embed/Add', false),
  imported('encoder.layers.0.linear1.weight', '/encoder/layers.0/linear1/MatMul'),
  imported('encoder.layers.0.linear2.weight', '/encoder/layers.0/linear2/MatMul'),
  imported('encoder.layers.1.linear1.weight', '/encoder/layers.1/linear1/MatMul'),
  imported('encoder.layers.1.self_attn.out_proj.weight', '/encoder/layers.1/self_attn/Gemm'),
  imported('head.weight', '/head/Gemm'),
  imported('head.bias', '/head/Gemm', false),
];

const names = (refs: readonly string[] | undefined, fallback: 'hidden' | 'all' = 'hidden') => {
  const s = selectLayers(MODEL, refs, fallback);
  return { targets: s.targets.map((i) => MODEL[i]?.name), unmatched: s.unmatched };
};

test('each kind of name selects the compressible weights it names, in model order', () => {
  const cases: [string[], string[]][] = [
    [['encoder.layers.0.linear1.weight'], ['encoder.layers.0.linear1.weight']],
    [['encoder.layers.0.linear1'], ['encoder.layers.0.linear1.weight']],
    [['encoder.layers.1'], ['encoder.layers.1.linear1.weight', 'encoder.layers.1.self_attn.out_proj.weight']],
    [['/encoder/layers.0/linear2/MatMul'], ['encoder.layers.0.linear2.weight']],
    [['encoder.layers.*.linear*'], ['encoder.layers.0.linear1.weight', 'encoder.layers.0.linear2.weight', 'encoder.layers.1.linear1.weight']],
    [['/encoder/*/Gemm'], ['encoder.layers.1.self_attn.out_proj.weight']],
    [['head', 'embed.weight'], ['embed.weight', 'head.weight']],
    [['encoder.layers.?.linear2'], ['encoder.layers.0.linear2.weight']],
  ];
  for (const [refs, want] of cases) assert.deepEqual(names(refs), { targets: want, unmatched: [] }, refs.join(', '));
});

test('a reference that selects no compressible weight is returned as unmatched (a bias alone, a partial name, nothing)', () => {
  assert.deepEqual(names(['head.bias', 'encoder.layers.0.lin', 'decoder.*', 'head']), { targets: ['head.weight'], unmatched: ['head.bias', 'encoder.layers.0.lin', 'decoder.*'] });
});

test('without layers: every weighted layer but the first and the last (prune, lowrank), or all of them (quantize)', () => {
  assert.deepEqual(names(undefined).targets, ['encoder.layers.0.linear1.weight', 'encoder.layers.0.linear2.weight', 'encoder.layers.1.linear1.weight', 'encoder.layers.1.self_attn.out_proj.weight']);
  assert.equal(names(undefined, 'all').targets.length, 6);
});

test('a built-in model\'s layer is named by its layer name only', () => {
  const dense: ParamInfo = { name: 'dense_1.weight', layer: 'dense_1', role: 'weight', shape: [4, 4], compressible: true, isNorm: false, init: { kind: 'zeros' } };
  assert.deepEqual(selectLayers([dense], ['dense_1'], 'all').targets, [0]);
  assert.deepEqual(selectLayers([dense], ['dense_*'], 'all').unmatched, ['dense_*']);
});

test('freeze takes the same names as layers: a node name freezes the weight that node reads, not the bias added after it', () => {
  const r = importOnnxModel(readImportReference(IMPORT_REFERENCE_DIR, 'transformer').bytes, { freeze: ['/embed/MatMul', 'encoder.layers.1.self_attn'] });
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.deepEqual(r.imported.summary.frozen, ['embed.weight', 'encoder.layers.1.self_attn.in_proj_weight', 'encoder.layers.1.self_attn.in_proj_bias', 'encoder.layers.1.self_attn.out_proj.weight', 'encoder.layers.1.self_attn.out_proj.bias']);
  assert.ok(r.imported.model.params.some((p) => p.name === 'embed.bias'));
});

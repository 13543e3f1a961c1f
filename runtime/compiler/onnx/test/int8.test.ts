// 8-bit initializers (quantized weights and zero points): written by toOnnx through
// OnnxEmitter.packed, read back by decodeOnnxModel, rejected when a value does not fit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, decodeOnnxModel, tensor, tensorBytes, toOnnx } from '../..';
import { dequantizeWeight } from '../../compress/qdq';

for (const signed of [true, false]) {
  const storage = signed ? 'int8' : 'uint8';
  test(`a DequantizeWeight writes its codes and zero points as ${storage} initializers that decode to the same values`, () => {
    const codes = signed ? [-128, -1, 0, 1, 127, 5] : [0, 1, 128, 200, 255, 7];
    const zero = signed ? [0, 0] : [128, 3];
    const g = new GraphBuilder();
    const w = dequantizeWeight(g.constant(tensor([2, 3], codes, 'float32')), g.constant(tensor([2], [0.5, 0.25], 'float32')), g.constant(tensor([2], zero, 'float32')), { signed });
    const decoded = decodeOnnxModel(toOnnx(g, [{ name: 'w', value: w }], { name: 'int8', dtype: 'float32' }));
    assert.ok(decoded.ok);
    const byName = new Map(decoded.model.graph.initializers.map((t) => [t.name, t]));
    const [node] = decoded.model.graph.nodes;
    assert.equal(node?.opType, 'DequantizeLinear');
    assert.equal(node?.attrs.get('axis')?.kind, 'int');
    const [q, s, z] = (node?.inputs ?? []).map((n) => byName.get(n));
    assert.deepEqual([q?.type, s?.type, z?.type], [storage, 'float32', storage]);
    assert.deepEqual(q?.dims, [2, 3]);
    assert.deepEqual(Array.from(q?.data ?? []), codes);
    assert.deepEqual(Array.from(z?.data ?? []), zero);
  });
}

test('tensorBytes stores 8-bit integers in one byte each and rejects values off the 8-bit grid', () => {
  assert.deepEqual(Array.from(tensorBytes('int8', [-128, -1, 127])), [0x80, 0xff, 0x7f]);
  assert.deepEqual(Array.from(tensorBytes('uint8', [0, 255])), [0, 255]);
  assert.throws(() => tensorBytes('int8', [128]), /not a int8/);
  assert.throws(() => tensorBytes('uint8', [-1]), /not a uint8/);
  assert.throws(() => tensorBytes('int8', [0.5]), /not a int8/);
});

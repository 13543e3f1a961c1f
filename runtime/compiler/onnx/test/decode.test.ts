// decodeOnnxModel reads back what encodeModel writes, and the encodings other exporters use
// (unpacked repeated ints, float_data/int64_data/double_data instead of raw_data, attributes
// without a type field); broken bytes are values, never throws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter, encodeModel, tensorBytes } from '..';
import { type OnnxModel, decodeOnnxModel, onnxProducerName } from '../decode';

function decoded(bytes: Uint8Array): OnnxModel {
  const r = decodeOnnxModel(bytes);
  if (!r.ok) throw new Error(r.message);
  return r.model;
}

test('a model written by encodeModel reads back', () => {
  const m = decoded(
    encodeModel({
      irVersion: 8,
      opset: 17,
      producerName: 'test',
      graph: {
        name: 'g',
        nodes: [{ opType: 'Gemm', name: 'fc', inputs: ['x', 'W', ''], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 }, alpha: { type: 'float', value: 0.5 }, perm: { type: 'ints', value: [-1, 300] }, mode: { type: 'string', value: 'constant' }, fs: { type: 'floats', value: [1.5, -2] } } }],
        initializers: [{ name: 'W', dtype: 'float32', dims: [2, 3], raw: tensorBytes('float32', [1, 2, 3, 4, 5, 6.5]) }, { name: 's', dtype: 'int64', dims: [2], raw: tensorBytes('int64', [0, -1]) }],
        inputs: [{ name: 'x', dtype: 'float64', dims: ['N', 3] }],
        outputs: [{ name: 'y', dtype: 'float64', dims: ['N', 2] }],
        valueInfo: [],
      },
    }),
  );
  assert.deepEqual([m.irVersion, m.opset, m.graph.name], [8, 17, 'g']);
  const n = m.graph.nodes[0];
  assert.deepEqual([n?.opType, n?.name, n?.domain, n?.inputs, n?.outputs], ['Gemm', 'fc', '', ['x', 'W', ''], ['y']]);
  assert.deepEqual(Object.fromEntries(n?.attrs ?? []), {
    transB: { kind: 'int', value: 1 },
    alpha: { kind: 'float', value: 0.5 },
    perm: { kind: 'ints', value: [-1, 300] },
    mode: { kind: 'string', value: 'constant' },
    fs: { kind: 'floats', value: [1.5, -2] },
  });
  assert.deepEqual(m.graph.initializers.map((t) => [t.name, t.type, t.dims, [...t.data]]), [['W', 'float32', [2, 3], [1, 2, 3, 4, 5, 6.5]], ['s', 'int64', [2], [0, -1]]]);
  assert.deepEqual(m.graph.inputs, [{ name: 'x', type: 'float64', dims: ['N', 3] }]);
  assert.deepEqual(m.graph.outputs, [{ name: 'y', type: 'float64', dims: ['N', 2] }]);
});

/** A GraphProto holding one initializer and one Constant node, written field by field. */
function graphWith(tensor: ProtoWriter, attr: ProtoWriter): Uint8Array {
  const node = new ProtoWriter().stringField(2, 'c').stringField(4, 'Constant').messageField(5, attr);
  const graph = new ProtoWriter().messageField(1, node).messageField(5, tensor);
  return new ProtoWriter().varintField(1, 7).messageField(7, graph).finish();
}

test('typed data fields, unpacked dims and untyped attributes', () => {
  const packedDoubles = new Uint8Array(16);
  new DataView(packedDoubles.buffer).setFloat64(0, 0.25, true);
  new DataView(packedDoubles.buffer).setFloat64(8, -8, true);
  const cases: readonly [string, ProtoWriter, readonly number[]][] = [
    ['float_data', new ProtoWriter().varintField(1, 2).varintField(1, 1).varintField(2, 1).packedFloats(4, [1.5, -3]).stringField(8, 't'), [1.5, -3]],
    ['int64_data', new ProtoWriter().packedVarints(1, [2]).varintField(2, 7).varintField(7, -5).varintField(7, 9).stringField(8, 't'), [-5, 9]],
    ['double_data', new ProtoWriter().packedVarints(1, [2]).varintField(2, 11).bytesField(10, packedDoubles).stringField(8, 't'), [0.25, -8]],
  ];
  for (const [what, t, values] of cases) {
    // An attribute with no type field (IR version 1): its value field says what it is.
    const m = decoded(graphWith(t, new ProtoWriter().stringField(1, 'value_ints').packedVarints(8, [4, 5])));
    assert.deepEqual([...(m.graph.initializers[0]?.data ?? [])], values, what);
    assert.equal(m.graph.initializers[0]?.dims.reduce((a, b) => a * b, 1), values.length, what);
    assert.deepEqual(m.graph.nodes[0]?.attrs.get('value_ints'), { kind: 'ints', value: [4, 5] }, what);
  }
});

const BROKEN: readonly [string, Uint8Array, RegExp][] = [
  ['empty', new Uint8Array(), /there is no graph/],
  ['a varint that never ends', Uint8Array.of(0x08, 0xff, 0xff), /truncated or corrupt: it ends inside a number/],
  ['a field longer than the file', Uint8Array.of(0x3a, 0x10, 0x01), /truncated or corrupt: a field of 16 bytes/],
  ['wire type 3 (groups)', Uint8Array.of(0x0b), /wire type 3/],
  ['a graph that is a number', Uint8Array.of(0x38, 0x01), /field 7 has an unexpected wire type/],
  ['values that do not fill the dims', graphWith(new ProtoWriter().packedVarints(1, [3]).varintField(2, 1).packedFloats(4, [1]).stringField(8, 'w'), new ProtoWriter()), /tensor w has 1 values for dims \[3\]/],
  ['external data', graphWith(new ProtoWriter().packedVarints(1, [3]).varintField(2, 1).stringField(8, 'w').varintField(14, 1), new ProtoWriter()), /tensor w keeps its data in an external file/],
];

for (const [what, bytes, message] of BROKEN) {
  test(`broken bytes are a value: ${what}`, () => {
    const r = decodeOnnxModel(bytes);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, message);
  });
}

test('onnxProducerName reads the producer from the first bytes, and nothing from other files', () => {
  const model = (producerName: string) =>
    encodeModel({ irVersion: 8, opset: 17, producerName, graph: { name: 'g', nodes: [], initializers: [{ name: 'W', dtype: 'float32', dims: [64], raw: tensorBytes('float32', new Array<number>(64).fill(1)) }], inputs: [], outputs: [], valueInfo: [] } });
  const minima = model('minima');
  assert.equal(onnxProducerName(minima), 'minima');
  assert.equal(onnxProducerName(minima.subarray(0, 16)), 'minima', 'a prefix holding the producer is enough');
  assert.equal(onnxProducerName(model('pytorch')), 'pytorch');
  assert.equal(onnxProducerName(new TextEncoder().encode('recipe "x" {\n  seed = 1\n}\n')), undefined);
  assert.equal(onnxProducerName(new Uint8Array()), undefined);
  assert.equal(onnxProducerName(minima.subarray(0, 4)), undefined, 'cut inside the producer name');
});

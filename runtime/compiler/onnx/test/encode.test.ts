// The protobuf writer byte for byte, and emitted models read back field by field (field numbers
// of onnx.proto) with an independent little decoder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../..';
import { Message } from '../../../testing/protobuf-decode';

const VARINTS: readonly [number | bigint, readonly number[]][] = [
  [0, [0]],
  [1, [1]],
  [127, [0x7f]],
  [128, [0x80, 0x01]],
  [300, [0xac, 0x02]],
  [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
  [2 ** 40 + 5, [0x85, 0x80, 0x80, 0x80, 0x80, 0x20]],
  // Negative int64: ten bytes of two's complement.
  [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  [-2n, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
];

for (const [value, bytes] of VARINTS) {
  test(`varint ${value}`, () => {
    // Field 1, wire type 0: tag byte 0x08.
    assert.deepEqual([...new c.ProtoWriter().varintField(1, value).finish()], [0x08, ...bytes]);
  });
}

test('float, string, packed and nested fields', () => {
  const inner = new c.ProtoWriter().stringField(1, 'ab');
  const bytes = new c.ProtoWriter().floatField(2, 1.5).packedVarints(8, [1, 300]).messageField(3, inner).packedFloats(7, []).finish();
  // 1.5f = 0x3fc00000 little-endian; tag(2,5)=0x15, tag(8,2)=0x42, tag(3,2)=0x1a; empty packed fields are left out.
  assert.deepEqual([...bytes], [0x15, 0x00, 0x00, 0xc0, 0x3f, 0x42, 0x03, 0x01, 0xac, 0x02, 0x1a, 0x04, 0x0a, 0x02, 0x61, 0x62]);
});

test('a large bytes field survives chunking', () => {
  const big = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  const m = Message.decode(new c.ProtoWriter().varintField(1, 7).bytesField(9, big).varintField(2, 3).finish());
  assert.deepEqual([m.int(1), m.int(2), [...(m.bytes(9) ?? [])]], [7, 3, [...big]]);
});

interface Decoded {
  readonly model: Message;
  readonly graph: Message;
  readonly nodes: Message[];
}

function decode(bytes: Uint8Array): Decoded {
  const model = Message.decode(bytes);
  const graph = model.message(7);
  assert.ok(graph, 'ModelProto.graph');
  return { model, graph, nodes: graph.messages(1) };
}

/** A value info's [name, elem_type, dims] (dims as numbers or dim_param strings). */
function valueInfo(v: Message): [string | undefined, number | undefined, (number | string | undefined)[]] {
  const tensor = v.message(2)?.message(1);
  const dims = (tensor?.message(2)?.messages(1) ?? []).map((d) => d.int(1) ?? d.string(2));
  return [v.string(1), tensor?.int(1), dims];
}

function sampleGraph(): { g: c.GraphBuilder; outputs: c.OnnxOutput[] } {
  const g = new c.GraphBuilder();
  const x = g.input('x', ['B', 3]);
  const w = g.input('w', [3, 2]);
  const y = c.reshape(c.gemm(x, w, { alpha: 0.5, transB: false }), [0, -1]);
  const flags = c.cast(c.greater(y, 0), 'float64');
  return { g, outputs: [{ name: 'y', value: c.add(y, 1) }, { name: 'flags', value: flags }, { name: 'x_again', value: x }] };
}

test('model header: IR version, producer, opset 17 of the default domain', () => {
  const { g, outputs } = sampleGraph();
  const { model, graph } = decode(c.toOnnx(g, outputs, { name: 'sample' }));
  const opset = model.messages(8);
  assert.deepEqual(
    [model.int(1), model.string(2), opset.map((o) => [o.string(1), o.int(2)]), graph.string(2)],
    [8, 'minima', [['', 17]], 'sample'],
  );
});

test('inputs and outputs keep their names, types and symbolic dims', () => {
  const { g, outputs } = sampleGraph();
  const { graph } = decode(c.toOnnx(g, outputs, { name: 'sample' }));
  assert.deepEqual(graph.messages(11).map(valueInfo), [
    ['x', 11, ['B', 3]],
    ['w', 11, [3, 2]],
  ]);
  assert.deepEqual(graph.messages(12).map(valueInfo), [
    ['y', 11, ['B', 2]],
    ['flags', 11, ['B', 2]],
    ['x_again', 11, ['B', 3]],
  ]);
});

test('float32 mode writes float values, constants and Cast targets as float32', () => {
  const { g, outputs } = sampleGraph();
  const { graph, nodes } = decode(c.toOnnx(g, outputs, { name: 'sample', dtype: 'float32' }));
  assert.deepEqual(graph.messages(11).map((v) => valueInfo(v)[1]), [1, 1]);
  const floatInits = graph.messages(5).filter((t) => t.int(2) !== 7);
  assert.ok(floatInits.length > 0);
  for (const t of floatInits) assert.deepEqual([t.int(2), t.bytes(9)?.length], [1, 4], `initializer ${t.string(8)}`);
  const castTo = nodes.find((n) => n.string(4) === 'Cast')?.messages(5).find((a) => a.string(1) === 'to');
  assert.deepEqual([castTo?.int(20), castTo?.int(3)], [2, 1]);
});

test('nodes: op types in order, attributes typed by the op schema, int64 initializers for Reshape', () => {
  const { g, outputs } = sampleGraph();
  // As built: the Reshape here keeps the shape, which compiler/optimize would remove.
  const { graph, nodes } = decode(c.toOnnx(g, outputs, { name: 'sample', optimize: false }));
  assert.deepEqual(nodes.map((n) => n.string(4)), ['Gemm', 'Reshape', 'Greater', 'Cast', 'Add', 'Identity']);
  const gemmAttrs = Object.fromEntries((nodes[0]?.messages(5) ?? []).map((a) => [a.string(1), [a.int(20), a.float(2) ?? a.int(3)]]));
  // AttributeType FLOAT = 1 (value in f), INT = 2 (value in i).
  assert.deepEqual(gemmAttrs, { alpha: [1, 0.5], beta: [1, 1], transA: [2, 0], transB: [2, 0] });
  const shapeName = nodes[1]?.strings(1)[1];
  const shape = graph.messages(5).find((t) => t.string(8) === shapeName);
  assert.ok(shape, 'the Reshape target is an initializer');
  const raw = shape.bytes(9) ?? new Uint8Array();
  assert.deepEqual([shape.int(2), shape.packedInts(1), [...new BigInt64Array(raw.slice().buffer)]], [7, [2], [0n, -1n]]);
  // The graph output y is the Add node's own output; x_again needs an Identity.
  assert.deepEqual(nodes[4]?.strings(2), ['y']);
  assert.deepEqual([nodes[5]?.strings(1), nodes[5]?.strings(2)], [['x'], ['x_again']]);
});

test('value names are unique even when an input is named like a generated name', () => {
  const g = new c.GraphBuilder();
  const x = g.input('Relu_1', [2]);
  const bytes = c.toOnnx(g, [{ name: 'out', value: c.relu(c.relu(x)) }], { name: 'names' });
  const { graph, nodes } = decode(bytes);
  const produced = nodes.flatMap((n) => n.strings(2));
  const all = [...graph.messages(11).map((v) => v.string(1)), ...graph.messages(5).map((t) => t.string(8)), ...produced];
  assert.equal(new Set(all).size, all.length, all.join(' '));
});

const FAILURES: readonly { name: string; build: () => { g: c.GraphBuilder; outputs: c.OnnxOutput[] }; error: RegExp }[] = [
  {
    name: 'an op without emitOnnx is named',
    build: () => {
      const g = new c.GraphBuilder();
      const op: c.OpDef = { name: 'Mystery', attrTypes: {}, inferShape: ([x]) => (x ? [x] : c.shapeError('Mystery', 'no input')), evaluate: (xs) => xs };
      return { g, outputs: [{ name: 'y', value: g.apply1(op, [g.input('x', [1])]) }] };
    },
    error: /op Mystery has no ONNX emission/,
  },
  {
    name: 'an output named like an input',
    build: () => {
      const g = new c.GraphBuilder();
      const x = g.input('x', [1]);
      return { g, outputs: [{ name: 'x', value: c.neg(x) }] };
    },
    error: /the name x is used twice/,
  },
  {
    name: 'a graph with shape errors',
    build: () => {
      const g = new c.GraphBuilder();
      return { g, outputs: [{ name: 'y', value: c.add(g.input('a', [2]), g.input('b', [3])) }] };
    },
    error: /shape errors/,
  },
  {
    name: 'an attribute that does not fit its declared type',
    build: () => {
      const g = new c.GraphBuilder();
      const [a, b] = [g.input('a', [2], 'int64'), g.input('b', [2], 'int64')];
      return { g, outputs: [{ name: 'y', value: g.apply1(c.Mod, [a, b], { fmod: 0.5 }) }] };
    },
    error: /Mod\.fmod = 0\.5 does not fit its declared type int/,
  },
];

for (const f of FAILURES) {
  test(`toOnnx refuses ${f.name}`, () => {
    const { g, outputs } = f.build();
    assert.throws(() => c.toOnnx(g, outputs, { name: 'bad' }), f.error);
  });
}

test('every op in OPS can be emitted', () => {
  assert.deepEqual([...c.OPS.values()].filter((op) => op.emitOnnx === undefined).map((op) => op.name), []);
});

// decodeOnnxModel: reads the ModelProto subset that an imported feed-forward model needs (graph
// inputs and outputs with their shapes, initializers, nodes with attributes, opset imports) from
// protobuf bytes. Malformed bytes are a value, never a throw: the file comes from outside.
// Field numbers are those of onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto),
// each cited next to its use; the wire format is https://protobuf.dev/programming-guides/encoding/.

import type { Dim } from '../ir';

/** TensorProto.DataType, by name where Minima can use it; any other code is kept as a number. */
export type OnnxElemType = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | number;

export interface OnnxTensor {
  readonly name: string;
  readonly type: OnnxElemType;
  readonly dims: readonly number[];
  /** Element values (int64 exact below 2^53); empty when `type` is not one we read. */
  readonly data: Float64Array;
}

export type OnnxAttribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor }
  /** Graphs, sparse tensors, lists of strings…: kept only by their AttributeType number. */
  | { readonly kind: 'other'; readonly type: number };

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** '' (or 'ai.onnx') is the standard operator set. */
  readonly domain: string;
  /** '' marks a missing optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, OnnxAttribute>;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxElemType | undefined;
  /** undefined when the shape is not declared; a string dim is a dim_param, '?' an unnamed one. */
  readonly dims: readonly Dim[] | undefined;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  /** The default-domain opset version (0 when not declared). */
  readonly opset: number;
  readonly graph: OnnxGraph;
}

export type DecodeResult = { readonly ok: true; readonly model: OnnxModel } | { readonly ok: false; readonly message: string };

export function decodeOnnxModel(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, model: readModel(Fields.parse(bytes)) };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, message: e.message };
    throw e;
  }
}

/**
 * ModelProto.producer_name (field 2) of a model's first bytes, or undefined when they hold none or
 * are not a model. Only the top-level fields before the graph are read, so a prefix of a large
 * file is enough: Minima writes ir_version and producer_name first (proto.ts `encodeModel`).
 */
export function onnxProducerName(bytes: Uint8Array): string | undefined {
  const r = { pos: 0 };
  try {
    while (r.pos < bytes.length) {
      const tag = readVarint(bytes, r);
      const field = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field === 0) return undefined;
      if (wire === 0) readVarint(bytes, r);
      else if (wire === 1 || wire === 5) take(bytes, r, wire === 1 ? 8 : 4);
      else if (wire === 2) {
        const value = take(bytes, r, Number(readVarint(bytes, r)));
        if (field === 2) return UTF8.decode(value);
      } else return undefined;
    }
  } catch {
    // Truncated, not UTF-8 or not protobuf at all: no producer name to read.
  }
  return undefined;
}

/** TensorProto.DataType codes (onnx.proto `enum DataType`). */
const ELEM_TYPES: ReadonlyMap<number, OnnxElemType> = new Map([
  [1, 'float32'],
  [2, 'uint8'],
  [3, 'int8'],
  [6, 'int32'],
  [7, 'int64'],
  [9, 'bool'],
  [11, 'float64'],
]);

/** AttributeProto.AttributeType codes (onnx.proto `enum AttributeType`). */
const ATTR = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

class DecodeError extends Error {}

function readModel(m: Fields): OnnxModel {
  const graph = m.message(7); // ModelProto.graph = 7
  if (graph === undefined) throw new DecodeError('the bytes are not an ONNX model: there is no graph');
  // ModelProto.opset_import = 8; OperatorSetIdProto.domain = 1, version = 2
  const opset = m.messages(8).find((o) => ['', 'ai.onnx'].includes(o.string(1) ?? ''))?.int(2) ?? 0;
  return { irVersion: m.int(1) ?? 0, opset, graph: readGraph(graph) }; // ModelProto.ir_version = 1
}

function readGraph(g: Fields): OnnxGraph {
  return {
    name: g.string(2) ?? '', // GraphProto.name = 2
    nodes: g.messages(1).map(readNode), // GraphProto.node = 1
    initializers: g.messages(5).map(readTensor), // GraphProto.initializer = 5
    inputs: g.messages(11).map(readValueInfo), // GraphProto.input = 11
    outputs: g.messages(12).map(readValueInfo), // GraphProto.output = 12
  };
}

function readNode(n: Fields): OnnxNode {
  const attrs = new Map<string, OnnxAttribute>();
  for (const a of n.messages(5)) attrs.set(a.string(1) ?? '', readAttribute(a)); // NodeProto.attribute = 5; AttributeProto.name = 1
  return {
    inputs: n.strings(1), // NodeProto.input = 1
    outputs: n.strings(2), // NodeProto.output = 2
    name: n.string(3) ?? '', // NodeProto.name = 3
    opType: n.string(4) ?? '', // NodeProto.op_type = 4
    domain: n.string(7) ?? '', // NodeProto.domain = 7
    attrs,
  };
}

function readAttribute(a: Fields): OnnxAttribute {
  // AttributeProto.type = 20; files from before IR version 2 may leave it out, so infer it then.
  const declared = a.int(20);
  const type = declared ?? (a.has(2) ? ATTR.float : a.has(3) ? ATTR.int : a.has(4) ? ATTR.string : a.has(5) ? ATTR.tensor : a.has(7) ? ATTR.floats : a.has(8) ? ATTR.ints : 0);
  switch (type) {
    case ATTR.float:
      return { kind: 'float', value: a.floats(2)[0] ?? 0 }; // AttributeProto.f = 2
    case ATTR.int:
      return { kind: 'int', value: a.int(3) ?? 0 }; // AttributeProto.i = 3
    case ATTR.string:
      return { kind: 'string', value: a.string(4) ?? '' }; // AttributeProto.s = 4
    case ATTR.tensor: {
      const t = a.message(5); // AttributeProto.t = 5
      if (t === undefined) throw new DecodeError(`attribute ${a.string(1) ?? ''} declares a tensor but has none`);
      return { kind: 'tensor', value: readTensor(t) };
    }
    case ATTR.floats:
      return { kind: 'floats', value: a.floats(7) }; // AttributeProto.floats = 7
    case ATTR.ints:
      return { kind: 'ints', value: a.ints(8) }; // AttributeProto.ints = 8
    default:
      return { kind: 'other', type };
  }
}

function readTensor(t: Fields): OnnxTensor {
  const name = t.string(8) ?? ''; // TensorProto.name = 8
  const dims = t.ints(1); // TensorProto.dims = 1
  const code = t.int(2) ?? 0; // TensorProto.data_type = 2
  const type = ELEM_TYPES.get(code) ?? code;
  // TensorProto.data_location = 14 (1 = EXTERNAL): the values live in another file.
  if (t.int(14) === 1) throw new DecodeError(`tensor ${name} keeps its data in an external file, which Minima cannot read; save the model with the weights inside`);
  const count = dims.reduce((a, b) => a * b, 1);
  const data = typeof type === 'number' ? new Float64Array() : tensorData(t, type);
  if (typeof type !== 'number' && data.length !== count) {
    throw new DecodeError(`tensor ${name} has ${data.length} values for dims [${dims.join(',')}]`);
  }
  return { name, type, dims, data };
}

function tensorData(t: Fields, type: Exclude<OnnxElemType, number>): Float64Array {
  const raw = t.bytes(9); // TensorProto.raw_data = 9 (little-endian)
  if (raw !== undefined) {
    const width = type === 'bool' || type === 'int8' || type === 'uint8' ? 1 : type === 'float32' || type === 'int32' ? 4 : 8;
    if (raw.length % width !== 0) throw new DecodeError(`tensor ${t.string(8) ?? ''}: raw_data of ${raw.length} bytes is not a whole number of ${type} values`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float64Array.from({ length: raw.length / width }, (_, i) => {
      switch (type) {
        case 'float32':
          return view.getFloat32(i * 4, true);
        case 'float64':
          return view.getFloat64(i * 8, true);
        case 'int32':
          return view.getInt32(i * 4, true);
        case 'int8':
          return view.getInt8(i);
        case 'uint8':
          return view.getUint8(i);
        case 'int64':
          return Number(view.getBigInt64(i * 8, true));
        case 'bool':
          return view.getUint8(i) !== 0 ? 1 : 0;
      }
    });
  }
  switch (type) {
    case 'float32':
      return Float64Array.from(t.floats(4)); // TensorProto.float_data = 4
    case 'float64':
      return Float64Array.from(t.doubles(10)); // TensorProto.double_data = 10
    case 'int64':
      return Float64Array.from(t.ints(7)); // TensorProto.int64_data = 7
    case 'int32':
    case 'int8':
    case 'uint8':
    case 'bool':
      return Float64Array.from(t.ints(5)); // TensorProto.int32_data = 5 (also holds bools and 8-bit integers)
  }
}

function readValueInfo(v: Fields): OnnxValueInfo {
  // ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1; Tensor.elem_type = 1, shape = 2
  const tensorType = v.message(2)?.message(1);
  const code = tensorType?.int(1);
  const shape = tensorType?.message(2);
  // TensorShapeProto.dim = 1; Dimension.dim_value = 1, dim_param = 2
  const dims = shape?.messages(1).map((d): Dim => d.int(1) ?? d.string(2) ?? '?');
  return { name: v.string(1) ?? '', type: code === undefined ? undefined : (ELEM_TYPES.get(code) ?? code), dims };
}

type WireValue =
  | { readonly wire: 0; readonly value: bigint }
  | { readonly wire: 1 | 2 | 5; readonly value: Uint8Array };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** One message's fields by number, in wire order; sub-messages are parsed when asked for. */
class Fields {
  private constructor(private readonly fields: ReadonlyMap<number, readonly WireValue[]>) {}

  static parse(bytes: Uint8Array): Fields {
    const fields = new Map<number, WireValue[]>();
    const r = { pos: 0 };
    while (r.pos < bytes.length) {
      const tag = readVarint(bytes, r);
      const field = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field === 0) throw new DecodeError(`the bytes are not an ONNX model: field number 0 at byte ${r.pos}`);
      let v: WireValue;
      if (wire === 0) v = { wire, value: readVarint(bytes, r) };
      else if (wire === 1 || wire === 5) v = { wire, value: take(bytes, r, wire === 1 ? 8 : 4) };
      else if (wire === 2) v = { wire, value: take(bytes, r, Number(readVarint(bytes, r))) };
      else throw new DecodeError(`the bytes are not an ONNX model: wire type ${wire} at byte ${r.pos}`);
      const list = fields.get(field);
      if (list) list.push(v);
      else fields.set(field, [v]);
    }
    return new Fields(fields);
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  int(field: number): number | undefined {
    return this.ints(field)[0];
  }

  /** A repeated (packed or not) or single varint field, as signed 64-bit values. */
  ints(field: number): number[] {
    return this.all(field).flatMap((v) => {
      if (v.wire === 0) return [toInt(v.value)];
      if (v.wire !== 2) throw this.wrongWire(field);
      const out: number[] = [];
      const r = { pos: 0 };
      while (r.pos < v.value.length) out.push(toInt(readVarint(v.value, r)));
      return out;
    });
  }

  /** A repeated (packed or not) or single `float` field. */
  floats(field: number): number[] {
    return this.fixed(field, 5, 4, (d, at) => d.getFloat32(at, true));
  }

  /** A repeated (packed or not) `double` field. */
  doubles(field: number): number[] {
    return this.fixed(field, 1, 8, (d, at) => d.getFloat64(at, true));
  }

  string(field: number): string | undefined {
    return this.strings(field)[0];
  }

  strings(field: number): string[] {
    return this.all(field).map((v) => {
      if (v.wire !== 2) throw this.wrongWire(field);
      try {
        return UTF8.decode(v.value);
      } catch {
        throw new DecodeError(`the bytes are not an ONNX model: field ${field} is not UTF-8 text`);
      }
    });
  }

  bytes(field: number): Uint8Array | undefined {
    const v = this.all(field)[0];
    if (v !== undefined && v.wire !== 2) throw this.wrongWire(field);
    return v?.value;
  }

  message(field: number): Fields | undefined {
    return this.messages(field)[0];
  }

  messages(field: number): Fields[] {
    return this.all(field).map((v) => {
      if (v.wire !== 2) throw this.wrongWire(field);
      return Fields.parse(v.value);
    });
  }

  private all(field: number): readonly WireValue[] {
    return this.fields.get(field) ?? [];
  }

  private fixed(field: number, wire: 1 | 5, width: number, read: (d: DataView, at: number) => number): number[] {
    return this.all(field).flatMap((v) => {
      if (v.wire !== wire && v.wire !== 2) throw this.wrongWire(field);
      if (v.value.length % width !== 0) throw new DecodeError(`the bytes are not an ONNX model: packed field ${field} has ${v.value.length} bytes`);
      const d = new DataView(v.value.buffer, v.value.byteOffset, v.value.byteLength);
      return Array.from({ length: v.value.length / width }, (_, i) => read(d, i * width));
    });
  }

  private wrongWire(field: number): DecodeError {
    return new DecodeError(`the bytes are not an ONNX model: field ${field} has an unexpected wire type`);
  }
}

function take(bytes: Uint8Array, r: { pos: number }, n: number): Uint8Array {
  if (r.pos + n > bytes.length) throw new DecodeError(`the ONNX file is truncated or corrupt: a field of ${n} bytes at byte ${r.pos} runs past the end (${bytes.length} bytes)`);
  const out = bytes.subarray(r.pos, r.pos + n);
  r.pos += n;
  return out;
}

function readVarint(bytes: Uint8Array, r: { pos: number }): bigint {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const b = bytes[r.pos++];
    if (b === undefined) throw new DecodeError('the ONNX file is truncated or corrupt: it ends inside a number');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
  }
  throw new DecodeError('the bytes are not an ONNX model: a number is longer than ten bytes');
}

/** A varint as a signed int64, as a JS number (exact below 2^53; INT64_MAX rounds, which callers clamp). */
function toInt(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

// The subset of onnx.proto (IR version 8) that Minima writes, as plain data plus encoders.
// Field numbers are those of onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto);
// each is cited next to its use. Fields we never set (doc strings, sparse tensors…) are omitted.

import type { Dim, DType, OnnxAttr } from '../ir';
import { ProtoWriter } from './protobuf';

/**
 * How an initializer's elements are stored: the IR's dtypes, plus the 8-bit integers that only
 * initializers use (quantized weights and zero points; the IR computes in float, see
 * compiler/compress/qdq.ts).
 */
export type StorageDType = DType | 'int8' | 'uint8';

/** TensorProto.DataType values (onnx.proto `enum DataType`). */
export const ONNX_DTYPE: Readonly<Record<StorageDType, number>> = { float32: 1, uint8: 2, int8: 3, int64: 7, bool: 9, float64: 11 };

/** AttributeProto.AttributeType values (onnx.proto `enum AttributeType`). */
const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

export interface TensorMsg {
  readonly name: string;
  readonly dtype: StorageDType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (TensorProto.raw_data). */
  readonly raw: Uint8Array;
}

export interface NodeMsg {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, OnnxAttr>>;
}

export interface ValueInfoMsg {
  readonly name: string;
  readonly dtype: DType;
  /** A number is a dim_value, a string a dim_param (the symbolic batch dim). */
  readonly dims: readonly Dim[];
}

export interface GraphMsg {
  readonly name: string;
  readonly nodes: readonly NodeMsg[];
  readonly initializers: readonly TensorMsg[];
  readonly inputs: readonly ValueInfoMsg[];
  readonly outputs: readonly ValueInfoMsg[];
  readonly valueInfo: readonly ValueInfoMsg[];
}

export interface ModelMsg {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly graph: GraphMsg;
}

export function encodeModel(m: ModelMsg): Uint8Array {
  const w = new ProtoWriter();
  w.varintField(1, m.irVersion); // ModelProto.ir_version = 1
  w.stringField(2, m.producerName); // ModelProto.producer_name = 2
  w.messageField(7, encodeGraph(m.graph)); // ModelProto.graph = 7
  // ModelProto.opset_import = 8; OperatorSetIdProto.domain = 1 ('' is the default ONNX domain), version = 2
  w.messageField(8, new ProtoWriter().stringField(1, '').varintField(2, m.opset));
  return w.finish();
}

function encodeGraph(g: GraphMsg): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.messageField(1, encodeNode(n)); // GraphProto.node = 1
  w.stringField(2, g.name); // GraphProto.name = 2
  for (const t of g.initializers) w.messageField(5, encodeTensor(t)); // GraphProto.initializer = 5
  for (const v of g.inputs) w.messageField(11, encodeValueInfo(v)); // GraphProto.input = 11
  for (const v of g.outputs) w.messageField(12, encodeValueInfo(v)); // GraphProto.output = 12
  for (const v of g.valueInfo) w.messageField(13, encodeValueInfo(v)); // GraphProto.value_info = 13
  return w;
}

function encodeNode(n: NodeMsg): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.stringField(1, i); // NodeProto.input = 1
  for (const o of n.outputs) w.stringField(2, o); // NodeProto.output = 2
  w.stringField(3, n.name); // NodeProto.name = 3
  w.stringField(4, n.opType); // NodeProto.op_type = 4
  for (const [name, a] of Object.entries(n.attrs)) w.messageField(5, encodeAttr(name, a)); // NodeProto.attribute = 5
  return w;
}

function encodeAttr(name: string, a: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter();
  w.stringField(1, name); // AttributeProto.name = 1
  w.varintField(20, ATTR_TYPE[a.type]); // AttributeProto.type = 20
  switch (a.type) {
    case 'float':
      return w.floatField(2, a.value); // AttributeProto.f = 2
    case 'int':
      return w.varintField(3, a.value); // AttributeProto.i = 3
    case 'string':
      return w.stringField(4, a.value); // AttributeProto.s = 4 (bytes)
    case 'floats':
      return w.packedFloats(7, a.value); // AttributeProto.floats = 7
    case 'ints':
      return w.packedVarints(8, a.value); // AttributeProto.ints = 8
  }
}

function encodeTensor(t: TensorMsg): ProtoWriter {
  const w = new ProtoWriter();
  w.packedVarints(1, t.dims); // TensorProto.dims = 1
  w.varintField(2, ONNX_DTYPE[t.dtype]); // TensorProto.data_type = 2
  w.stringField(8, t.name); // TensorProto.name = 8
  w.bytesField(9, t.raw); // TensorProto.raw_data = 9
  return w;
}

function encodeValueInfo(v: ValueInfoMsg): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    // TensorShapeProto.dim = 1; Dimension.dim_value = 1, dim_param = 2
    const dim = typeof d === 'number' ? new ProtoWriter().varintField(1, d) : new ProtoWriter().stringField(2, d);
    shape.messageField(1, dim);
  }
  // TypeProto.Tensor.elem_type = 1, shape = 2 (a present, empty shape means a scalar)
  const tensorType = new ProtoWriter().varintField(1, ONNX_DTYPE[v.dtype]).messageField(2, shape);
  const type = new ProtoWriter().messageField(1, tensorType); // TypeProto.tensor_type = 1
  return new ProtoWriter().stringField(1, v.name).messageField(2, type); // ValueInfoProto.name = 1, type = 2
}

/** Little-endian bytes of `values` as `dtype` (bool as one byte each, int64 exact below 2^53, int8/uint8 must be integers in range). */
export function tensorBytes(dtype: StorageDType, values: ArrayLike<number>): Uint8Array {
  const width = dtype === 'bool' || dtype === 'int8' || dtype === 'uint8' ? 1 : dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (dtype === 'int8' || dtype === 'uint8') {
      // A value that does not fit is a bug upstream (a code off the grid): fail rather than wrap.
      const [lo, hi] = dtype === 'int8' ? [-128, 127] : [0, 255];
      if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`tensorBytes: ${v} is not a ${dtype}`);
      if (dtype === 'int8') view.setInt8(i, v);
      else view.setUint8(i, v);
    } else if (dtype === 'float32') view.setFloat32(i * 4, v, true);
    else if (dtype === 'float64') view.setFloat64(i * 8, v, true);
    else if (dtype === 'int64') view.setBigInt64(i * 8, BigInt(v), true);
    else out[i] = v !== 0 ? 1 : 0;
  }
  return out;
}

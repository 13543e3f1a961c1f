// Quantization in the exported model as standard ONNX (opset 17) QDQ, per channel or per tensor:
//   DequantizeWeight: codes q (an int8/uint8 initializer) → DequantizeLinear → s·(q − z)
//   QuantDequant:     x → QuantizeLinear → DequantizeLinear → s·(clamp(round(x/s) + z, q_min, q_max) − z)
// The IR computes in float only, so codes and zero points are integer-valued float constants
// that the emission stores as int8 (symmetric) or uint8 (asymmetric) initializers
// (OnnxEmitter.packed): a quantized weight takes one byte per element in the file. QuantizeLinear
// saturates to the full 8-bit range; narrower grids (bits < 8) are clipped first, so the values
// stay on the b-bit grid (per tensor only: ONNX Clip takes scalar bounds, and activations, the
// only inputs quantized on the fly, have one scale). Both ops are export-only: no gradient flows through them.

import { type Attrs, type OnnxEmitter, type OpDef, type Node, type TypedShape, type Value, intAttr, shapeError } from '../ir';
import type { Tensor } from '../tensor';

/** Storage of codes and zero points: int8 for symmetric grids, uint8 for asymmetric ones. */
export interface QdqOptions {
  readonly signed: boolean;
  /** The axis a 1-D scale runs along (per channel); ignored for a scalar scale. */
  readonly axis?: number;
}

/** Inputs: codes (integer-valued), scale [C] or [], zero point [C] or [] (integer-valued); all constants. */
export const DequantizeWeight: OpDef = {
  name: 'DequantizeWeight',
  attrTypes: { signed: 'int', axis: 'int' },
  inferShape: ([q, s, z]) => inferQdq('DequantizeWeight', q, s, z),
  backward: 'non-differentiable',
  evaluate: ([q, s, z], attrs) => {
    const [codes, scale, zero] = present('DequantizeWeight', q, s, z);
    return [mapChannels(codes, scale, zero, intAttr(attrs, 'axis', 0), (v, sc, zp) => sc * (v - zp))];
  },
  emitOnnx: (e, node) => {
    const storage = storageOf(node.attrs);
    e.node('DequantizeLinear', [e.packed(0, storage), e.input(1), e.packed(2, storage)], [e.output(0)], axisAttr(node));
  },
};

/** Inputs: x (float), scale [C] or [], zero point [C] or [] (integer-valued constants). Attributes: signed, axis, qmin, qmax. */
export const QuantDequant: OpDef = {
  name: 'QuantDequant',
  attrTypes: { signed: 'int', axis: 'int', qmin: 'int', qmax: 'int' },
  inferShape: ([x, s, z]) => inferQdq('QuantDequant', x, s, z),
  backward: 'non-differentiable',
  evaluate: ([x, s, z], attrs) => {
    const [v, scale, zero] = present('QuantDequant', x, s, z);
    const [qmin, qmax] = gridOf(attrs);
    return [mapChannels(v, scale, zero, intAttr(attrs, 'axis', 0), (a, sc, zp) => sc * (Math.min(qmax, Math.max(qmin, roundHalfEven(a / sc) + zp)) - zp))];
  },
  emitOnnx: (e, node) => emitQuantDequant(e, node),
};

/** s·(q − z): a weight stored as 8-bit codes. */
export function dequantizeWeight(codes: Value, scale: Value, zeroPoint: Value, o: QdqOptions): Value {
  return codes.graph.apply1(DequantizeWeight, [codes, scale, zeroPoint], { signed: o.signed ? 1 : 0, axis: o.axis ?? 0 });
}

/** x on the grid [q_min, q_max] (within the 8-bit range of `signed`) and back. */
export function quantDequant(x: Value, scale: Value, zeroPoint: Value, o: QdqOptions & { readonly qmin: number; readonly qmax: number }): Value {
  return x.graph.apply1(QuantDequant, [x, scale, zeroPoint], { signed: o.signed ? 1 : 0, axis: o.axis ?? 0, qmin: o.qmin, qmax: o.qmax });
}

/** Round half to even, as ONNX QuantizeLinear does. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const FULL: Readonly<Record<'signed' | 'unsigned', readonly [number, number]>> = { signed: [-128, 127], unsigned: [0, 255] };

function emitQuantDequant(e: OnnxEmitter, node: Node): void {
  const storage = storageOf(node.attrs);
  const [qmin, qmax] = gridOf(node.attrs);
  const full = FULL[storage === 'int8' ? 'signed' : 'unsigned'];
  let x = e.input(0);
  if (qmin > full[0] || qmax < full[1]) {
    // QuantizeLinear saturates at the 8-bit limits only: clip to the b-bit range first. The bounds
    // are computed on the host, so they need a constant scale and zero point of one value each.
    const s = constantData(node, 1);
    const z = constantData(node, 2);
    if (s.length !== 1 || z.length !== 1) throw new Error('QuantDequant: a grid narrower than 8 bits needs one scale and zero point');
    const clipped = e.temp('clipped');
    const dtype = e.dtypeOf(node.inputs[0] as Value);
    e.node('Clip', [x, e.scalar((s[0] ?? 1) * (qmin - (z[0] ?? 0)), dtype), e.scalar((s[0] ?? 1) * (qmax - (z[0] ?? 0)), dtype)], [clipped]);
    x = clipped;
  }
  const zp = e.packed(2, storage);
  const q = e.temp('quantized');
  e.node('QuantizeLinear', [x, e.input(1), zp], [q], axisAttr(node));
  e.node('DequantizeLinear', [q, e.input(1), zp], [e.output(0)], axisAttr(node));
}

function inferQdq(op: string, x: TypedShape | undefined, s: TypedShape | undefined, z: TypedShape | undefined): readonly TypedShape[] | ReturnType<typeof shapeError> {
  if (x === undefined || s === undefined || z === undefined) return shapeError(op, 'needs a value, a scale and a zero point');
  if (s.shape.length > 1 || z.shape.length !== s.shape.length) return shapeError(op, 'scale and zero point must both be scalars or both 1-D');
  return [{ shape: x.shape, dtype: x.dtype }];
}

function present(op: string, x: Tensor | undefined, s: Tensor | undefined, z: Tensor | undefined): [Tensor, Tensor, Tensor] {
  if (x === undefined || s === undefined || z === undefined) throw new Error(`${op}: missing input`);
  return [x, s, z];
}

/** f(x, s_c, z_c) elementwise, with c the index along `axis` for a 1-D scale (one channel otherwise). */
function mapChannels(x: Tensor, s: Tensor, z: Tensor, axis: number, f: (v: number, sc: number, zp: number) => number): Tensor {
  const perChannel = s.shape.length === 1;
  const inner = perChannel ? x.shape.slice(axis + 1).reduce((a, b) => a * b, 1) : 1;
  const channels = perChannel ? (x.shape[axis] ?? 1) : 1;
  const data = x.data.map((v, i) => {
    const c = perChannel ? Math.floor(i / inner) % channels : 0;
    return f(v, s.data[c] ?? 1, z.data[c] ?? 0);
  });
  return { dtype: x.dtype, shape: [...x.shape], data };
}

function storageOf(attrs: Attrs): 'int8' | 'uint8' {
  return intAttr(attrs, 'signed', 1) === 0 ? 'uint8' : 'int8';
}

function gridOf(attrs: Attrs): [number, number] {
  const full = FULL[storageOf(attrs) === 'int8' ? 'signed' : 'unsigned'];
  return [intAttr(attrs, 'qmin', full[0]), intAttr(attrs, 'qmax', full[1])];
}

function axisAttr(node: Node): { axis: { type: 'int'; value: number } } | undefined {
  return (node.inputs[1]?.shape.length ?? 0) > 0 ? { axis: { type: 'int', value: intAttr(node.attrs, 'axis', 0) } } : undefined;
}

function constantData(node: Node, i: number): Float64Array {
  const v = node.inputs[i];
  if (v === undefined || v.source.kind !== 'constant') throw new Error(`${node.op.name}: input ${i} must be a constant`);
  return v.source.tensor.data;
}

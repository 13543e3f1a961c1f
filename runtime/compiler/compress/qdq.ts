// Weight quantization in the exported model as standard ONNX QDQ: W → QuantizeLinear →
// DequantizeLinear, per channel (axis 0) or per tensor, so any ONNX runtime loads it and can fuse
// the pair into integer kernels. The IR has no int8 dtype, so the op is one IR node (like
// stop-gradient.ts) whose emission casts the float zero point to int8 (symmetric) or uint8
// (asymmetric). NOTE: the weights stay float32 initializers (already on the quantization grid),
// so the file is not smaller; writing int8 initializers needs an int8 dtype in the serializer.

import { type OpDef, type Value, shapeError } from '../ir';
import { tensor } from '../tensor';

const ONNX_INT8 = 3;
const ONNX_UINT8 = 2;

/** Inputs: the float weight, scale [C] or [], zero point [C] or [] (float, integer-valued). Attribute `signed`: 1 → int8, 0 → uint8. */
export const WeightQDQ: OpDef = {
  name: 'WeightQDQ',
  attrTypes: { signed: 'int' },
  inferShape: ([w, s, z]) => (w === undefined || s === undefined || z === undefined ? shapeError('WeightQDQ', 'needs weight, scale and zero point') : [{ shape: w.shape, dtype: w.dtype }]),
  backward: 'non-differentiable',
  evaluate: ([w, s, z], attrs) => {
    if (w === undefined || s === undefined || z === undefined) throw new Error('WeightQDQ: missing input');
    const [qmin, qmax] = attrs['signed'] === 0 ? [0, 255] : [-128, 127];
    const channels = s.data.length;
    const size = w.data.length / channels;
    const out = w.data.map((x, i) => {
      const c = Math.floor(i / size);
      const sc = s.data[c] ?? 1;
      const zp = z.data[c] ?? 0;
      const r = Math.round(x / sc);
      const even = Math.abs((x / sc) % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
      return sc * (Math.min(qmax, Math.max(qmin, even + zp)) - zp);
    });
    return [tensor(w.shape, out, w.dtype)];
  },
  emitOnnx: (e, node) => {
    const to = node.attrs['signed'] === 0 ? ONNX_UINT8 : ONNX_INT8;
    const perChannel = (node.inputs[1]?.shape.length ?? 0) > 0;
    const axis = perChannel ? { axis: { type: 'int', value: 0 } as const } : undefined;
    const zp = e.temp('zero_point');
    const q = e.temp('quantized');
    e.node('Cast', [e.input(2)], [zp], { to: { type: 'int', value: to } });
    e.node('QuantizeLinear', [e.input(0), e.input(1), zp], [q], axis);
    e.node('DequantizeLinear', [q, e.input(1), zp], [e.output(0)], axis);
  },
};

export function weightQDQ(w: Value, scale: Value, zeroPoint: Value, signed: boolean): Value {
  return w.graph.apply1(WeightQDQ, [w, scale, zeroPoint], { signed: signed ? 1 : 0 });
}

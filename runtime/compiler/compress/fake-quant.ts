// Quantization-aware training in the train-step graph (catalog qat, A63): the forward pass sees the
// quantized-then-dequantized weight, the backward pass a clipped straight-through estimator.
//   v = W/s + z;  Q(W) = s·(clamp(round(v), q_min, q_max) − z);  m = 1[q_min ≤ v ≤ q_max]
//   Ŵ = W⊙m + stopGradient(Q(W) − W⊙m)        (value Q(W), gradient ∇Ŵ ⊙ m)
//   W̃ = W + gate·(Ŵ − W)                      (gate 0 before `from`: exactly W and its gradient)
// The scale s and zero point z are inputs, computed on the host from the current weights' min/max
// every step (engine/compress/qat.ts), so the export's QDQ parameters are the same function of
// the final weights. They are shaped [C, 1, …] (per output channel) or [] (per tensor) and
// broadcast. Under a sharpness-aware wrapper the perturbed pass quantizes W + e with W's scales.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { add, div, mul, sub } from '../ops/binary';
import { cast, clip, greater, less } from '../ops/compare';
import { round } from '../ops/unary';
import { stopGradient } from '../model/stop-gradient';

export interface FakeQuantInputs {
  readonly scale: Value;
  readonly zeroPoint: Value;
}

export interface QuantRange {
  readonly qmin: number;
  readonly qmax: number;
}

/** Graph input names of a quantized parameter's scale and zero point, and of the shared gate. */
export function qatInputNames(param: string): { readonly scale: string; readonly zeroPoint: string } {
  return { scale: `${param}.qat_scale`, zeroPoint: `${param}.qat_zero_point` };
}

export const QAT_GATE = 'qat_gate';

/** How far outside [q_min, q_max] (in quantization steps) a value still counts as inside for the STE. */
export const EDGE = 1e-3;

/** The scale/zero-point shape: [C, 1, …] per channel (dim 0), [] per tensor. */
export function qatParamShape(shape: readonly number[], perChannel: boolean): number[] {
  return perChannel ? [shape[0] ?? 1, ...shape.slice(1).map(() => 1)] : [];
}

export function fakeQuantInputs(g: GraphBuilder, param: string, shape: readonly number[], perChannel: boolean, dtype: DType): FakeQuantInputs {
  const names = qatInputNames(param);
  const s = qatParamShape(shape, perChannel);
  return { scale: g.input(names.scale, s, dtype), zeroPoint: g.input(names.zeroPoint, s, dtype) };
}

/** Q(W) with the clipped straight-through gradient. */
export function fakeQuantize(w: Value, q: FakeQuantInputs, range: QuantRange): Value {
  const v = add(div(w, q.scale), q.zeroPoint);
  const quantized = mul(sub(clip(round(v), range.qmin, range.qmax), q.zeroPoint), q.scale);
  // NOTE: a tolerance of 1e-3 steps, because min–max scales put the extreme weight exactly on
  // q_min or q_max, and float32 rounding of W/s must not cut that weight's gradient.
  const outside = add(cast(less(v, range.qmin - EDGE), w.dtype), cast(greater(v, range.qmax + EDGE), w.dtype));
  const inside = stopGradient(sub(1, outside));
  const passed = mul(w, inside);
  return add(passed, stopGradient(sub(quantized, passed)));
}

/** W + gate·(Q̂(W) − W): the gate (a scalar input, 0 or 1) switches fake quantization on. */
export function gatedFakeQuantize(w: Value, q: FakeQuantInputs, range: QuantRange, gate: Value): Value {
  return add(w, mul(gate, sub(fakeQuantize(w, q, range), w)));
}

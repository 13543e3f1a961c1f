// Learned step size quantization in the train-step graph (catalog qat(lsq), A63; Esser et al.,
// "Learned Step Size Quantization", ICLR 2020). The step size s of each quantizer is a trainable
// tensor: an input of the step with a `.next` output, updated by the recipe's optimizer.
//   s̃ = s·g + stopGradient(s − s·g)                 (value s, gradient scaled by g = 1/√(N·Q_p))
//   v = W/s̃ + z;  v̄ = clip(v, q_min, q_max);  r = v̄ + stopGradient(round(v̄) − v̄)
//   Ŵ = s̃·(r − z)
// so that, with z a fixed integer (0 when symmetric, as in the paper),
//   Ŵ = s·(clamp(round(W/s) + z, q_min, q_max) − z)
//   ∂Ŵ/∂W = 1 inside (q_min < v < q_max), 0 outside           (the clipped STE)
//   ∂Ŵ/∂s = g·(round(W/s) − W/s) inside, g·(q_min − z) or g·(q_max − z) outside   (LSQ eq. 3)
// This is the paper's own formulation (its grad_scale and round_pass functions). NOTE: the IR's Clip
// passes no gradient at exactly v = q_min or q_max (torch's clamp does); that set has measure zero
// for learned step sizes, unlike min–max scales, which put the extreme weight on the edge.
// N is the number of weights sharing one s (a channel's, or the tensor's), Q_p the number of
// positive levels (q_max − z; for a fixed asymmetric zero point the larger of q_max − z and z − q_min).
// z and g are fed by the engine (engine/compress/qat-lsq.ts), which also initializes s at `from`.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import type { ParamInfo } from '../model/types';
import { add, div, mul, sub } from '../ops/binary';
import { clip } from '../ops/compare';
import { reshape } from '../ops/reshape';
import { round } from '../ops/unary';
import { stopGradient } from '../model/stop-gradient';
import { qatInputNames, qatParamShape, type QuantRange } from './fake-quant';

/** The trainable step size as stored and updated: [C] per channel (dim 0), [] per tensor. */
export function lsqScaleShape(shape: readonly number[], perChannel: boolean): number[] {
  return perChannel ? [shape[0] ?? 1] : [];
}

/** Graph input names: the step size (shared with STE's scale input), zero point, gradient scale. */
export function lsqInputNames(param: string): { readonly scale: string; readonly zeroPoint: string; readonly gradScale: string } {
  return { ...qatInputNames(param), gradScale: `${param}.lsq_grad_scale` };
}

/** The 1-based count of steps since `from`: the step sizes' own optimizer step (bias corrections). */
export const LSQ_STEP = 'lsq_step';

/** A step size must stay positive; the clamp only acts when an update overshoots past zero. */
export const LSQ_MIN_SCALE = 1e-8;

export interface LsqInputs {
  /** s as trained, [C] or [] (what the optimizer updates). */
  readonly scale: Value;
  /** z, [C, 1, …] or [] (fixed; 0 when symmetric). */
  readonly zeroPoint: Value;
  /** g = 1/√(N·Q_p), shaped like `scale`. */
  readonly gradScale: Value;
  /** The weight's shape, for broadcasting s over each channel. */
  readonly broadcast: readonly number[];
}

export function lsqInputs(g: GraphBuilder, param: string, shape: readonly number[], perChannel: boolean, dtype: DType): LsqInputs {
  const names = lsqInputNames(param);
  const s = lsqScaleShape(shape, perChannel);
  const b = qatParamShape(shape, perChannel);
  return { scale: g.input(names.scale, s, dtype), zeroPoint: g.input(names.zeroPoint, b, dtype), gradScale: g.input(names.gradScale, s, dtype), broadcast: b };
}

/** x in the forward pass, its gradient times `scale` in the backward pass (LSQ's grad_scale). */
export function gradScale(x: Value, scale: Value): Value {
  const scaled = mul(x, scale);
  return add(stopGradient(sub(x, scaled)), scaled);
}

/** Ŵ with LSQ's gradients for W (clipped STE) and for s (see the header). */
export function lsqFakeQuantize(w: Value, q: LsqInputs, range: QuantRange): Value {
  const s = reshape(gradScale(q.scale, q.gradScale), q.broadcast);
  const v = add(div(w, s), q.zeroPoint);
  const clipped = clip(v, range.qmin, range.qmax);
  const rounded = add(clipped, stopGradient(sub(round(clipped), clipped)));
  return mul(sub(rounded, q.zeroPoint), s);
}

/** W + gate·(Ŵ − W): the gate (a scalar input, 0 or 1) switches fake quantization on at `from`. */
export function gatedLsqFakeQuantize(w: Value, q: LsqInputs, range: QuantRange, gate: Value): Value {
  return add(w, mul(gate, sub(lsqFakeQuantize(w, q, range), w)));
}

/** The step size as the optimizer sees it: 1-D like a bias, so matrix rules (Muon, AdamP's projection) leave it alone. */
export function lsqScaleInfo(param: ParamInfo, perChannel: boolean): ParamInfo {
  return { name: lsqInputNames(param.name).scale, layer: param.layer, role: 'bias', shape: lsqScaleShape(param.shape, perChannel), compressible: false, isNorm: false, init: { kind: 'ones' } };
}

/** s after the optimizer's update, kept positive. */
export function keepPositive(s: Value): Value {
  return clip(s, LSQ_MIN_SCALE, Infinity);
}

// Post-training quantization of the quantize block's layers (method ptq): the quantized weights the
// model is evaluated and exported with, and their 8-bit storage for the export. Activations are
// quantized too (ptq only, bits ≤ 8): their ranges come from the `calibrate` batches
// (activations.ts). QAT reuses applyPtq for its export (weights only).

import { isTechnique, num } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { compressTargets } from './targets';
import type { ParamInfo } from '../../compiler/model';
import type { ExportQuantization, Factor, FactoredWeight, QuantizedTensor } from '../../compiler/step';
import { quantParams, roundTrip, type QuantParams, type QuantSpec } from './quantize';

export interface PtqPlan {
  readonly targets: readonly number[];
  readonly spec: QuantSpec;
  /** Activation quantization of the targets' inputs over this many calibration batches (ptq at ≤ 8 bits). */
  readonly activations?: { readonly batches: number };
}

export function ptqPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[]): PtqPlan | undefined {
  const block = recipe.blocks['quantize'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'ptq') return undefined;
  const a = block.attrs;
  const cal = a['calibrate'];
  const range: QuantSpec['range'] = isTechnique(cal) && cal.name === 'percentile' ? { kind: 'percentile', p: num(cal.args['p']) ?? 99.99 } : isTechnique(cal) && cal.name === 'mse' ? { kind: 'mse' } : { kind: 'minmax' };
  const bits = num(a['bits']) ?? 8;
  return {
    targets: compressTargets(recipe, 'quantize', infos),
    spec: { bits, symmetric: a['symmetric'] !== false, perChannel: a['per_channel'] !== false, range },
    // Above 8 bits nothing is stored as integers (opset 17 has no wider QuantizeLinear).
    ...(bits <= 8 ? { activations: { batches: (isTechnique(cal) ? num(cal.args['batches']) : undefined) ?? 8 } } : {}),
  };
}

export interface PtqResult {
  /** All parameters, the targets replaced by Q(W) (float32 values exactly as the export dequantizes them). */
  readonly weights: Float32Array[];
  /** 8-bit export of the targets; empty above 8 bits (opset 17 has no int16 QuantizeLinear). */
  readonly exported: ReadonlyMap<number, ExportQuantization>;
  /** Bytes of all parameters with the targets at `bits` per weight (plus a float32 scale and zero point per channel). */
  readonly bytes: number;
}

export function applyPtq(plan: PtqPlan, infos: readonly ParamInfo[], params: readonly Float32Array[]): PtqResult {
  const weights = [...params];
  const exported = new Map<number, ExportQuantization>();
  let bits = 0;
  params.forEach((p, i) => (bits += plan.targets.includes(i) ? 0 : p.length * 32));
  for (const i of plan.targets) {
    const w = params[i] ?? new Float32Array();
    const q = storedParams(quantParams(w, infos[i]?.shape ?? [w.length], plan.spec));
    weights[i] = dequantized(w, q);
    bits += w.length * plan.spec.bits + q.scale.length * 64;
    if (plan.spec.bits <= 8) exported.set(i, { scale: q.scale, zeroPoint: q.zeroPoint, perChannel: q.perChannel, signed: plan.spec.symmetric });
  }
  return { weights, exported, bytes: Math.ceil(bits / 8) };
}

/** The 8-bit codes of on-grid weights w (channel = dim 0): q = clamp(round(w/s) + z). */
export function codesOf(w: ArrayLike<number>, q: ExportQuantization): QuantizedTensor {
  const channels = q.scale.length;
  const size = w.length / Math.max(1, channels);
  const [lo, hi] = q.signed ? [-128, 127] : [0, 255];
  const codes = new Int16Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const c = Math.floor(k / size);
    const s = q.scale[c] ?? 1;
    const z = q.zeroPoint[c] ?? 0;
    codes[k] = Math.min(hi, Math.max(lo, Math.round((w[k] ?? 0) / s) + z));
  }
  return { codes, scale: q.scale, zeroPoint: q.zeroPoint, perChannel: q.perChannel, signed: q.signed };
}

/**
 * Both factors of a factored weight quantized like a dense target (per channel = per row of each
 * factor): the codes for the export, and the factors' on-grid values.
 */
export function quantizeFactors(plan: PtqPlan, f: FactoredWeight): FactoredWeight {
  const one = (factor: Factor): Factor => {
    const q = storedParams(quantParams(factor.values, factor.shape, plan.spec));
    const values = dequantized(factor.values, q);
    return { shape: factor.shape, values, quantized: codesOf(values, { scale: q.scale, zeroPoint: q.zeroPoint, perChannel: q.perChannel, signed: plan.spec.symmetric }) };
  };
  return { ...f, first: one(f.first), second: one(f.second) };
}

/** The scales as the file stores them (float32), so the host's Q(W) is what DequantizeLinear computes. */
function storedParams(q: QuantParams): QuantParams {
  return { ...q, scale: q.scale.map((s) => Math.fround(s)) };
}

/** fround(s·(q − z)): DequantizeLinear's float32 result, one rounding of an exact product. */
function dequantized(w: ArrayLike<number>, q: QuantParams): Float32Array {
  const channels = q.scale.length;
  const size = w.length / channels;
  const out = new Float32Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const c = Math.floor(k / size);
    out[k] = roundTrip(w[k] ?? 0, q.scale[c] ?? 1, q.zeroPoint[c] ?? 0, q.qmin, q.qmax);
  }
  return out;
}

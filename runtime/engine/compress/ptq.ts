// Post-training weight quantization of the quantize block's layers (method ptq): the quantized
// weights the model is evaluated and exported with, and their QDQ description for the export.
// Weight-only: activations stay float (the calibration `batches` are not used).

import { isLayerRef, isList, isTechnique, num } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import type { ExportQuantization } from '../../compiler/step';
import { fakeQuantize, quantParams, type QuantSpec } from './quantize';

export interface PtqPlan {
  readonly targets: readonly number[];
  readonly spec: QuantSpec;
}

export function ptqPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[]): PtqPlan | undefined {
  const block = recipe.blocks['quantize'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'ptq') return undefined;
  const a = block.attrs;
  const layers = new Set(isList(a['layers']) ? a['layers'].filter(isLayerRef).map((r) => r.name) : []);
  const cal = a['calibrate'];
  const range: QuantSpec['range'] = isTechnique(cal) && cal.name === 'percentile' ? { kind: 'percentile', p: num(cal.args['p']) ?? 99.99 } : isTechnique(cal) && cal.name === 'mse' ? { kind: 'mse' } : { kind: 'minmax' };
  return {
    targets: infos.flatMap((p, i) => (p.compressible && layers.has(p.layer) ? [i] : [])),
    spec: { bits: num(a['bits']) ?? 8, symmetric: a['symmetric'] !== false, perChannel: a['per_channel'] !== false, range },
  };
}

export interface PtqResult {
  /** All parameters, the targets replaced by Q(W). */
  readonly weights: Float32Array[];
  /** QDQ export of the targets; empty above 8 bits (opset 17 has no int16 QuantizeLinear). */
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
    const q = quantParams(w, infos[i]?.shape ?? [w.length], plan.spec);
    weights[i] = fakeQuantize(w, q);
    bits += w.length * plan.spec.bits + q.scale.length * 64;
    if (plan.spec.bits <= 8) exported.set(i, { scale: q.scale, zeroPoint: q.zeroPoint, perChannel: q.perChannel, signed: plan.spec.symmetric });
  }
  return { weights, exported, bytes: Math.ceil(bits / 8) };
}

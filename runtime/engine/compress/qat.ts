// Quantization-aware training on the host side (catalog qat, A63): which weights are fake-quantized,
// from which step, and the scale/zero-point/gate inputs of the train step for the current weights.
// The scales are min–max (the quantize block's `calibrate` is for ptq) and are recomputed from the
// weights fed to each step, so the forward pass and the final QDQ export (applyPtq on the final
// weights, the same quantParams) use one definition. One graph serves the whole run: before
// `from` the gate input is 0 and the step computes with the float weights.

import { isDuration, isLayerRef, isList, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import { QAT_GATE, qatParamShape } from '../../compiler/compress/fake-quant';
import type { TrainStepLayout } from '../../compiler/step';
import type { HostTensor } from '../backend';
import { scalar, tensorOf } from '../tensors';
import type { PtqPlan } from './ptq';
import { quantParams } from './quantize';

export interface QatPlan extends PtqPlan {
  /** The step (0-based count of steps done) from which the forward pass is fake-quantized. */
  readonly from: number;
  readonly qmin: number;
  readonly qmax: number;
  /** Warnings about what is approximated (lsq). */
  readonly warnings: readonly string[];
}

export function qatPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): QatPlan | undefined {
  const block = recipe.blocks['quantize'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'qat') return undefined;
  const a = block.attrs;
  const layers = new Set(isList(a['layers']) ? a['layers'].filter(isLayerRef).map((r) => r.name) : []);
  const bits = num(a['bits']) ?? 8;
  const symmetric = a['symmetric'] !== false;
  const steps = (v: PlanValue | undefined) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : 0);
  const [qmin, qmax] = symmetric ? [-(2 ** (bits - 1) - 1), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  return {
    targets: infos.flatMap((p, i) => (p.compressible && layers.has(p.layer) ? [i] : [])),
    spec: { bits, symmetric, perChannel: a['per_channel'] !== false, range: { kind: 'minmax' } },
    from: steps(a['from']),
    qmin,
    qmax,
    warnings: method.args['estimator'] === 'lsq' ? ['qat estimator lsq is not compiled yet; using ste'] : [],
  };
}

/** The QAT inputs of the train step before step `t` (0-based), for the weights about to be fed. */
export function qatFeeds(layout: TrainStepLayout, plan: QatPlan | undefined, infos: readonly ParamInfo[], params: readonly Float32Array[], t: number): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  if (!plan) return feeds;
  feeds[QAT_GATE] = scalar(t >= plan.from ? 1 : 0);
  for (const { param, scale, zeroPoint } of layout.qat) {
    const shape = infos[param]?.shape ?? [];
    const q = quantParams(params[param] ?? new Float32Array(), shape, plan.spec);
    const s = qatParamShape(shape, plan.spec.perChannel);
    feeds[scale] = tensorOf(Float32Array.from(q.scale), s);
    feeds[zeroPoint] = tensorOf(Float32Array.from(q.zeroPoint), s);
  }
  return feeds;
}

/** The phase event's text when QAT switches on. */
export function qatDetail(plan: QatPlan): string {
  return `quantization-aware training started: ${plan.spec.bits}-bit weights in ${plan.targets.length} layers (${plan.spec.perChannel ? 'per channel' : 'per tensor'}, ${plan.spec.symmetric ? 'symmetric' : 'asymmetric'}, min–max scales, ste)`;
}

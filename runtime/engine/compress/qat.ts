// Quantization-aware training on the host side (catalog qat, A63): which weights are fake-quantized,
// from which step, and the scale/zero-point/gate inputs of the train step for the current weights.
// With `ste` the scales are min–max (the quantize block's `calibrate` is for ptq) and are recomputed
// from the weights fed to each step, so the forward pass and the final QDQ export (applyPtq on the
// final weights, the same quantParams) use one definition. With `lsq` the step sizes are learned
// run state (qat-lsq.ts) and the export uses them. One graph serves the whole run: before `from`
// the gate input is 0 and the step computes with the float weights.

import { isDuration, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { compressTargets } from './targets';
import type { ParamInfo } from '../../compiler/model';
import { QAT_GATE, qatParamShape } from '../../compiler/compress/fake-quant';
import type { TrainStepLayout } from '../../compiler/step';
import type { HostTensor } from '../backend';
import { scalar, tensorOf } from '../tensors';
import type { PtqPlan, PtqResult } from './ptq';
import { createLsq } from './qat-lsq';
import { quantParams } from './quantize';

export interface QatPlan extends PtqPlan {
  /** The step (0-based count of steps done) from which the forward pass is fake-quantized. */
  readonly from: number;
  readonly qmin: number;
  readonly qmax: number;
  /** `ste`: min–max scales recomputed every step; `lsq`: learned step sizes (qat-lsq.ts). */
  readonly estimator: 'ste' | 'lsq';
  /** Warnings about what is approximated. */
  readonly warnings: readonly string[];
}

/** QAT during a run: the train step's QAT inputs before each step, and what the export uses. */
export interface QatRun {
  /** The QAT inputs of the train step before step `t` (0-based), for the weights about to be fed. */
  feeds(params: readonly Float32Array[], t: number): Record<string, HostTensor>;
  /** Reads the learned state from the outputs of step `t`. */
  record(out: Readonly<Record<string, HostTensor>>, t: number): void;
  /** Epoch metrics (lsq: `lsq_scale/<layer>`, the mean step size). */
  metrics(): Record<string, number>;
  /** The quantized weights and their export with the learned scales; undefined: applyPtq's min–max. */
  quantize(trained: readonly Float32Array[]): PtqResult | undefined;
  /** How the exported scales were chosen, for the phase event; undefined: the ptq range's name. */
  exportDetail(): string | undefined;
}

export function createQat(plan: QatPlan, layout: TrainStepLayout, infos: readonly ParamInfo[]): QatRun {
  if (plan.estimator === 'lsq') return createLsq(plan, layout, infos);
  return {
    feeds: (params, t) => qatFeeds(layout, plan, infos, params, t),
    record: () => undefined,
    metrics: () => ({}),
    quantize: () => undefined,
    exportDetail: () => undefined,
  };
}

export function qatPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[], stepsPerEpoch: number): QatPlan | undefined {
  const block = recipe.blocks['quantize'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'qat') return undefined;
  const a = block.attrs;
  const bits = num(a['bits']) ?? 8;
  const symmetric = a['symmetric'] !== false;
  const steps = (v: PlanValue | undefined) => (isDuration(v) ? Math.round(v.unit === 'ep' ? v.value * stepsPerEpoch : v.value) : 0);
  const [qmin, qmax] = symmetric ? [-(2 ** (bits - 1) - 1), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  return {
    targets: compressTargets(recipe, 'quantize', infos),
    spec: { bits, symmetric, perChannel: a['per_channel'] !== false, range: { kind: 'minmax' } },
    from: steps(a['from']),
    qmin,
    qmax,
    estimator: method.args['estimator'] === 'lsq' ? 'lsq' : 'ste',
    warnings: [],
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
  return `quantization-aware training started: ${plan.spec.bits}-bit weights in ${plan.targets.length} layers (${plan.spec.perChannel ? 'per channel' : 'per tensor'}, ${plan.spec.symmetric ? 'symmetric' : 'asymmetric'}, ${plan.estimator === 'lsq' ? 'learned step sizes (lsq), init 2·mean|w|/√q_max' : 'min–max scales, ste'})`;
}

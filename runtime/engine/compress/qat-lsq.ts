// qat(lsq) on the host side (catalog A63; Esser et al., ICLR 2020): the learned step sizes are run
// state, like the weights. At the step QAT starts (`from`) each quantizer gets
//   s = 2·mean|W|/√Q_p   (per channel: over the channel),   g = 1/√(N·Q_p)
// with N the weights sharing s and Q_p the positive levels (q_max when symmetric). From then on the
// train step updates s (compiler/compress/lsq-step.ts) and the engine feeds s and its optimizer
// state back every step; the export quantizes the final weights with the learned s.
//
// Asymmetric quantization (symmetric = false): LSQ itself is symmetric for weights. Here the zero
// point z is fixed at `from` to the min–max zero point of the weights then (so 0 stays exact and
// the grid keeps the weights' sign balance), Q_p = max(q_max − z, z − q_min), and only s is
// learned; the export writes that z with the learned s (uint8).

import type { ParamInfo } from '../../compiler/model';
import { LSQ_MIN_SCALE } from '../../compiler/compress/lsq';
import { QAT_GATE, qatParamShape } from '../../compiler/compress/fake-quant';
import type { ExportQuantization, TrainStepLayout } from '../../compiler/step';
import type { HostTensor } from '../backend';
import { scalar, tensorOf } from '../tensors';
import { applyPtq, type PtqResult } from './ptq';
import { fakeQuantize, quantParams } from './quantize';
import type { QatPlan, QatRun } from './qat';

/** One quantizer's LSQ parameters: step size s, fixed zero point z and gradient scale g, per channel or one. */
export interface LsqInit {
  readonly scale: Float64Array;
  readonly zeroPoint: Float64Array;
  readonly gradScale: Float64Array;
}

/** LSQ's initial step sizes for weights `w` of `shape` (channel = dim 0). */
export function lsqInit(w: ArrayLike<number>, shape: readonly number[], plan: Pick<QatPlan, 'spec' | 'qmin' | 'qmax'>): LsqInit {
  const channels = plan.spec.perChannel ? (shape[0] ?? 1) : 1;
  const size = w.length / channels;
  const zero = plan.spec.symmetric ? new Float64Array(channels) : quantParams(w, shape, { ...plan.spec, range: { kind: 'minmax' } }).zeroPoint;
  const scale = new Float64Array(channels);
  const gradScale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let abs = 0;
    for (let k = 0; k < size; k++) abs += Math.abs(w[c * size + k] ?? 0);
    const z = zero[c] ?? 0;
    const qp = Math.max(1, plan.qmax - z, z - plan.qmin);
    // NOTE: an all-zero channel (pruned) is exact on any grid; s = 1 keeps it finite.
    scale[c] = abs > 0 ? Math.max(LSQ_MIN_SCALE, (2 * abs) / size / Math.sqrt(qp)) : 1;
    gradScale[c] = 1 / Math.sqrt(size * qp);
  }
  return { scale, zeroPoint: zero, gradScale };
}

/** The run state of qat(lsq): step sizes and their optimizer state, fed to and read from each step. */
export function createLsq(plan: QatPlan, layout: TrainStepLayout, infos: readonly ParamInfo[]): QatRun {
  const lsq = layout.lsq;
  if (!lsq) throw new Error('createLsq: the train step was built without qat(lsq)');
  const shapeOf = (param: number) => infos[param]?.shape ?? [];
  // Set at `from`: the initial values (reported against), then the learned values.
  let init: LsqInit[] | undefined;
  let scales: Float32Array[] | undefined;
  let state: Float32Array[][] = [];
  const zeros = () => lsq.params.map((p) => p.state.map((s) => new Float32Array(s.shape.reduce((a, b) => a * b, 1))));
  const initAll = (params: readonly Float32Array[]) => lsq.params.map((p) => lsqInit(params[p.param] ?? new Float32Array(), shapeOf(p.param), plan));
  return {
    feeds: (params, t) => {
      // Before `from` the gate is 0 and s only has to be finite: the current weights' init is fed
      // and the outputs are dropped. At `from`, s starts from the weights of that step.
      const current = t < plan.from || !init ? initAll(params) : init;
      if (t === plan.from || (t > plan.from && !init)) {
        init = current;
        scales = current.map((q) => Float32Array.from(q.scale));
        state = zeros();
      }
      const live = t >= plan.from && scales !== undefined;
      const opt = live ? state : zeros();
      const feeds: Record<string, HostTensor> = { [QAT_GATE]: scalar(t >= plan.from ? 1 : 0), [lsq.step]: scalar(Math.max(1, t - plan.from + 1)) };
      lsq.params.forEach((p, k) => {
        const q = current[k];
        const shape = shapeOf(p.param);
        const sShape = plan.spec.perChannel ? [shape[0] ?? 1] : [];
        feeds[p.scale] = tensorOf(live ? (scales?.[k] ?? new Float32Array()) : Float32Array.from(q?.scale ?? []), sShape);
        feeds[p.zeroPoint] = tensorOf(Float32Array.from(q?.zeroPoint ?? []), qatParamShape(shape, plan.spec.perChannel));
        feeds[p.gradScale] = tensorOf(Float32Array.from(q?.gradScale ?? []), sShape);
        p.state.forEach((s, j) => (feeds[`${p.scale}.${s.name}`] = tensorOf(opt[k]?.[j] ?? new Float32Array(), s.shape)));
      });
      return feeds;
    },
    record: (out, t) => {
      if (t < plan.from || !scales) return;
      scales = lsq.params.map((p) => out[`${p.scale}.next`]?.data as Float32Array);
      state = lsq.params.map((p) => p.state.map((s) => out[`${p.scale}.${s.name}.next`]?.data as Float32Array));
    },
    metrics: () => {
      const m: Record<string, number> = {};
      if (!scales) return m;
      lsq.params.forEach((p, k) => (m[`lsq_scale/${infos[p.param]?.layer ?? p.param}`] = meanOf(scales?.[k] ?? [])));
      return m;
    },
    quantize: (trained) => (scales && init ? exportLearned(plan, infos, trained, lsq.params.map((p, k) => ({ param: p.param, scale: scales?.[k] ?? new Float32Array(), zeroPoint: init?.[k]?.zeroPoint ?? new Float64Array() }))) : undefined),
    exportDetail: () => {
      if (!scales || !init) return 'lsq not started: min–max scales';
      const ratios = lsq.params.flatMap((_, k) => Array.from(scales?.[k] ?? [], (s, c) => s / (init?.[k]?.scale[c] ?? NaN)));
      return `lsq step sizes, learned/init ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
    },
  };
}

/**
 * The final weights quantized with the learned step sizes, and their QDQ description in the form
 * the export consumes. The byte count is applyPtq's (it does not depend on the scales).
 */
function exportLearned(plan: QatPlan, infos: readonly ParamInfo[], trained: readonly Float32Array[], learned: readonly { param: number; scale: Float32Array; zeroPoint: Float64Array }[]): PtqResult {
  const weights = [...trained];
  const exported = new Map<number, ExportQuantization>();
  for (const { param, scale, zeroPoint } of learned) {
    const q = { scale: Float64Array.from(scale), zeroPoint, qmin: plan.qmin, qmax: plan.qmax, perChannel: plan.spec.perChannel };
    weights[param] = fakeQuantize(trained[param] ?? new Float32Array(), q);
    if (plan.spec.bits <= 8) exported.set(param, { scale: q.scale, zeroPoint: q.zeroPoint, perChannel: q.perChannel, signed: plan.spec.symmetric });
  }
  return { ...applyPtq(plan, infos, trained), weights, exported };
}

function meanOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] ?? 0;
  return xs.length > 0 ? s / xs.length : NaN;
}

// The train step's side of qat(lsq): the step-size inputs, their gradients and their update.
//
// Which rule trains s: the recipe's base optimizer, with its own hyper-parameters (weight decay
// included), as in the paper, where s is a model parameter trained by the same SGD as the weights.
// It runs as a second update over the step sizes only, with its own optimizer state and its own
// 1-based step count (`lsq_step`, counted from `from`), because s only exists from `from` on: this
// is torch adding s to the optimizer at `from`, so Adam's bias corrections start afresh.
// s is not part of the reported gradient norm nor of grad_clip, which stay about the model's
// weights; the l2 regularizer does not cover it either.
//
// Under a sharpness-aware wrapper (SAM and its variants) s takes the gradient of the first pass,
// at the unperturbed weights; the perturbed pass quantizes W + e with the same s but its
// s-gradient is not used. The wrapper perturbs and updates the weights only: perturbing s would
// move the quantization grid itself, and GAQAT (A63) reports that the s-gradients of the task
// loss and of the sharpness term conflict, so we keep the task loss's.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import type { ParamInfo } from '../model/types';
import type { HostScalarInput } from '../optim/host-scalars';
import type { HyperParams, OptimizerBuilder, StateSpec } from '../optim/types';
import type { QuantRange } from './fake-quant';
import { gatedLsqFakeQuantize, keepPositive, lsqInputNames, lsqInputs, lsqScaleInfo, LSQ_STEP, type LsqInputs } from './lsq';

/** Graph names of one quantized parameter's LSQ inputs, and the step sizes' optimizer state. */
export interface LsqParamLayout {
  readonly param: number;
  readonly scale: string;
  readonly zeroPoint: string;
  readonly gradScale: string;
  /** The step size's optimizer state: inputs `<scale>.<name>`, outputs `<scale>.<name>.next`. */
  readonly state: readonly StateSpec[];
}

export interface LsqLayout {
  /** The scalar input: steps since `from`, 1-based. */
  readonly step: string;
  readonly params: readonly LsqParamLayout[];
}

export interface LsqStep {
  /** Ŵ for parameter `i` when it is quantized (gated), else undefined. */
  quantize(i: number, w: Value, gate: Value): Value | undefined;
  /** The trainable step sizes, in `layout.params` order (what the gradient is taken for). */
  readonly scales: readonly Value[];
  /**
   * The `.next` outputs of the step sizes and their optimizer state, given their gradients;
   * `hostScalar` makes the optimizer's host scalars counted by `layout.step`.
   */
  update(g: GraphBuilder, grads: readonly Value[], lr: Value, hostScalar: HostScalarInput): { readonly name: string; readonly value: Value }[];
  readonly layout: LsqLayout;
}

export interface LsqSpec {
  readonly params: readonly number[];
  readonly perChannel: boolean;
  readonly range: QuantRange;
  readonly optimizer: { readonly builder: OptimizerBuilder; readonly hp: HyperParams };
}

export function buildLsqStep(g: GraphBuilder, infos: readonly ParamInfo[], spec: LsqSpec, dtype: DType): LsqStep {
  const targets = spec.params.flatMap((i) => { const info = infos[i]; return info ? [{ i, info }] : []; });
  const inputs = new Map<number, LsqInputs>(targets.map(({ i, info }) => [i, lsqInputs(g, info.name, info.shape, spec.perChannel, dtype)]));
  const scaleInfos = targets.map(({ info }) => lsqScaleInfo(info, spec.perChannel));
  const stateSpecs = scaleInfos.map((info) => spec.optimizer.builder.state(info, spec.optimizer.hp));
  const state = stateSpecs.map((specs, k) => specs.map((s) => g.input(`${scaleInfos[k]?.name}.${s.name}`, s.shape, dtype)));
  const step = g.input(LSQ_STEP, [], dtype);
  const scales = targets.map(({ i }) => inputs.get(i)?.scale).filter((v): v is Value => v !== undefined);
  return {
    quantize: (i, w, gate) => { const q = inputs.get(i); return q ? gatedLsqFakeQuantize(w, q, spec.range, gate) : undefined; },
    scales,
    update: (builder, grads, lr, hostScalar) => {
      const r = spec.optimizer.builder.update(builder, { params: scales, grads, state, infos: scaleInfos, lr, step, hostScalar, hp: spec.optimizer.hp });
      return [
        ...r.params.map((v, k) => ({ name: `${scaleInfos[k]?.name}.next`, value: keepPositive(v) })),
        ...r.state.flatMap((vs, k) => vs.map((v, j) => ({ name: `${scaleInfos[k]?.name}.${stateSpecs[k]?.[j]?.name}.next`, value: v }))),
      ];
    },
    layout: { step: LSQ_STEP, params: targets.map(({ i, info }, k) => ({ param: i, ...lsqInputNames(info.name), state: stateSpecs[k] ?? [] })) },
  };
}

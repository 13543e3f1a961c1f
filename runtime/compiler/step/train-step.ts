// The whole training step as one graph: forward, loss, gradients (through a sharpness-aware
// wrapper when there is one), gradient clipping and the optimizer update. Parameters, buffers
// and optimizer state are inputs and outputs, fed back by the engine every step; the scheduled
// learning rate, the 1-based step count and the scalars the host computes from it in double
// (optim/host-scalars.ts) are scalar inputs.

import { GraphBuilder } from '../builder';
import { grad } from '../grad';
import type { DType, Value } from '../ir';
import { add, div, mul, square } from '../ops/binary';
import { sum } from '../ops/derived';
import { globalNorm } from '../optim/tensors';
import { sqrt } from '../ops/unary';
import type { ModelGraph } from '../model/types';
import { hostScalarInputs, type HostScalar } from '../optim/host-scalars';
import type { HyperParams, OptimizerBuilder, StateSpec, StepMetric, WrapperBuilder } from '../optim/types';
import { fakeQuantInputs, gatedFakeQuantize, qatInputNames, QAT_GATE, type FakeQuantInputs } from '../compress/fake-quant';
import { buildLsqStep, type LsqLayout } from '../compress/lsq-step';
import { safInputs, safLoss, SAF_INPUTS } from '../optim/saf';
import { maskedWeight, pruneDecay, pruneInputs, pruneInputNames, remask, type PruneInputs } from '../compress/masked-weight';
import { backwardMaskInput, backwardMaskInputName, withBackwardMask } from '../compress/bimask';
import { HYPERSPARSE_INPUTS, hyperSparseInputs, hyperSparseTerm } from '../compress/hypersparse';
import { frozenWeightInput, frozenWeightInputName, jackpotWeight } from '../compress/jackpot-weight';
import { latentVolume, layerOutput } from '../loss/least-volume';
import { backwardState } from '../ops/online-norm';

export type LossFn = (g: GraphBuilder, output: Value, target: Value) => Value;

export interface TrainStepSpec {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly optimizer: { readonly builder: OptimizerBuilder; readonly hp: HyperParams };
  readonly wrapper?: { readonly builder: WrapperBuilder; readonly hp: HyperParams };
  /** Width of the target input: classes (one-hot) or regression targets. */
  readonly targetWidth: number;
  readonly dtype: DType;
  /**
   * Emit the global gradient norm as output `grad_norm` (the catalog metric `grad_norm`, which the
   * engine adds when the recipe's report asks for it). Off by default: the norm reads every
   * gradient, which keeps compiler/optimize from folding the update into the gradient's GEMM.
   */
  readonly gradNorm?: boolean;
  /** Clip the global gradient norm to this value before the update. */
  readonly gradClip?: number;
  /** Coupled L2 regularization λ: adds ½λ‖w‖² over every parameter to the loss. */
  readonly l2?: number;
  /**
   * Pruned weights (indices into `model.params`): each gets a forward mask and a keep mask as
   * inputs (compress/masked-weight.ts); `decay` is SR-STE's λ_W on the pruned entries (0 otherwise),
   * added to the loss's gradient, or after gradient clipping with `decayAfterClip` (the masked
   * decay of transposable 2:4 training, catalog A46). Parameters in `backwardMask` also get a
   * backward mask input m_b for their layer's input gradient (Bi-Mask, compress/bimask.ts). In
   * `scores` the parameter is a Lottery Jackpots score over a frozen weight input (compress/jackpot-weight.ts).
   */
  readonly prune?: { readonly params: readonly number[]; readonly decay: number; readonly decayAfterClip?: boolean; readonly backwardMask?: readonly number[]; readonly scores?: readonly number[] };
  /**
   * Quantization-aware training (compress/fake-quant.ts): these weights are fake-quantized in the
   * forward pass with fed scales and zero points, switched on by the scalar input `qat_gate`.
   * With estimator `lsq` the scales are trainable inputs with `.next` outputs (compress/lsq-step.ts).
   */
  readonly qat?: { readonly params: readonly number[]; readonly perChannel: boolean; readonly qmin: number; readonly qmax: number; readonly estimator?: 'ste' | 'lsq' };
  /** SAF's KL term (optim/saf.ts), added to the loss; inputs `saf_reference` [B, classes] and `saf_gate`. */
  readonly saf?: { readonly weight: number; readonly temperature: number };
  /** HyperSparse (compress/hypersparse.ts): α·HS over these weights added to the loss; inputs `hypersparse_scale`, `hypersparse_weight`. */
  readonly hypersparse?: { readonly params: readonly number[] };
  /** least_volume (compiler/loss/least-volume.ts): adds weight·volume of the output of the layer reading `model.params[param]` (the latent layer's weight). */
  readonly latentVolume?: { readonly param: number; readonly weight: number; readonly eta: number };
}

/** Graph input and output names, in the order the engine feeds and reads them. */
export interface TrainStepLayout {
  readonly params: readonly string[];
  readonly buffers: readonly string[];
  readonly masks: readonly string[];
  /** Optimizer state per parameter, as `state(info)` declared it. */
  readonly state: readonly (readonly StateSpec[])[];
  readonly wrapperState: readonly StateSpec[];
  /** Per pruned parameter (index into the model's params), the names of its mask inputs. */
  readonly prune: readonly { readonly param: number; readonly mask: string; readonly keep: string; readonly backward?: string; readonly frozen?: string }[];
  /** Per fake-quantized parameter, the names of its scale and zero-point inputs; the gate is `qat_gate`. */
  readonly qat: readonly { readonly param: number; readonly scale: string; readonly zeroPoint: string }[];
  /** qat(lsq): the learned step sizes' inputs and optimizer state (then `qat` is empty). */
  readonly lsq?: LsqLayout;
  /** SAF's inputs, when the step has the term. */
  readonly saf?: typeof SAF_INPUTS;
  /** HyperSparse's inputs, when the step has the term. */
  readonly hypersparse?: typeof HYPERSPARSE_INPUTS;
  /** The optimizers' step-dependent scalars, fed by the host from their counters' values (engine/step-feeds.ts). */
  readonly hostScalars: readonly HostScalar[];
  /** The wrapper's per-step metrics: output `metric.<name>` for each name. */
  readonly stepMetrics?: readonly string[];
  /** The wrapper's per-step host inputs (input `wrapper_input.<name>`), fed by its pass. */
  readonly wrapperInputs?: readonly StateSpec[];
}

export interface TrainStepGraph {
  readonly graph: GraphBuilder;
  readonly outputs: readonly { readonly name: string; readonly value: Value }[];
  readonly layout: TrainStepLayout;
}

/** The step's outputs besides the updated state; `gradNorm` only with `TrainStepSpec.gradNorm`. */
export const OUT = { loss: 'loss', logits: 'logits', gradNorm: 'grad_norm' } as const;

/** The 1-based step count input (the main optimizer's counter). */
export const STEP = 'step';

export function buildTrainStep(spec: TrainStepSpec): TrainStepGraph {
  const { model, dtype } = spec;
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', spec.targetWidth], dtype);
  const lr = g.input('lr', [], dtype);
  const step = g.input(STEP, [], dtype);
  const hostScalars: HostScalar[] = [];
  const params = model.params.map((p) => g.input(p.name, p.shape, dtype));
  const buffers = model.buffers.map((b) => g.input(b.name, b.shape, dtype));
  const masks = model.dropouts.map((d, i) => g.input(`mask_${i}_${d.layer}`, ['B', ...d.shape], dtype));
  const stateSpecs = model.params.map((p) => spec.optimizer.builder.state(p, spec.optimizer.hp));
  const state = stateSpecs.map((specs, i) => specs.map((s) => g.input(`${model.params[i]?.name}.${s.name}`, s.shape, dtype)));
  const wrapperSpecs = spec.wrapper ? spec.wrapper.builder.state(model.params, spec.wrapper.hp) : [];
  const wrapperState = wrapperSpecs.map((s) => g.input(`wrapper.${s.name}`, s.shape, dtype));
  const wrapperInputSpecs = spec.wrapper?.builder.inputs?.(model.params, spec.wrapper.hp) ?? [];
  const wrapperInputs = wrapperInputSpecs.map((s) => g.input(wrapperInputName(s.name), s.shape, dtype));
  const pruned = new Map<number, PruneInputs>((spec.prune?.params ?? []).map((i) => [i, pruneInputs(g, model.params[i]?.name ?? '', model.params[i]?.shape ?? [], dtype)]));
  const decayAfterClip = spec.prune?.decayAfterClip === true;
  const frozen = new Map((spec.prune?.scores ?? []).filter((i) => pruned.has(i)).map((i) => [i, frozenWeightInput(g, model.params[i]?.name ?? '', model.params[i]?.shape ?? [], dtype)]));
  const backwardMasks = new Map((spec.prune?.backwardMask ?? []).filter((i) => pruned.has(i)).map((i) => [i, backwardMaskInput(g, model.params[i]?.name ?? '', model.params[i]?.shape ?? [], dtype)]));
  const decay = spec.prune?.decay ?? 0;
  const withDecay = (grads: readonly Value[], ps: readonly Value[]) => grads.map((gr, i) => { const m = pruned.get(i); const p = ps[i]; return m && p ? add(gr, pruneDecay(p, m, decay)) : gr; });
  const qat = spec.qat;
  const lsq = qat?.estimator === 'lsq' ? buildLsqStep(g, model.params, { params: qat.params, perChannel: qat.perChannel, range: qat, optimizer: spec.optimizer }, dtype) : undefined;
  const quantized = new Map<number, FakeQuantInputs>((lsq ? [] : qat?.params ?? []).map((i) => [i, fakeQuantInputs(g, model.params[i]?.name ?? '', model.params[i]?.shape ?? [], qat?.perChannel ?? true, dtype)]));
  const qatGate = qat ? g.input(QAT_GATE, [], dtype) : undefined;
  const saf = spec.saf ? safInputs(g, spec.targetWidth, dtype) : undefined;
  const hs = spec.hypersparse ? hyperSparseInputs(g, dtype) : undefined;

  // The first pass (at the unperturbed weights) updates the buffers and gives the reported logits
  // and gradient norm (when the norm is asked for).
  let first: { logits: Value; buffers: readonly Value[]; grads?: readonly Value[] } | undefined;
  // qat(lsq): the step sizes' gradients, from the first pass (see compress/lsq-step.ts).
  let scaleGrads: readonly Value[] | undefined;
  const lossAndGrad = (ps: readonly Value[], options: { readonly updateBuffers: boolean }) => {
    const seen = ps.map((p, i) => {
      const m = pruned.get(i);
      const back = backwardMasks.get(i);
      const w0 = frozen.get(i);
      const masked = m ? (w0 ? jackpotWeight(p, m.mask, w0) : back ? withBackwardMask(maskedWeight(p, m), p, m.mask, back) : maskedWeight(p, m)) : p;
      const q = quantized.get(i);
      if (lsq && qatGate) return lsq.quantize(i, masked, qatGate) ?? masked;
      return q && qat && qatGate ? gatedFakeQuantize(masked, q, qat, qatGate) : masked;
    });
    const f = model.forward(g, x, seen, buffers, { mode: 'train', masks, updateBuffers: options.updateBuffers });
    if (!first) first = { logits: f.output, buffers: f.buffers };
    let loss = spec.loss(g, f.output, y);
    if (saf && spec.saf) loss = safLoss(loss, f.output, saf, spec.saf);
    const z = spec.latentVolume ? layerOutput(g, seen[spec.latentVolume.param] as Value) : undefined;
    if (spec.latentVolume && z) loss = add(loss, mul(latentVolume(z, spec.latentVolume.eta), spec.latentVolume.weight));
    if (spec.l2 !== undefined && spec.l2 > 0) loss = add(loss, mul(sum(ps.map((p) => sum(square(p))).reduce((a, b) => add(a, b))), spec.l2 / 2));
    if (hs && spec.hypersparse) loss = add(loss, hyperSparseTerm(spec.hypersparse.params.flatMap((i) => (ps[i] ? [ps[i]] : [])), hs));
    const all = grad(loss, lsq && !scaleGrads ? [...ps, ...lsq.scales] : ps);
    const raw = all.slice(0, ps.length);
    if (lsq && !scaleGrads) scaleGrads = all.slice(ps.length);
    const grads = decay === 0 || decayAfterClip ? raw : withDecay(raw, ps);
    first.grads ??= grads;
    return { loss, grads };
  };

  let loss: Value;
  let grads: readonly Value[];
  let newWrapperState: readonly Value[] = [];
  let stepMetrics: readonly StepMetric[] = [];
  if (spec.wrapper) {
    const r = spec.wrapper.builder.gradient(g, { params, infos: model.params, lossAndGrad, state: wrapperState, inputs: wrapperInputs, step, hp: spec.wrapper.hp });
    loss = r.loss;
    grads = r.grads;
    newWrapperState = r.state;
    stepMetrics = r.metrics ?? [];
  } else {
    const r = lossAndGrad(params, { updateBuffers: true });
    loss = r.loss;
    grads = r.grads;
  }
  // The reported norm, when asked for, is the first pass's, at the unperturbed weights (catalog:
  // grad_norm). It is built as a wrapper's ascent builds it from the same gradients, so the two
  // merge into one (compiler/optimize), and the final gradients then have the update as their only
  // reader. A wrapper with gradients of its own (DeepZero, DP-SAT) reports their norm instead.
  // Without a wrapper, gradient clipping needs the same norm, which is then built once.
  const own = spec.wrapper?.builder.ownGradients === true;
  if (!own && !first?.grads) throw new Error('buildTrainStep: the first pass gave no gradients');
  const reported = own || !first?.grads ? grads : first.grads;
  const gradNorm = spec.gradNorm === true || (spec.gradClip !== undefined && !spec.wrapper) ? globalNorm(reported) : undefined;
  if (spec.gradClip !== undefined) {
    // torch.nn.utils.clip_grad_norm_: scale by min(1, c / (‖g‖ + 1e-6)), over the gradients the
    // optimizer receives (a wrapper's, when there is one).
    const c = spec.gradClip;
    const clipNorm = spec.wrapper || gradNorm === undefined ? globalNorm(grads) : gradNorm;
    const factor = div(g.scalar(c, dtype), add(clipNorm, 1e-6));
    const scale = minScalar(factor, 1);
    grads = grads.map((gr) => mul(gr, scale));
  }
  if (decayAfterClip && decay !== 0) grads = withDecay(grads, params);
  const raw = spec.optimizer.builder.update(g, { params, grads, state, infos: model.params, lr, step, hostScalar: hostScalarInputs(g, STEP, dtype, hostScalars), hp: spec.optimizer.hp });
  // Pruned entries are re-masked after the update, in the weights and in the optimizer state.
  const sameShape = (v: Value, i: number) => v.shape.length === model.params[i]?.shape.length && v.shape.every((d, k) => d === model.params[i]?.shape[k]);
  const updated = {
    params: raw.params.map((v, i) => { const m = pruned.get(i); return m ? remask(v, m) : v; }),
    state: raw.state.map((vs, i) => { const m = pruned.get(i); return m ? vs.map((v) => (sameShape(v, i) ? remask(v, m) : v)) : vs; }),
  };
  if (!first) throw new Error('buildTrainStep: the forward pass was never built');
  const outputs = [
    { name: OUT.loss, value: loss },
    { name: OUT.logits, value: first.logits },
    ...(spec.gradNorm === true && gradNorm ? [{ name: OUT.gradNorm, value: gradNorm }] : []),
    ...updated.params.map((v, i) => ({ name: `${model.params[i]?.name}.next`, value: v })),
    // A buffer updated by a backward rule (online normalization's control process) takes its value from the gradient graph.
    ...first.buffers.map((v, i) => ({ name: `${model.buffers[i]?.name}.next`, value: backwardState(v) })),
    ...updated.state.flatMap((vs, i) => vs.map((v, k) => ({ name: `${model.params[i]?.name}.${stateSpecs[i]?.[k]?.name}.next`, value: v }))),
    ...newWrapperState.map((v, k) => ({ name: `wrapper.${wrapperSpecs[k]?.name}.next`, value: v })),
    ...(lsq && scaleGrads ? lsq.update(g, scaleGrads, lr, hostScalarInputs(g, lsq.layout.step, dtype, hostScalars)) : []),
    ...stepMetrics.map((m) => ({ name: stepMetricOutput(m.name), value: m.value })),
  ];
  return {
    graph: g,
    outputs,
    layout: { params: model.params.map((p) => p.name), buffers: model.buffers.map((b) => b.name), masks: masks.map((m) => (m.source.kind === 'input' ? m.source.name : '')), state: stateSpecs, wrapperState: wrapperSpecs, prune: [...pruned.keys()].map((i) => ({ param: i, ...pruneInputNames(model.params[i]?.name ?? ''), ...(backwardMasks.has(i) ? { backward: backwardMaskInputName(model.params[i]?.name ?? '') } : {}), ...(frozen.has(i) ? { frozen: frozenWeightInputName(model.params[i]?.name ?? '') } : {}) })), qat: [...quantized.keys()].map((i) => ({ param: i, ...qatInputNames(model.params[i]?.name ?? '') })), ...(lsq ? { lsq: lsq.layout } : {}), ...(saf ? { saf: SAF_INPUTS } : {}), ...(hs ? { hypersparse: HYPERSPARSE_INPUTS } : {}), hostScalars, ...(stepMetrics.length > 0 ? { stepMetrics: stepMetrics.map((m) => m.name) } : {}), ...(wrapperInputSpecs.length > 0 ? { wrapperInputs: wrapperInputSpecs } : {}) },
  };
}

/** The train step's input for a wrapper's per-step host input `name`. */
export function wrapperInputName(name: string): string {
  return `wrapper_input.${name}`;
}

/** The train step's output for a wrapper's per-step metric `name`. */
export function stepMetricOutput(name: string): string {
  return `metric.${name}`;
}

/** min(v, c) for a scalar, from differentiable primitives: (v + c − |v − c|) / 2. */
function minScalar(v: Value, c: number): Value {
  const d = add(v, -c);
  return mul(add(add(v, c), mul(sqrt(square(d)), -1)), 0.5);
}

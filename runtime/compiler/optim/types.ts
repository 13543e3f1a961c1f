// Optimizers and sharpness-aware wrappers as graph builders, one per catalog entry. The whole
// training step is one graph: parameters and optimizer state are inputs and outputs, fed back
// every step; the scheduled learning rate and the 1-based step count are scalar inputs, and so
// are the scalars that depend only on the step count, computed by the host in double.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import type { ParamInfo } from '../model/types';
import type { HostScalarInput } from './host-scalars';

/** Resolved hyper-parameters of a catalog technique (a `TechniqueUse['args']`). */
export type HyperParams = Readonly<Record<string, unknown>>;

/** One optimizer-state tensor of a parameter (e.g. Adam's `m`), zero-initialized. */
export interface StateSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface UpdateArgs {
  readonly params: readonly Value[];
  readonly grads: readonly Value[];
  /** Per parameter, the state tensors in the order `state(info)` declared them. */
  readonly state: readonly (readonly Value[])[];
  readonly infos: readonly ParamInfo[];
  /** The scheduled learning rate (scalar input; the optimizer's own `lr` times the schedule factor). */
  readonly lr: Value;
  /** The 1-based step count (scalar input), for tests of the step such as SGD's first one. */
  readonly step: Value;
  /**
   * A scalar input that the host computes in double from this update's step count and feeds
   * every step (host-scalars.ts), for any step-dependent scalar such as Adam's bias corrections:
   * computed from `step` in the graph it would be rounded to the graph's dtype at every operation.
   * The key names the quantity, parameters included (`bias_correction1_0.9`).
   */
  readonly hostScalar: HostScalarInput;
  readonly hp: HyperParams;
}

export interface UpdateResult {
  readonly params: readonly Value[];
  readonly state: readonly (readonly Value[])[];
}

export interface OptimizerBuilder {
  readonly name: string;
  state(info: ParamInfo, hp: HyperParams): readonly StateSpec[];
  update(g: GraphBuilder, args: UpdateArgs): UpdateResult;
}

/** The loss and its gradients at given parameter values (a fresh forward + backward in the same graph). */
export type LossAndGrad = (params: readonly Value[], options: { readonly updateBuffers: boolean }) => { readonly loss: Value; readonly grads: readonly Value[] };

export interface WrapperArgs {
  readonly params: readonly Value[];
  readonly infos: readonly ParamInfo[];
  readonly lossAndGrad: LossAndGrad;
  /** Wrapper state (e.g. FSAM's mask), declared by `state`. */
  readonly state: readonly Value[];
  /** Per-step inputs the host feeds (DeepZero's coordinates and directions), declared by `inputs`. */
  readonly inputs?: readonly Value[];
  readonly step: Value;
  readonly hp: HyperParams;
}

export interface WrapperResult {
  /** The loss at the unperturbed parameters (what is reported). */
  readonly loss: Value;
  /** The gradient handed to the base optimizer. */
  readonly grads: readonly Value[];
  readonly state: readonly Value[];
  /** Scalars [] reported as this step's metrics (Bloop's projection ratio), by metric name. */
  readonly metrics?: readonly StepMetric[];
}

/** A per-step scalar of a wrapper, output as `metric.<name>` and shown in the step events. */
export interface StepMetric {
  readonly name: string;
  readonly value: Value;
}

export interface WrapperBuilder {
  readonly name: string;
  state(infos: readonly ParamInfo[], hp: HyperParams): readonly StateSpec[];
  /** Inputs fed by the host every step (input `wrapper_input.<name>`); none when absent. */
  inputs?(infos: readonly ParamInfo[], hp: HyperParams): readonly StateSpec[];
  gradient(g: GraphBuilder, args: WrapperArgs): WrapperResult;
  /**
   * The wrapper's gradients do not come from backpropagating the first pass (DeepZero's
   * estimate, DP-SAT's privatized gradient fed by the host): the step reports their norm, so that
   * no backward graph of the first pass is emitted (and DP-SAT reports no un-noised norm).
   */
  readonly ownGradients?: boolean;
}

// The interface every technique that acts during training implements, so the training loop
// (run.ts) is the same short algorithm whatever the recipe compresses or measures:
//
//   for each step: beforeStep (masks, projections, phase changes) → transformBatch (augment, mixup)
//                  → feeds → the train step → afterStep (what the pass keeps from the outputs)
//   each epoch:    evaluate the effective weights → epochMetrics
//   at the end:    the export, with every pass's contribution.
//
// A pass sees the weights only through the TrainState it is handed (`ctx.state.params()` is a
// download; `setParams` an upload), so a transfer between device and host is always visible in
// the pass that asks for it. A plain step, with no pass that reads weights, moves none.

import type { TrainStepLayout, TrainStepSpec } from '../../compiler/step';
import type { Backend, Feed, HostTensor } from '../backend';
import type { Metrics } from '../events';
import type { TrainState } from '../train-state';
import type { ExportContribution } from './export-contribution';

export type { ExportContribution };

/** One training batch as the loop feeds it: x is size × prod(inputShape), y is size × targetWidth. */
export interface StepBatch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly size: number;
  /** Class labels (classification), for accuracy. */
  readonly labels?: Int32Array;
  /** Indices of the batch's examples in the training split. */
  readonly indices: Uint32Array;
}

export interface StepContext {
  /** Steps done before this one (0-based index of this step). */
  readonly t: number;
  readonly epoch: number;
  /** The scheduled learning rate of this step. */
  readonly lr: number;
  readonly state: TrainState;
  /** Emits a phase event (pruning started, lowrank projected, …) at this step. */
  phase(phase: string, detail: string): void;
}

export interface EpochContext {
  readonly epoch: number;
  /** The metric names the report block asked for. */
  readonly requested: ReadonlySet<string>;
  /** The weights the model computes with this epoch (after every pass's `effective`), on the host. */
  readonly weights: readonly Float32Array[];
  readonly buffers: readonly Float32Array[];
  /** True after the last epoch. */
  readonly last: boolean;
}

export interface Pass {
  readonly name: string;
  /** Said once, when the run starts. */
  readonly warnings?: readonly string[];
  /** Before step t: update masks, project weights, announce phases. */
  beforeStep?(ctx: StepContext): Promise<void> | void;
  /** Changes the batch the step is fed (augmentations, mixup); training batches only. */
  transformBatch?(batch: StepBatch, ctx: StepContext): StepBatch;
  /** The inputs this pass adds to the train step. */
  feeds?(batch: StepBatch, ctx: StepContext): Promise<Record<string, Feed>> | Record<string, Feed>;
  /** After the step, with its host outputs (loss, logits, …); may add per-step metrics. */
  afterStep?(batch: StepBatch, out: Readonly<Record<string, HostTensor>>, ctx: StepContext): Promise<Metrics | void> | Metrics | void;
  /** The weights the model really computes with, when they differ from the trained ones (pruning's W⊙m under SR-STE). */
  effective?(weights: readonly Float32Array[]): readonly Float32Array[];
  /** Metrics at the end of an epoch. */
  epochMetrics?(ctx: EpochContext): Promise<Metrics> | Metrics;
  /** What the pass changes in the exported model and the compression report. */
  readonly exports?: ExportContribution;
  /** Releases sessions the pass opened. */
  release?(): Promise<void>;
}

/** A technique's part of a run before the step graph exists: what it adds to the graph, and how to start it. */
export interface PassPlan {
  readonly name: string;
  /** Fields of the train-step spec this technique sets (prune, qat, saf). */
  readonly spec?: Partial<TrainStepSpec>;
  /** Warnings to emit when the run starts. */
  readonly warnings?: readonly string[];
  /** Creates the pass once the train step is built. */
  create(setup: PassSetup): Promise<Pass> | Pass;
}

export interface PassSetup {
  readonly layout: TrainStepLayout;
  readonly backend: Backend;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
}

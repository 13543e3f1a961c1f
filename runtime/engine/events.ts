// The typed stream a run emits. Sinks (the run store, the CLI, later the results panel) only
// draw these events; they never reach into the engine.

import type { Estimates } from '../checker';
import type { AdapterInfo } from './backend';
import type { LayerCompression } from './compression-report';

export type { AdapterInfo, LayerCompression };

export interface RunInfo {
  readonly id: string;
  readonly recipe: string;
  readonly recipePath?: string;
  readonly backend: string;
  /** The GPU adapter of a webgpu run (vendor, architecture, description, software or not). */
  readonly adapter?: AdapterInfo;
  readonly threads: number;
  readonly versions: Readonly<Record<string, string>>;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly trainExamples: number;
  readonly valExamples: number;
  readonly estimates?: Estimates;
  readonly seed: number;
  /** An imported model's tensors: how many train, are buffers (batch-norm statistics) or stay constant (frozen or without a gradient path). */
  readonly tensors?: { readonly trainable: number; readonly buffers: number; readonly constants: number };
  /** Optimizer, schedule, batch, epochs and compression methods, as short text (hyper-parameters.ts). */
  readonly hyper?: Readonly<Record<string, string>>;
}

/** Metric values by name; NaN never appears (a diverging run fails instead). */
export type Metrics = Readonly<Record<string, number>>;

export type RunEvent =
  | { readonly type: 'started'; readonly time: number; readonly run: RunInfo }
  | { readonly type: 'step'; readonly time: number; readonly epoch: number; readonly step: number; readonly metrics: Metrics }
  | { readonly type: 'epoch'; readonly time: number; readonly epoch: number; readonly step: number; readonly metrics: Metrics }
  | { readonly type: 'phase'; readonly time: number; readonly epoch: number; readonly step: number; readonly phase: string; readonly detail: string }
  | { readonly type: 'warning'; readonly time: number; readonly message: string }
  | { readonly type: 'finished'; readonly time: number; readonly metrics: Metrics; readonly seconds: number; readonly steps: number; readonly compression?: readonly LayerCompression[] }
  | { readonly type: 'failed'; readonly time: number; readonly reason: 'diverged' | 'cancelled' | 'error'; readonly message: string; readonly epoch?: number; readonly step?: number };

export type RunEventSink = (event: RunEvent) => void;

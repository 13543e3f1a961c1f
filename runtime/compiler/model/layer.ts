// What each layer kind contributes to a model: its parameters and buffers (in a fixed order), its
// output shape, and how it computes its output. The model builder (build.ts) only chains layers.

import type { Value } from '../ir';
import type { BufferInfo, DropoutSite, InitSpec, ParamInfo } from './types';

export interface LayerContext {
  readonly mode: 'train' | 'eval';
  /** False in SAM's extra passes: buffers pass through unchanged. */
  readonly updateBuffers: boolean;
  /** This layer's keep-mask [B, …shape] when it is a dropout site in train mode. */
  readonly mask?: Value;
}

export interface LayerOutput {
  readonly y: Value;
  /** The layer's buffers after this pass, in the order of `BuiltLayer.buffers`. */
  readonly buffers: readonly Value[];
}

export interface BuiltLayer {
  readonly name: string;
  /** Output shape per example. */
  readonly output: readonly number[];
  readonly params: readonly ParamInfo[];
  readonly buffers: readonly BufferInfo[];
  /** Present when the layer needs a keep-mask in train mode. */
  readonly dropout?: DropoutSite;
  /** `params` and `buffers` hold exactly this layer's values, in the order declared above. */
  apply(x: Value, params: readonly Value[], buffers: readonly Value[], ctx: LayerContext): LayerOutput;
}

/** A parameter description; `compressible` is true for weights/kernels only, `isNorm` for norm scale/bias. */
export function paramInfo(layer: string, suffix: string, role: ParamInfo['role'], shape: readonly number[], init: InitSpec): ParamInfo {
  return { name: `${layer}.${suffix}`, layer, role, shape: [...shape], compressible: role === 'weight', isNorm: role === 'norm_scale' || role === 'norm_bias', init };
}

export function bufferInfo(layer: string, suffix: string, role: BufferInfo['role'], shape: readonly number[], init: InitSpec): BufferInfo {
  return { name: `${layer}.${suffix}`, layer, role, shape: [...shape], init };
}

/** Element i of a slice of values; a missing one is a builder bug (the counts come from the layer itself). */
export function take(values: readonly Value[], i: number, what: string): Value {
  const v = values[i];
  if (v === undefined) throw new Error(`model: missing ${what}`);
  return v;
}

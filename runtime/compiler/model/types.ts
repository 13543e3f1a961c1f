// What the model builder produces from a checked recipe: the trainable parameters and the
// non-trainable buffers (with how to initialize them), and a forward function that can be
// instantiated several times in one graph (SAM's second pass evaluates it at perturbed weights).

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';

/** How a tensor is initialized (in JS, seeded) before training. */
export type InitSpec =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  /** A weight initialized by a catalog init entry (he, xavier, orthogonal, conv_aware) with its resolved args. */
  | { readonly kind: 'technique'; readonly name: string; readonly args: Readonly<Record<string, unknown>>; readonly fanIn: number; readonly fanOut: number }
  /** A unit-norm random vector (spectral normalization's persistent u). */
  | { readonly kind: 'unit_normal' }
  /**
   * Per output unit (dim 0), the L2 norm of another parameter's initial value over its other dims:
   * weight normalization's g = ‖v‖, so the layer starts out computing what it would without it.
   */
  | { readonly kind: 'norm_of'; readonly param: string };

export interface ParamInfo {
  /** Unique, stable, e.g. `dense_1.weight`, `dense_1.norm.scale`. */
  readonly name: string;
  /** The layer it belongs to (`dense_1`). */
  readonly layer: string;
  readonly role: 'weight' | 'bias' | 'norm_scale' | 'norm_bias' | 'weight_g';
  readonly shape: readonly number[];
  /** Matrices and kernels: what pruning, low-rank, quantization, AdamP's projection and Muon act on. */
  readonly compressible: boolean;
  /** Normalization affine parameters (what SAM-ON perturbs). */
  readonly isNorm: boolean;
  readonly init: InitSpec;
  /**
   * In the model's first or last layer with a weight (the input and output layers, which
   * MuonWithAuxAdam leaves to AdamW); absent means a hidden layer.
   */
  readonly edge?: boolean;
  /** Where an imported model's tensor comes from (absent for built-in models). */
  readonly origin?: TensorOrigin;
  /**
   * A matrix stored [in, out] (an imported MatMul weight, or Gemm's B without transB), where built-in
   * and PyTorch weights are [out, in]: its input dimension, along which N:M groups run, is dim 0.
   */
  readonly transposed?: boolean;
}

/** The input width of a weight: what N:M groups run along (in·kh·kw for [out, in, kh, kw]; dim 0 of a transposed matrix). */
export function reductionOf(p: Pick<ParamInfo, 'shape' | 'transposed'>): number {
  if (p.transposed === true) return p.shape[0] ?? 1;
  return p.shape.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * An imported tensor's names, as the file and a PyTorch user know them: what later addresses
 * imported layers by (`encoder.layers.0.linear1.weight`, `encoder.layers.0.linear1`).
 */
export interface TensorOrigin {
  /** The ONNX tensor it is read from: an initializer, or an Identity node's copy of one. */
  readonly onnx: string;
  /** The initializer that holds its values (differs from `onnx` for an exporter's merged copy). */
  readonly initializer: string;
  /**
   * The PyTorch parameter name: the file's own name where it has one (`head.weight`), else one
   * derived from the module path of the node that reads it (`embed.weight` for `onnx::MatMul_12`).
   */
  readonly torchName: string;
  /** 'file' when `torchName` is the file's own name, 'scope' when it was derived from the node's scope. */
  readonly named: 'file' | 'scope';
  /** The module path of the node that reads it (`encoder.layers.0.linear1`); '' when the node has no scope. */
  readonly module: string;
  /** The ONNX node that reads it first (the layer, for a weight). */
  readonly node: string;
}

/** The params with `edge` set on those of the first and the last layer that has a weight. */
export function markEdgeLayers(params: readonly ParamInfo[]): ParamInfo[] {
  const weighted = params.filter((p) => p.role === 'weight').map((p) => p.layer);
  const edges = new Set([weighted[0], weighted[weighted.length - 1]].filter((l): l is string => l !== undefined));
  return params.map((p) => (edges.has(p.layer) ? { ...p, edge: true } : p));
}

/** Non-trainable state carried from step to step (BatchNorm running statistics, spectral-norm u). */
export interface BufferInfo {
  readonly name: string;
  readonly layer: string;
  readonly role: 'running_mean' | 'running_var' | 'sn_u' | 'control';
  readonly shape: readonly number[];
  readonly init: InitSpec;
  /** Where an imported model's buffer comes from (absent for built-in models). */
  readonly origin?: TensorOrigin;
}

/** A dropout site: the forward pass needs a {0,1} keep-mask input of this shape per example. */
export interface DropoutSite {
  readonly layer: string;
  /** Shape without the batch dimension. */
  readonly shape: readonly number[];
  readonly ratio: number;
}

export interface ForwardOptions {
  readonly mode: 'train' | 'eval';
  /** One keep-mask value [B, …shape] per dropout site, in order; required in train mode when there are sites. */
  readonly masks?: readonly Value[];
  /** When false (SAM's second pass), buffers are not updated: the returned buffers equal the inputs. */
  readonly updateBuffers?: boolean;
}

export interface ForwardResult {
  /** Logits [B, classes] or predictions [B, targets]. */
  readonly output: Value;
  /** Buffers after this pass (updated running statistics in train mode), same order as `ModelGraph.buffers`. */
  readonly buffers: readonly Value[];
}

export interface ModelGraph {
  readonly params: readonly ParamInfo[];
  readonly buffers: readonly BufferInfo[];
  readonly dropouts: readonly DropoutSite[];
  /** Input shape per example (without the batch dimension). */
  readonly inputShape: readonly number[];
  readonly outputWidth: number;
  /** Builds the forward pass of input x [B, …inputShape] in `g` with the given parameter and buffer values. */
  forward(g: GraphBuilder, x: Value, params: readonly Value[], buffers: readonly Value[], options: ForwardOptions): ForwardResult;
}

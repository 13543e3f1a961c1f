// What the export (and the evaluation graph that must compute the same thing) does to each layer
// weight after training: store it as 8-bit codes, factor it into two thinner layers, and quantize
// the activation the layer reads. Plain data, computed on the host (engine/compress) and applied
// to the model's forward graph by compressedForward.

/** A tensor stored as 8-bit codes: x = s_c·(q − z_c), per channel along dim 0 or per tensor. */
export interface QuantizedTensor {
  /** Integer codes, int8 range when `signed`, uint8 otherwise. */
  readonly codes: ArrayLike<number>;
  /** One value per channel (dim 0), or one. */
  readonly scale: ArrayLike<number>;
  readonly zeroPoint: ArrayLike<number>;
  readonly perChannel: boolean;
  readonly signed: boolean;
}

/** One factor of a factored weight, in the layout its op reads (Gemm B operand or Conv kernel). */
export interface Factor {
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
  readonly quantized?: QuantizedTensor;
}

/**
 * How a factored layer is wired (catalog svd and trp, A57), W = product of the two factors:
 * - 'gemm': dense W [out, in] = A·B; y = (x·Bᵀ)·Aᵀ + b with B [r, in] first, A [out, r] second.
 * - 'conv-svd': conv W [out, C, kh, kw] viewed as [out, C·kh·kw] = A·B; a kh×kw conv with r
 *   channels (B as [r, C, kh, kw], the layer's strides and pads), then a 1×1 conv (A as [out, r, 1, 1]).
 * - 'conv-trp': TRP's channel decomposition; a kh×1 conv with k channels ([k, C, kh, 1], vertical
 *   stride and pads), then a 1×kw conv ([out, k, 1, kw], horizontal stride and pads).
 */
export type FactorLayout = 'gemm' | 'conv-svd' | 'conv-trp';

export interface FactoredWeight {
  readonly layout: FactorLayout;
  readonly rank: number;
  readonly first: Factor;
  readonly second: Factor;
}

/** An activation quantized per tensor: x̂ = s·(clamp(round(x/s) + z, q_min, q_max) − z). */
export interface ActivationQuantization {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly qmin: number;
  readonly qmax: number;
  /** int8 zero point (symmetric) or uint8 (asymmetric). */
  readonly signed: boolean;
}

/** Keyed by parameter index (a layer's weight). */
export interface ExportCompression {
  /** Weights stored as codes (dense layers). */
  readonly quantized?: ReadonlyMap<number, QuantizedTensor>;
  /** Weights exported as two factors (they take precedence over `quantized` for the same index). */
  readonly factored?: ReadonlyMap<number, FactoredWeight>;
  /** The quantization of the input of the layer that reads this weight. */
  readonly activations?: ReadonlyMap<number, ActivationQuantization>;
}

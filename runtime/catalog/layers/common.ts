// Parameters and shape helpers shared by the layers. FLOPs count the multiply-adds of matrix
// products and convolutions (2 per multiply-add) and one per pooled element; activations and
// normalizations are not counted, as they are small next to the products.

import type { LayerFacet, LayerInference, ParamSpec, PlanValue, TensorShape, WeightInfo } from '../schema';
import { isTechnique, techniqueName } from '../values';

export const activationParam: ParamSpec = {
  name: 'act',
  type: { kind: 'technique', of: ['activation'] },
  default: { kind: 'technique', name: 'identity', entryKind: 'activation', args: {} },
  doc: 'Activation applied after the layer (and its normalization).',
};

export const normParam: ParamSpec = {
  name: 'norm',
  type: { kind: 'technique', of: ['norm'] },
  default: { kind: 'technique', name: 'none', entryKind: 'norm', args: {} },
  doc: 'Normalization: `layer`, `batch` or `online` (dense layers) normalize activations (with affine γ, β); `weight` and `spectral` reparametrize the weight.',
};

export const biasParam: ParamSpec = { name: 'bias', type: { kind: 'bool' }, default: true, doc: 'Add a learned bias.' };

/** True when the layer's `norm` argument adds normalization affine parameters (what SAM-ON perturbs). */
export function hasAffineNorm(args: Readonly<Record<string, PlanValue>>): boolean {
  const norm = args['norm'];
  const name = techniqueName(norm);
  return (name === 'layer' || name === 'batch' || name === 'online') && !(isTechnique(norm) && norm.args['affine'] === false);
}

/**
 * The parameters a layer's `norm` adds for `features` output units or channels: γ and β for an
 * affine layer/batch norm (per channel for images), the gain g of weight normalization. Spectral
 * normalization adds only its power-iteration vector, a buffer rather than a parameter.
 */
export function normWeights(args: Readonly<Record<string, PlanValue>>, features: number): WeightInfo[] {
  const gain = (name: string): WeightInfo => ({ name, shape: [features], reduction: 1, compressible: false });
  if (hasAffineNorm(args)) return [gain('norm.gamma'), gain('norm.beta')];
  if (techniqueName(args['norm']) === 'weight') return [gain('norm.g')];
  return [];
}

export function biasWeights(args: Readonly<Record<string, PlanValue>>, features: number): WeightInfo[] {
  return args['bias'] === false ? [] : [{ name: 'bias', shape: [features], reduction: 1, compressible: false }];
}

/** The input as an image [channels, height, width], or a failed inference that says why not. */
export function imageInput(layer: string, input: TensorShape): { ok: true; c: number; h: number; w: number } | { ok: false; message: string } {
  const [c, h, w] = input;
  if (input.length !== 3 || c === undefined || h === undefined || w === undefined) {
    return { ok: false, message: `${layer} needs an image input [channels, height, width]; its input here is [${input.join(', ')}]` };
  }
  return { ok: true, c, h, w };
}

/** Output length of a sliding window, or undefined when the window does not fit. */
export function windowOutput(size: number, window: number, stride: number, pad: number): number | undefined {
  const span = size + 2 * pad;
  return window > span ? undefined : Math.floor((span - window) / stride) + 1;
}

/** Shape behaviour of max and average pooling: a size×size window moved by `stride` (default: size). */
export function poolFacet(layer: 'maxpool' | 'avgpool'): LayerFacet {
  return {
    infer: (input, args): LayerInference => {
      const image = imageInput(layer, input);
      if (!image.ok) return image;
      const size = args['size'];
      if (typeof size !== 'number') return { ok: false, message: `${layer} needs a window size` };
      const strideArg = args['stride'];
      const stride = typeof strideArg === 'number' ? strideArg : size;
      const oh = windowOutput(image.h, size, stride, 0);
      const ow = windowOutput(image.w, size, stride, 0);
      if (oh === undefined || ow === undefined) return { ok: false, message: `window ${size} is larger than the ${image.h}×${image.w} input` };
      return { ok: true, output: [image.c, oh, ow], weights: [], flops: image.c * oh * ow * size * size };
    },
  };
}

/** The size-and-stride parameters of the pooling layers. */
export const poolParams: readonly ParamSpec[] = [
  { name: 'size', type: { kind: 'number', integer: true, min: 1 }, default: 2, positional: true, doc: 'Side of the square pooling window.' },
  { name: 'stride', type: { kind: 'number', integer: true, min: 1 }, doc: 'Step between windows; when absent, equal to `size` (non-overlapping windows).' },
];

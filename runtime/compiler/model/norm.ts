// A layer's `norm` argument as a plan: which parameters and buffers it adds and where it acts.
// `weight` and `spectral` reparametrize the layer's weight before the layer's product; `layer` and
// `batch` normalize the layer's output before its activation (order: layer → norm → activation).

import type { Value } from '../ir';
import type { LayerContext } from './layer';
import { normalizeBatch, normalizeLayer, planBatchNorm, planLayerNorm } from './norm-activation';
import { planSpectralNorm, planWeightNorm, spectralNormalize, weightNormalize } from './norm-weight';
import { normalizeOnline, planOnlineNorm } from './norm-online';
import { type TechniqueArgs, numberArg } from './recipe';
import type { BufferInfo, ParamInfo } from './types';

export interface NormResult {
  readonly value: Value;
  /** The norm's buffers after this pass, in the order of `NormPlan.buffers`. */
  readonly buffers: readonly Value[];
}

export interface NormPlan {
  /** Where the norm acts: on the weight (weight, spectral), on the layer's output (layer, batch), or nowhere. */
  readonly acts: 'weight' | 'output' | 'none';
  readonly params: readonly ParamInfo[];
  readonly buffers: readonly BufferInfo[];
  /** `params` and `buffers` hold only the norm's own values. */
  apply(x: Value, params: readonly Value[], buffers: readonly Value[], ctx: LayerContext): NormResult;
}

/**
 * Plans `norm` for a layer with `features` output units or channels whose weight is `weight`.
 * An unknown norm name is a caller bug (the checker only lets catalog norms through).
 */
export function planNorm(layer: string, norm: TechniqueArgs | undefined, features: number, weight: ParamInfo): NormPlan {
  const name = norm?.name ?? 'none';
  const args = norm?.args ?? {};
  switch (name) {
    case 'none':
      return { acts: 'none', params: [], buffers: [], apply: (x, _p, buffers) => ({ value: x, buffers }) };
    case 'layer':
      return { acts: 'output', ...planLayerNorm(layer, features, args), apply: (y, p) => ({ value: normalizeLayer(y, p, args), buffers: [] }) };
    case 'batch':
      return { acts: 'output', ...planBatchNorm(layer, features, args), apply: (y, p, b, ctx) => normalizeBatch(y, p, b, ctx, args) };
    case 'weight':
      return { acts: 'weight', ...planWeightNorm(layer, weight), apply: (w, p) => ({ value: weightNormalize(w, p), buffers: [] }) };
    case 'spectral':
      return {
        acts: 'weight',
        ...planSpectralNorm(layer, weight),
        apply: (w, _p, b, ctx) => spectralNormalize(w, b, ctx, { iters: numberArg(args, 'iters', 1), eps: numberArg(args, 'eps', 1e-12) }),
      };
    case 'online':
      return { acts: 'output', ...planOnlineNorm(layer, features, args), apply: (y, p, b, ctx) => normalizeOnline(y, p, b, ctx, args) };
    default:
      throw new Error(`model: unknown norm ${name} on ${layer}`);
  }
}

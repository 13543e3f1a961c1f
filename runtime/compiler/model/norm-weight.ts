// Weight reparametrizations: weight normalization (Salimans & Kingma 2016) and spectral
// normalization (Miyato et al. 2018), both per output unit / over the weight viewed as a matrix
// [out, in·kh·kw], as PyTorch `weight_norm(dim=0)` and `spectral_norm`.

import { div, mul } from '../ops/binary';
import { clip } from '../ops/compare';
import { matmul } from '../ops/matmul';
import { reduceSum } from '../ops/reduce';
import { reshape, transpose } from '../ops/reshape';
import { sqrt } from '../ops/unary';
import type { Value } from '../ir';
import { type LayerContext, bufferInfo, paramInfo, take } from './layer';
import type { NormResult } from './norm';
import { stopGradient } from './stop-gradient';
import type { BufferInfo, ParamInfo } from './types';

/** The gain g (one per output unit), initialized to ‖v‖ so the layer starts as if unnormalized. */
export function planWeightNorm(layer: string, weight: ParamInfo): { params: ParamInfo[]; buffers: BufferInfo[] } {
  return { params: [paramInfo(layer, 'weight_g', 'weight_g', [outUnits(weight.shape)], { kind: 'norm_of', param: weight.name })], buffers: [] };
}

/** W = g · v/‖v‖, the norm taken per output unit over all other dims. */
export function weightNormalize(v: Value, params: readonly Value[]): Value {
  const g = take(params, 0, 'weight_g');
  const rank = v.shape.length;
  const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  const norm = sqrt(reduceSum(mul(v, v), axes, true));
  return mul(v, div(reshape(g, [-1, ...axes.map(() => 1)]), norm));
}

/** The persistent power-iteration vector u, one entry per output unit. */
export function planSpectralNorm(layer: string, weight: ParamInfo): { params: ParamInfo[]; buffers: BufferInfo[] } {
  return { params: [], buffers: [bufferInfo(layer, 'norm.u', 'sn_u', [outUnits(weight.shape)], { kind: 'unit_normal' })] };
}

/**
 * W/σ with σ = uᵀ·W·v (W as a matrix [out, rest]). Train mode runs `iters` power iterations
 * v = normalize(Wᵀu), u = normalize(W·v) from the stored u and returns the new u as the buffer
 * (unless `updateBuffers` is false); eval mode reuses the stored u and takes v = normalize(Wᵀu).
 * NOTE: PyTorch computes u and v under no_grad, so the gradient of σ is u·vᵀ only. Here u and v are
 * built from stopGradient(W) (an Identity whose backward sends nothing), and only σ's own product
 * uses W itself. PyTorch also stores v for evaluation; we derive it from u, which gives σ = ‖Wᵀu‖.
 */
export function spectralNormalize(w: Value, buffers: readonly Value[], ctx: LayerContext, o: { readonly iters: number; readonly eps: number }): NormResult {
  const stored = take(buffers, 0, 'spectral u');
  const out = outUnits(numericShape(w));
  const mat = w.shape.length > 2 ? reshape(w, [out, -1]) : w;
  const detached = stopGradient(mat);
  const detachedT = transpose(detached, [1, 0]);
  let u = reshape(stored, [out, 1]);
  let v = normalize(matmul(detachedT, u), o.eps);
  if (ctx.mode === 'train') {
    u = normalize(matmul(detached, v), o.eps);
    for (let i = 1; i < o.iters; i++) {
      v = normalize(matmul(detachedT, u), o.eps);
      u = normalize(matmul(detached, v), o.eps);
    }
  }
  const sigma = reduceSum(mul(u, matmul(mat, v)), [], false);
  const updated = ctx.mode === 'train' && ctx.updateBuffers ? reshape(u, [out]) : stored;
  return { value: div(w, sigma), buffers: [updated] };
}

/** x / max(‖x‖, eps), as torch.nn.functional.normalize. */
function normalize(x: Value, eps: number): Value {
  return div(x, clip(sqrt(reduceSum(mul(x, x), [], true)), eps, Infinity));
}

function outUnits(shape: readonly number[]): number {
  const out = shape[0];
  if (out === undefined) throw new Error('model: a normalized weight needs an output dimension');
  return out;
}

function numericShape(v: Value): number[] {
  return v.shape.map((d) => {
    if (typeof d !== 'number') throw new Error('model: weights have static shapes');
    return d;
  });
}

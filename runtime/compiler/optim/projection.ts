// The AdamP/SGDP projection (clovaai/AdamP `_projection`): where the gradient is nearly orthogonal
// to the weight (a scale-invariant weight), remove the radial part of the update. The channel view
// (rows = dim 0, the output channel in the PyTorch layout [out, in, …]) is tested first, then the
// layer view (the whole tensor as one row); the first view that fires wins. Only for ndim > 1.

import type { Value } from '../ir';
import { abs, add, div, greater, less, mul, reduceMax, reduceSum, reshape, sqrt, sub, where } from '../ops';
import { rowViewShape } from './tensors';

export interface Projected {
  readonly update: Value;
  /** wd_ratio where the projection fired, 1 elsewhere (a scalar []). */
  readonly decayFactor: Value;
  /** Whether the channel view fired (bool scalar []), for tests. */
  readonly channelFired: Value;
}

export function project(w: Value, g: Value, u: Value, delta: number, wdRatio: number, eps: number): Projected {
  const [rows, cols] = rowViewShape(w.shape);
  const shape = w.shape.map(Number);
  const view = (r: number, c: number): { fires: Value; projected: Value } => {
    const wv = reshape(w, [r, c]);
    const fires = less(reduceMax(abs(cosine(reshape(g, [r, c]), wv, eps)), [], false), delta / Math.sqrt(c));
    // ŵ = w_row/(‖w_row‖ + ε);  u_row ← u_row − ŵ⟨ŵ, u_row⟩.
    const wHat = div(wv, add(sqrt(reduceSum(mul(wv, wv), [1], true)), eps));
    const uv = reshape(u, [r, c]);
    return { fires, projected: reshape(sub(uv, mul(wHat, reduceSum(mul(wHat, uv), [1], true))), shape) };
  };
  const channel = view(rows, cols);
  const layer = view(1, rows * cols);
  const one = w.graph.scalar(1, w.dtype);
  const ratio = w.graph.scalar(wdRatio, w.dtype);
  return {
    update: where(channel.fires, channel.projected, where(layer.fires, layer.projected, u)),
    decayFactor: where(channel.fires, ratio, where(layer.fires, ratio, one)),
    channelFired: channel.fires,
  };
}

/** torch 1.13 F.cosine_similarity along dim 1: Σxy / √max(Σx²·Σy², ε²), one value per row. */
function cosine(x: Value, y: Value, eps: number): Value {
  const xy = reduceSum(mul(x, y), [1], false);
  const prod = mul(reduceSum(mul(x, x), [1], false), reduceSum(mul(y, y), [1], false));
  return div(xy, sqrt(where(greater(prod, eps * eps), prod, eps * eps)));
}

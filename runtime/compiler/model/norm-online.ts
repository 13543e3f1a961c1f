// Online normalization (catalog A28; Chiley et al. 2019, Cerebras/online-normalization
// online-norm-1d.py) of a dense layer's output [B, F], before its activation.
// Train, sample by sample in batch order, per feature, with the statistics BEFORE x_t:
//   y_t = (x_t − μ_{t−1})/√(σ²_{t−1} + ε);  σ²_t = α_f σ²_{t−1} + α_f(1 − α_f)(x_t − μ_{t−1})²;
//   μ_t = μ_{t−1} + (1 − α_f)(x_t − μ_{t−1})  (μ = 0, σ² = 1 initially, carried across batches).
// Both are linear recurrences over the batch with constant decay α_f (ops/linear-scan.ts). The
// backward is the official control process (ops/online-norm.ts), not the derivative of these
// statistics. Then the affine γ, β, then the error check: "ac" clamps to ±clamp, "ls" divides each
// sample by √(mean over features of y² + ls_eps).
// Eval: NOTE the catalog does not state it; here evaluation normalizes with the current μ, σ²
// (no update), which is the stationary form of the training forward.

import { add, div, mul, sub } from '../ops/binary';
import { clip } from '../ops/compare';
import { expand } from '../ops/expand';
import { linearScan } from '../ops/linear-scan';
import { onlineNormControl } from '../ops/online-norm';
import { reduceMean } from '../ops/reduce';
import { sqrt } from '../ops/unary';
import type { Value } from '../ir';
import { type LayerContext, bufferInfo, paramInfo, take } from './layer';
import type { NormResult } from './norm';
import { boolArg, numberArg } from './recipe';
import type { BufferInfo, ParamInfo } from './types';

type Args = Readonly<Record<string, unknown>>;

export interface OnlineNormOptions {
  readonly alphaFwd: number;
  readonly alphaBkw: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly ecm: 'ac' | 'ls' | 'none';
  readonly clamp: number;
  readonly lsEps: number;
}

export function onlineNormOptions(args: Args): OnlineNormOptions {
  const ecm = args['ecm'];
  return {
    alphaFwd: numberArg(args, 'alpha_fwd', 0.999),
    alphaBkw: numberArg(args, 'alpha_bkw', 0.99),
    eps: numberArg(args, 'eps', 1e-5),
    affine: boolArg(args, 'affine', true),
    ecm: ecm === 'ls' || ecm === 'none' ? ecm : 'ac',
    clamp: numberArg(args, 'clamp', 5),
    lsEps: numberArg(args, 'ls_eps', 1e-5),
  };
}

/** γ (init 1), β (init 0) when affine; buffers μ (0), σ² (1) and the control process's u, v (0). */
export function planOnlineNorm(layer: string, features: number, args: Args): { params: ParamInfo[]; buffers: BufferInfo[] } {
  const params = boolArg(args, 'affine', true)
    ? [paramInfo(layer, 'norm.scale', 'norm_scale', [features], { kind: 'ones' }), paramInfo(layer, 'norm.bias', 'norm_bias', [features], { kind: 'zeros' })]
    : [];
  return {
    params,
    buffers: [
      bufferInfo(layer, 'norm.running_mean', 'running_mean', [features], { kind: 'zeros' }),
      bufferInfo(layer, 'norm.running_var', 'running_var', [features], { kind: 'ones' }),
      bufferInfo(layer, 'norm.control_u', 'control', [features], { kind: 'zeros' }),
      bufferInfo(layer, 'norm.control_v', 'control', [features], { kind: 'zeros' }),
    ],
  };
}

export function normalizeOnline(x: Value, params: readonly Value[], buffers: readonly Value[], ctx: LayerContext, args: Args): NormResult {
  if (x.shape.length !== 2) throw new Error('model: online normalization applies to dense layers (outputs [B, F])');
  const o = onlineNormOptions(args);
  const [mean, variance, u, v] = [0, 1, 2, 3].map((i) => take(buffers, i, 'online norm buffer')) as [Value, Value, Value, Value];
  let y: Value;
  let next: readonly Value[] = [mean, variance, u, v];
  if (ctx.mode === 'train') {
    const decay = expand(x.graph.scalar(o.alphaFwd, x.dtype), x);
    const mu = linearScan(decay, mul(x, 1 - o.alphaFwd), mean);
    const centered = sub(x, mu.prev);
    const s2 = linearScan(decay, mul(mul(centered, centered), o.alphaFwd * (1 - o.alphaFwd)), variance);
    const scale = sqrt(add(s2.prev, o.eps));
    const controlled = onlineNormControl(x, div(centered, scale), scale, u, v, o.alphaBkw);
    y = controlled.y;
    if (ctx.updateBuffers) next = [mu.last, s2.last, controlled.u, controlled.v];
  } else {
    y = div(sub(x, mean), sqrt(add(variance, o.eps)));
  }
  if (o.affine) y = add(mul(y, take(params, 0, 'norm scale')), take(params, 1, 'norm bias'));
  if (o.ecm === 'ac') y = clip(y, -o.clamp, o.clamp);
  if (o.ecm === 'ls') y = div(y, sqrt(add(reduceMean(mul(y, y), [1], true), o.lsEps)));
  return { value: y, buffers: next };
}

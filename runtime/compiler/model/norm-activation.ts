// Activation normalizations: layer norm (PyTorch nn.LayerNorm for dense outputs; GroupNorm with
// one group, per-channel γ, β, for conv outputs) and batch norm (nn.BatchNorm1d/2d).

import { add, div, mul, sub } from '../ops/binary';
import { expand } from '../ops/expand';
import { layerNorm, batchNorm } from '../ops/norm';
import { reduceMean, reduceSum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import type { Value } from '../ir';
import { filled } from '../tensor';
import { type LayerContext, bufferInfo, paramInfo, take } from './layer';
import type { NormResult } from './norm';
import { boolArg, numberArg } from './recipe';
import type { BufferInfo, ParamInfo } from './types';

type Args = Readonly<Record<string, unknown>>;

/** γ (init 1) and β (init 0) per feature or channel when affine. */
export function planLayerNorm(layer: string, features: number, args: Args): { params: ParamInfo[]; buffers: BufferInfo[] } {
  return { params: affineParams(layer, features, args), buffers: [] };
}

/**
 * Normalizes each example over all of its non-batch dims with the biased variance. For a conv
 * output [B, C, H, W] γ and β are per channel, so the op normalizes with a unit scale and the
 * affine part is applied after it with [C, 1, 1] broadcasts.
 */
export function normalizeLayer(y: Value, params: readonly Value[], args: Args): Value {
  const eps = numberArg(args, 'eps', 1e-5);
  const affine = boolArg(args, 'affine', true);
  if (y.shape.length === 2) {
    return affine ? layerNorm(y, take(params, 0, 'norm scale'), take(params, 1, 'norm bias'), { axis: -1, epsilon: eps }) : layerNorm(y, unitScale(y), undefined, { axis: -1, epsilon: eps });
  }
  const normalized = layerNorm(y, unitScale(y), undefined, { axis: 1, epsilon: eps });
  if (!affine) return normalized;
  const perChannel = (p: Value): Value => reshape(p, [-1, ...y.shape.slice(2).map(() => 1)]);
  return add(mul(normalized, perChannel(take(params, 0, 'norm scale'))), perChannel(take(params, 1, 'norm bias')));
}

/** γ, β when affine, and the running mean (init 0) and variance (init 1) per feature or channel. */
export function planBatchNorm(layer: string, features: number, args: Args): { params: ParamInfo[]; buffers: BufferInfo[] } {
  return {
    params: affineParams(layer, features, args),
    buffers: [
      bufferInfo(layer, 'norm.running_mean', 'running_mean', [features], { kind: 'zeros' }),
      bufferInfo(layer, 'norm.running_var', 'running_var', [features], { kind: 'ones' }),
    ],
  };
}

/**
 * Train: normalize with the batch mean and biased variance per channel (axis 1), and update the
 * running statistics as PyTorch does: r ← (1 − m)·r + m·batch, with the UNBIASED batch variance.
 * NOTE: the ONNX op's own running outputs use the biased variance and ONNX's momentum convention
 * (see ops/norm.ts), so the updates are built here from primitives; the element count per channel
 * (which includes the symbolic batch dim) is a ReduceSum of ones shaped like y.
 * Eval: normalize with the running statistics.
 */
export function normalizeBatch(y: Value, params: readonly Value[], buffers: readonly Value[], ctx: LayerContext, args: Args): NormResult {
  const eps = numberArg(args, 'eps', 1e-5);
  const m = numberArg(args, 'momentum', 0.1);
  const features = y.shape[1];
  if (typeof features !== 'number') throw new Error('model: batch norm needs a static channel dim');
  const affine = boolArg(args, 'affine', true);
  const scale = affine ? take(params, 0, 'norm scale') : y.graph.constant(filled([features], 1, y.dtype));
  const bias = affine ? take(params, 1, 'norm bias') : y.graph.constant(filled([features], 0, y.dtype));
  const runningMean = take(buffers, 0, 'running mean');
  const runningVar = take(buffers, 1, 'running var');
  const training = ctx.mode === 'train';
  const { y: out } = batchNorm(y, scale, bias, runningMean, runningVar, { training, epsilon: eps, momentum: 1 - m });
  if (!training || !ctx.updateBuffers) return { value: out, buffers: [runningMean, runningVar] };
  const axes = y.shape.map((_, i) => i).filter((i) => i !== 1);
  const batchMean = reduceMean(y, axes, false);
  const centered = sub(y, reshape(batchMean, y.shape.map((_, i) => (i === 1 ? -1 : 1))));
  const count = reduceSum(expand(y.graph.scalar(1, y.dtype), y), axes, false);
  const unbiased = div(reduceSum(mul(centered, centered), axes, false), sub(count, 1));
  const blend = (old: Value, batch: Value): Value => add(mul(old, 1 - m), mul(batch, m));
  return { value: out, buffers: [blend(runningMean, batchMean), blend(runningVar, unbiased)] };
}

function affineParams(layer: string, features: number, args: Args): ParamInfo[] {
  if (!boolArg(args, 'affine', true)) return [];
  return [paramInfo(layer, 'norm.scale', 'norm_scale', [features], { kind: 'ones' }), paramInfo(layer, 'norm.bias', 'norm_bias', [features], { kind: 'zeros' })];
}

/** A scale of 1 of shape [1]: LayerNormalization needs a Scale input, which broadcasts. */
function unitScale(y: Value): Value {
  return y.graph.constant(filled([1], 1, y.dtype));
}

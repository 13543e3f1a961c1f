// A convolution over a graph input as a GEMM over its patches: Y[n] = W [M, C·K] · P[n] [C·K, Ho·Wo],
// where P = Conv(X, E) with E the one-hot filters [C·K, C, kh, kw] (K = kh·kw taps) is X's im2col,
// made by onnxruntime's own Conv kernel. The generic MatMul rule then gives dW = Σₙ dY[n] · P[n]ᵀ,
// which reuses P, where the swapped-axes Conv of convWeightGrad redoes the im2col of X per step.
// Measured on onnxruntime 1.30 (native, one thread) with the digits CNN's first layer (B 64, 1×8×8,
// 8 filters 3×3): its train step ran about 7 % faster than with Conv + convWeightGrad (the layer
// alone, without the bias row: about 150 µs against 220 µs); wasm about the same or a little faster.
// Only for X a graph input: a first layer's dX is not needed (were it asked for, Conv's rule on E
// would still give it, at the cost of a ConvTranspose).

import type { Value } from '../ir';
import { dimAt } from '../shape';
import { tensor } from '../tensor';
import type { ConvParams } from './conv-eval';
import { matmul } from './matmul';
import { reshape } from './reshape';
import { concat } from './slice';

/** At most this many patch rows (C·kh·kw): P is that many times X's size. */
const MAX_PATCH = 32;

export interface ColsConv {
  readonly c: number;
  readonly m: number;
  readonly kernel: readonly [number, number];
  readonly out: readonly [number, number];
  readonly params: ConvParams;
}

/** What a patch-form convolution was built from: a following max pool may rebuild it window by window (conv-pool.ts). */
export interface ColsConvSource {
  readonly x: Value;
  readonly w: Value;
  readonly b: Value | undefined;
  readonly plan: ColsConv;
}

const SOURCES = new WeakMap<Value, ColsConvSource>();

/** The patch-form convolution that produced v, if one did. */
export function colsConvSource(v: Value): ColsConvSource | undefined {
  return SOURCES.get(v);
}

/** The patch form of Conv(x, w) with params p, when it applies (x a graph input, group 1, static dims, few patch rows). */
export function colsConvPlan(x: Value, w: Value, p: ConvParams, out: readonly [number, number]): ColsConv | undefined {
  if (p.group !== 1 || x.source.kind !== 'input') return undefined;
  const dims = [dimAt(x.shape, 1), dimAt(w.shape, 0), dimAt(w.shape, 2), dimAt(w.shape, 3)];
  if (!dims.every((d): d is number => typeof d === 'number')) return undefined;
  const [c, m, kh, kw] = dims as [number, number, number, number];
  if (c * kh * kw > MAX_PATCH) return undefined;
  return { c, m, kernel: [kh, kw], out, params: p };
}

/**
 * Conv(x, w) + b = Reshape([W | b] · Reshape(Conv(X, E, e), [B, C·K + 1, Ho·Wo]), [B, M, Ho, Wo]):
 * with a bias, E gets one more filter, all zeros with bias e = 1, so P gets a row of ones and the
 * GEMM adds b (no broadcast Add over Y; db comes out of the same GEMM as dW).
 * `patchesBy(E, e)` is Conv(X, E, e) with the convolution's own strides, pads and dilations.
 */
export function colsConv(x: Value, w: Value, d: ColsConv, patchesBy: (filters: Value, bias?: Value) => Value, b?: Value): Value {
  const [kh, kw] = d.kernel;
  const taps = d.c * kh * kw;
  const rows = b ? taps + 1 : taps;
  // Filter (c, t) copies tap t of channel c: E[(c, t), c, t] = 1, i.e. entry r·(C·K) + r for r = (c, t).
  const eye = new Float64Array(rows * taps);
  for (let r = 0; r < taps; r++) eye[r * taps + r] = 1;
  const filters = x.graph.constant(tensor([rows, d.c, kh, kw], eye, x.dtype));
  const ones = new Float64Array(rows);
  ones[taps] = 1;
  const patches = b ? patchesBy(filters, x.graph.constant(tensor([rows], ones, x.dtype))) : patchesBy(filters);
  const weights = colsWeights(w, d, b);
  const [ho, wo] = d.out;
  const y = reshape(matmul(weights, reshape(patches, [0, rows, ho * wo])), [0, d.m, ho, wo]);
  SOURCES.set(y, { x, w, b, plan: d });
  return y;
}

/** [W | b] as [M, C·K (+ 1)]: the GEMM's left operand, the bias as a last column. */
export function colsWeights(w: Value, d: ColsConv, b?: Value): Value {
  const taps = d.c * d.kernel[0] * d.kernel[1];
  return b ? concat([reshape(w, [d.m, taps]), reshape(b, [d.m, 1])], 1) : reshape(w, [d.m, taps]);
}

// A convolution over a graph input as one GEMM over its patches: Y = W [M, C·K] · P [C·K, Ho·Wo·B],
// where P (K = kh·kw taps) is X's im2col, feature-major: Xᵀ [C·H·W, B] with a row of zeros (the
// padding) and a row of ones (for the bias), GatherRows by constant indices, so every pick copies
// one contiguous row of B values; Y [M, Ho·Wo·B] takes one 2-D transpose to NCHW. The Gemm rule
// then gives dW = dY · Pᵀ, which reuses P, where the swapped-axes Conv of convWeightGrad redoes
// the im2col of X per step. Measured on onnxruntime 1.30 (native, one thread) with the digits
// CNN's first layer (B 64, 1×8×8, 8 filters 3×3): the patch GEMM made the train step ~7 % faster
// than Conv + convWeightGrad; with P gathered feature-major and single GEMMs over the whole batch
// (rather than P made by a Conv with one-hot filters and a batched MatMul), another ~10 %.
// Only for X a graph input: a first layer's dX is rarely needed (GatherRows' rule gives it, as a
// scatter-add).

import type { Value } from '../ir';
import { dimAt } from '../shape';
import type { ConvParams } from './conv-eval';
import { gemm } from './matmul';
import { reshape, transpose } from './reshape';
import { gatherRows } from './scatter';
import { concat, pad } from './slice';

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
  if (!dims.every((d): d is number => typeof d === 'number') || typeof dimAt(x.shape, 2) !== 'number' || typeof dimAt(x.shape, 3) !== 'number') return undefined;
  const [c, m, kh, kw] = dims as [number, number, number, number];
  if (c * kh * kw > MAX_PATCH) return undefined;
  return { c, m, kernel: [kh, kw], out, params: p };
}

/**
 * Conv(x, w) + b = NCHW([W | b] · P) with P [C·K + 1, Ho·Wo·B] X's patches, feature-major
 * (gatherPatches): with a bias, P gets a row of ones and the GEMM adds b (no broadcast Add over Y;
 * db comes out of the same GEMM as dW, dW = dY · Pᵀ over all pixels of all examples).
 */
export function colsConv(x: Value, w: Value, d: ColsConv, b?: Value): Value {
  const [kh, kw] = d.kernel;
  const taps = d.c * kh * kw;
  const rows = b ? taps + 1 : taps;
  const reader = patchReader(x, d);
  const patches = reshape(gatherPatches(x, reader, patchPicks(reader, taps, d.out, b !== undefined)), [rows, -1]);
  const y = fromFeatureMajor(gemm(colsWeights(w, d, b), patches), d.m, d.out);
  SOURCES.set(y, { x, w, b, plan: d });
  return y;
}

/** [M, (pixel, example)] → [B, M, h, w]. */
export function fromFeatureMajor(z: Value, m: number, [h, w]: readonly [number, number]): Value {
  return reshape(transpose(reshape(z, [m * h * w, -1]), [1, 0]), [0, m, h, w]);
}

/** Where the patch values of x come from: flat indices into one example's C·H·W values, or the rows `zero` and `one`. */
export interface PatchReader {
  /** The value tap r = (c, ty, tx) of output pixel (oy, ox) reads (`zero` in the padding). */
  tap(oy: number, ox: number, r: number): number;
  readonly zero: number;
  readonly one: number;
}

export function patchReader(x: Value, d: ColsConv): PatchReader {
  const [h, wd] = [Number(dimAt(x.shape, 2)), Number(dimAt(x.shape, 3))];
  const [kh, kw] = d.kernel;
  const p = d.params;
  const zero = d.c * h * wd;
  return {
    zero,
    one: zero + 1,
    tap: (oy, ox, r) => {
      const [c, ty, tx] = [Math.floor(r / (kh * kw)), Math.floor(r / kw) % kh, r % kw];
      const iy = oy * p.strides[0] + ty * p.dilations[0] - p.pads[0];
      const ix = ox * p.strides[1] + tx * p.dilations[1] - p.pads[1];
      return iy < 0 || iy >= h || ix < 0 || ix >= wd ? zero : (c * h + iy) * wd + ix;
    },
  };
}

/** The picks of P's rows in order: tap r (then the ones row when `ones`), each over the output pixels row by row. */
export function patchPicks(reader: PatchReader, taps: number, [ho, wo]: readonly [number, number], ones: boolean): number[] {
  const picks: number[] = [];
  for (let r = 0; r < (ones ? taps + 1 : taps); r++) {
    for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) picks.push(r < taps ? reader.tap(oy, ox, r) : reader.one);
  }
  return picks;
}

/**
 * [picks.length, B]: row i holds, for every example, the value at picks[i] (a PatchReader index).
 * Xᵀ [C·H·W, B] padded with a row of zeros and a row of ones, then GatherRows: every pick copies
 * one contiguous row of B values.
 */
export function gatherPatches(x: Value, reader: PatchReader, picks: readonly number[]): Value {
  const features = pad(pad(transpose(reshape(x, [0, reader.zero]), [1, 0]), [0, 0, 1, 0], 0), [0, 0, 1, 0], 1);
  return gatherRows(features, picks);
}

/** [W | b] as [M, C·K (+ 1)]: the GEMM's left operand, the bias as a last column. */
export function colsWeights(w: Value, d: ColsConv, b?: Value): Value {
  const taps = d.c * d.kernel[0] * d.kernel[1];
  return b ? concat([reshape(w, [d.m, taps]), reshape(b, [d.m, 1])], 1) : reshape(w, [d.m, taps]);
}

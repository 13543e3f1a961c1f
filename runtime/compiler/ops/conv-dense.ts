// The dense (Toeplitz) form of a small 2-D convolution: Y[n, (o,m)] = X[n, (c,i)] · T[(c,i), (o,m)],
// where T holds W[m, c, k] wherever input pixel i is tap k of output pixel o, and 0 elsewhere.
// onnxruntime runs Conv as one im2col + small GEMM per image, which on tiny images (digits' 8×8,
// feature maps of 4×4) costs several times the arithmetic; one GEMM over the whole batch does not.
// T's columns run output pixel first, channel last, so that T is one GEMM per input channel,
// T[c] [(i,o), M] = S [(i,o), K] · Wᵀ[c] [K, M], with S the constant 0/1 tap matrix; Y then comes out
// pixel-major and one [B, pixels, M] → [B, M, pixels] transpose makes it NCHW. `conv()` builds the
// whole form in the graph, so T is built once per step and the generic rules give the backward
// pass: dX = g·Tᵀ, dT = Xᵀ·g, and dW = Sᵀ·dT per input channel.
// Measured on onnxruntime 1.30 (native, one thread), 8→16 channels on 4×4 maps, B 64: building T
// and folding dT back into dW took about 15 µs each this way, against 30-35 µs each with T's
// columns channel first (a batched GEMM of 128 16×9·9×16 products each way); the two transposes
// of Y and its gradient cost about 3 µs each. A general 4-D Transpose of T instead ran ~240 µs.

import type { Value } from '../ir';
import { dimAt } from '../shape';
import { filled, tensor } from '../tensor';
import type { ConvParams } from './conv-eval';
import { mul } from './binary';
import { gemm, matmul } from './matmul';
import { flatten, reshape, transpose } from './reshape';
import { Relu, relu } from './unary';

/**
 * T may hold at most this many elements (a float32 T of 512 KiB): beyond, the GEMM's extra zeros
 * and T's construction cost more than onnxruntime's per-image Conv saves.
 */
const MAX_ELEMENTS = 1 << 17;
/**
 * Share of T's entries that are real taps, at least. On onnxruntime 1.30 (one thread), 4×4 maps
 * with a 3×3 kernel (39 %) train about 2× faster than through Conv/ConvTranspose; on 8×8 maps
 * (12 %) the GEMMs would do 8× the useful work, which leaves no gain (estimated, not adopted).
 */
const MIN_DENSITY = 0.25;

export interface DenseConv {
  readonly c: number;
  readonly m: number;
  readonly kernel: readonly [number, number];
  /** Input and output pixels per channel. */
  readonly pixelsIn: number;
  readonly pixelsOut: number;
  /** S[k, i, o] as [K, pixelsIn, pixelsOut], row-major, K = kh·kw taps. */
  readonly taps: Float64Array;
}

/** The dense form of Conv(x, w) with params p, when it applies (group 1, static dims, small and dense enough). */
export function denseConvPlan(x: Value, w: Value, p: ConvParams): DenseConv | undefined {
  if (p.group !== 1) return undefined;
  const dims = [dimAt(x.shape, 1), dimAt(x.shape, 2), dimAt(x.shape, 3), dimAt(w.shape, 0), dimAt(w.shape, 2), dimAt(w.shape, 3)];
  if (!dims.every((d): d is number => typeof d === 'number')) return undefined;
  const [c, h, wd, m, kh, kw] = dims as [number, number, number, number, number, number];
  const ho = Math.floor((h + p.pads[0] + p.pads[2] - ((kh - 1) * p.dilations[0] + 1)) / p.strides[0]) + 1;
  const wo = Math.floor((wd + p.pads[1] + p.pads[3] - ((kw - 1) * p.dilations[1] + 1)) / p.strides[1]) + 1;
  const [pixelsIn, pixelsOut] = [h * wd, ho * wo];
  if (ho < 1 || wo < 1 || c * pixelsIn * m * pixelsOut > MAX_ELEMENTS) return undefined;
  const taps = new Float64Array(kh * kw * pixelsIn * pixelsOut);
  let nonZero = 0;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let oy = 0; oy < ho; oy++) {
        const iy = oy * p.strides[0] + ky * p.dilations[0] - p.pads[0];
        if (iy < 0 || iy >= h) continue;
        for (let ox = 0; ox < wo; ox++) {
          const ix = ox * p.strides[1] + kx * p.dilations[1] - p.pads[1];
          if (ix < 0 || ix >= wd) continue;
          taps[((ky * kw + kx) * pixelsIn + iy * wd + ix) * pixelsOut + oy * wo + ox] = 1;
          nonZero++;
        }
      }
    }
  }
  if (nonZero < MIN_DENSITY * pixelsIn * pixelsOut) return undefined;
  return { c, m, kernel: [kh, kw], pixelsIn, pixelsOut, taps };
}

/**
 * T [C·pixelsIn, pixelsOut·M] from W [M, C, kh, kw]: per input channel c, S [(i,o), K] · Wᵀ[c] [K, M]
 * (one MatMul, S broadcast over c), laid out (c, i, o, m).
 */
export function denseConvMatrix(w: Value, d: DenseConv): Value {
  const k = d.kernel[0] * d.kernel[1];
  const s = w.graph.constant(tensor([d.pixelsIn * d.pixelsOut, k], tapsByPixelPair(d), w.dtype));
  const wt = transpose(reshape(w, [d.m, d.c, k]), [1, 2, 0]);
  return reshape(matmul(s, wt), [d.c * d.pixelsIn, d.pixelsOut * d.m]);
}

/** Conv(x, w) + b = NCHW(Reshape(X, [B, C·pixelsIn]) · T + b'), b' = b repeated per output pixel. */
export function denseConv(x: Value, w: Value, d: DenseConv, [ho, wo]: readonly [number, number], b?: Value): Value {
  const rows = reshape(x, [0, d.c * d.pixelsIn]);
  const t = denseConvMatrix(w, d);
  // The bias rides in Gemm's C (pixelsOut·M values, b per pixel) instead of a broadcast Add over
  // Y: the CNN bench's train step ran 2-3 % faster (onnxruntime 1.30).
  const y = b ? gemm(rows, t, {}, reshape(mul(b.graph.constant(filled([d.pixelsOut, 1], 1, b.dtype)), reshape(b, [1, d.m])), [d.pixelsOut * d.m])) : gemm(rows, t);
  const nchw = reshape(transpose(reshape(y, [0, d.pixelsOut, d.m]), [0, 2, 1]), [0, d.m, ho, wo]);
  PIXEL_MAJOR.set(nchw, { rows: y, channels: d.m, pixels: d.pixelsOut });
  return nchw;
}

/** An NCHW image [B, C, H, W] also held as rows [B, H·W·C], pixel-major (before its transpose). */
export interface PixelMajor {
  readonly rows: Value;
  readonly channels: number;
  readonly pixels: number;
}

const PIXEL_MAJOR = new WeakMap<Value, PixelMajor>();

/**
 * x's pixel-major rows when x is a dense-form convolution's output, or Relu of one (the Relu is
 * then applied to the rows; elementwise, it commutes with the layout).
 */
export function pixelMajorOf(x: Value): PixelMajor | undefined {
  const known = PIXEL_MAJOR.get(x);
  if (known !== undefined || x.source.kind !== 'node' || x.source.node.op !== Relu) return known;
  const inner = x.source.node.inputs[0];
  const pm = inner === undefined ? undefined : PIXEL_MAJOR.get(inner);
  if (pm === undefined) return undefined;
  const rows = { ...pm, rows: relu(pm.rows) };
  PIXEL_MAJOR.set(x, rows);
  return rows;
}

/** Flatten(x, 1) (channel-major, as nn.Flatten), which keeps x's pixel-major rows for a following dense layer. */
export function flattenImage(x: Value): Value {
  const flat = flatten(x, 1);
  const pm = pixelMajorOf(x);
  if (pm !== undefined) PIXEL_MAJOR.set(flat, pm);
  return flat;
}

/**
 * A dense layer over x, flattened channel-major as nn.Flatten: Flatten(x) · Wᵀ + b. When x is a
 * dense-form convolution's output (its Relu, or their flattenImage), the GEMM reads its pixel-major rows and W's
 * columns are permuted to match ([U, C·P] → [U, P·C], a small transpose), so the image is never
 * transposed to NCHW: on the digits CNN that saved two [64, 16, 16] transposes per step.
 */
export function denseOverImage(x: Value, w: Value, b?: Value): Value {
  const pm = pixelMajorOf(x);
  const units = dimAt(w.shape, 0);
  if (pm === undefined || typeof units !== 'number') return gemm(x.shape.length > 2 ? flatten(x, 1) : x, w, { transB: true }, b);
  const permuted = reshape(transpose(reshape(w, [units, pm.channels, pm.pixels]), [0, 2, 1]), [units, pm.pixels * pm.channels]);
  return gemm(pm.rows, permuted, { transB: true }, b);
}

/** The tap matrix S[k, i, o] laid out as [(i, o), k]. */
function tapsByPixelPair(d: DenseConv): Float64Array {
  const k = d.kernel[0] * d.kernel[1];
  const out = new Float64Array(d.taps.length);
  for (let t = 0; t < k; t++) {
    for (let i = 0; i < d.pixelsIn; i++) {
      for (let o = 0; o < d.pixelsOut; o++) out[(i * d.pixelsOut + o) * k + t] = d.taps[(t * d.pixelsIn + i) * d.pixelsOut + o] ?? 0;
    }
  }
  return out;
}

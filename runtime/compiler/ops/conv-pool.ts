// A convolution in its patch form (conv-cols.ts) followed by a max pool whose windows tile its
// output, computed window by window. The patches come out window-major: one Conv by one-hot
// filters, with the pool's stride times the convolution's, gives for each pooled pixel the patch
// of every member of its window, so Z = P · [W | b]ᵀ is [B, Q, pixels, M] with the Q = qh·qw
// window members on their own axis. The pool is then a Split and a tree of Q − 1 elementwise
// "keep the left one unless the right one is greater", whose gradients are Where nodes: each
// window's gradient goes to its first maximum, as MaxPool's Indices (and PyTorch) pick it.
// A window whose maximum is NaN may differ from MaxPool (the tree keeps a NaN only when it comes
// first). Measured on onnxruntime 1.30 (native, one thread) with the digits CNN's first block (B 64,
// 1×8×8, 8 filters 3×3, pads 1, then 2×2 max pool and relu, forward and weight gradients): about
// 190-210 µs against 255-280 µs for the patch GEMM, MaxPool and MaxPoolGrad.

import type { Value } from '../ir';
import { dimAt } from '../shape';
import { tensor } from '../tensor';
import { greater, where } from './compare';
import { convOp } from './conv';
import { colsConvSource, colsWeights } from './conv-cols';
import { matmul } from './matmul';
import { reshape, transpose } from './reshape';
import { split } from './slice';

export interface TilingPool {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

/** maxPool(y) built window by window when y is a patch-form convolution whose output the windows tile; else undefined. */
export function pooledColsConv(y: Value, pool: TilingPool): Value | undefined {
  const source = colsConvSource(y);
  if (source === undefined) return undefined;
  const { x, w, b, plan: d } = source;
  const [qh, qw] = pool.kernel;
  const [ho, wo] = d.out;
  const tiles = pool.strides[0] === qh && pool.strides[1] === qw && pool.pads.every((p) => p === 0) && ho % qh === 0 && wo % qw === 0;
  const [h, wd] = [dimAt(x.shape, 2), dimAt(x.shape, 3)];
  if (!tiles || typeof h !== 'number' || typeof wd !== 'number') return undefined;
  const p = d.params;
  const [kh, kw] = d.kernel;
  // The window's patches span this kernel; its stride is the pool's times the convolution's.
  const span = [(qh - 1) * p.strides[0] + (kh - 1) * p.dilations[0] + 1, (qw - 1) * p.strides[1] + (kw - 1) * p.dilations[1] + 1] as const;
  const stride = [p.strides[0] * qh, p.strides[1] * qw] as const;
  const [hp, wp] = [ho / qh, wo / qw];
  // Ends padded just enough for hp × wp windows (never more than the convolution itself reads).
  const padEnd = [(hp - 1) * stride[0] + span[0] - h - p.pads[0], (wp - 1) * stride[1] + span[1] - wd - p.pads[1]] as const;
  if (padEnd[0] < 0 || padEnd[1] < 0) return undefined;

  const taps = d.c * kh * kw;
  const rows = b ? taps + 1 : taps;
  const members = qh * qw;
  // Filter (k, c, ty, tx) picks channel c at tap (ty, tx) of window member k = (a, e); with a
  // bias, filter (k, taps) is all zeros with bias 1 (a row of ones in P, for b in the GEMM).
  const filters = new Float64Array(members * rows * d.c * span[0] * span[1]);
  const ones = new Float64Array(members * rows);
  for (let a = 0; a < qh; a++) {
    for (let e = 0; e < qw; e++) {
      const k = a * qw + e;
      for (let c = 0; c < d.c; c++) {
        for (let ty = 0; ty < kh; ty++) {
          for (let tx = 0; tx < kw; tx++) {
            const r = k * rows + (c * kh + ty) * kw + tx;
            const [iy, ix] = [a * p.strides[0] + ty * p.dilations[0], e * p.strides[1] + tx * p.dilations[1]];
            filters[((r * d.c + c) * span[0] + iy) * span[1] + ix] = 1;
          }
        }
      }
      if (b) ones[k * rows + taps] = 1;
    }
  }
  const g = x.graph;
  const e = g.constant(tensor([members * rows, d.c, span[0], span[1]], filters, x.dtype));
  const bias = b ? g.constant(tensor([members * rows], ones, x.dtype)) : undefined;
  const patches = convOp(x, e, { strides: stride, pads: [p.pads[0], p.pads[1], padEnd[0], padEnd[1]] }, bias);
  const pixels = hp * wp;
  // [B, Q·R, hp, wp] → rows (member, pixel) × R, times [W | b]ᵀ: Z [B, Q, pixels, M].
  const byRow = reshape(transpose(reshape(patches, [0, members, rows, pixels]), [0, 1, 3, 2]), [0, members * pixels, rows]);
  const z = reshape(matmul(byRow, transpose(colsWeights(w, d, b), [1, 0])), [0, members, pixels, d.m]);
  const pooled = firstMax(split(z, Array.from({ length: members }, () => 1), 1));
  return reshape(transpose(reshape(pooled, [0, pixels, d.m]), [0, 2, 1]), [0, d.m, hp, wp]);
}

/**
 * The elementwise maximum of `parts` (in window order), ties to the earliest: each pair keeps its
 * left part unless the right one is greater; the halves keep the order, so "left" is "earlier".
 */
function firstMax(parts: readonly Value[]): Value {
  const [only] = parts;
  if (only === undefined) throw new Error('firstMax: no parts');
  if (parts.length === 1) return only;
  const half = Math.ceil(parts.length / 2);
  const left = firstMax(parts.slice(0, half));
  const right = firstMax(parts.slice(half));
  return where(greater(right, left), right, left);
}

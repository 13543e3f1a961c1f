// The weight gradient of a 2-D convolution as one GEMM over X's patches:
//     dW [M, C·K] = dY [M, (pixel, example)] · Pᵀ,   P [C·K, (pixel, example)] X's im2col (K = kh·kw taps),
// P gathered feature-major as conv-cols.ts gathers a patch-form convolution's input (every pick
// copies a contiguous row of B values), dY brought to [M·pixels, B] by one 2-D transpose.
// convWeightGrad's general form, a Conv of Xᵀ by dYᵀ (channels and batch swapped), runs in
// onnxruntime as an im2col per input channel followed by a GEMM whose N is the kernel's K taps
// (9 for 3×3): far from the GEMM peak. Measured on onnxruntime 1.30 (native, one thread), the
// 28×28 CNN's second layer (B 64, 32 → 64 channels, 14×14, 3×3, pads 1): 10.9 ms for the swapped
// Conv against ~5 ms this way (gather, transpose and GEMM).
// P is C·K·pixels values per example; beyond MAX_PATCH_VALUES the memory it takes is not worth it
// and the general form is kept.

import type { Value } from '../ir';
import { dimAt } from '../shape';
import type { ConvParams } from './conv-eval';
import { gatherPatches, patchPicks, patchReader } from './conv-cols';
import { gemm } from './matmul';
import { reshape, transpose } from './reshape';

/** At most this many patch values per example (512 KiB of float32): P holds B times as many. */
export const MAX_PATCH_VALUES = 1 << 17;

/**
 * dW[m, c, k] = Σ_n,o dY[n, m, o] · X[n, c, o·s + k·d − pad] (zero outside X) as one GEMM over X's
 * patches, when it applies: group 1, static channel and spatial dims, and P within MAX_PATCH_VALUES
 * per example. Otherwise undefined (convWeightGrad keeps its general form).
 */
export function colsWeightGrad(x: Value, dy: Value, kernel: readonly [number, number], p: ConvParams): Value | undefined {
  if (p.group !== 1) return undefined;
  const dims = [dimAt(x.shape, 1), dimAt(x.shape, 2), dimAt(x.shape, 3), dimAt(dy.shape, 1), dimAt(dy.shape, 2), dimAt(dy.shape, 3)];
  if (x.shape.length !== 4 || dy.shape.length !== 4 || !dims.every((d): d is number => typeof d === 'number')) return undefined;
  const [c, , , m, ho, wo] = dims as [number, number, number, number, number, number];
  const taps = c * kernel[0] * kernel[1];
  if (taps * ho * wo > MAX_PATCH_VALUES) return undefined;
  const reader = patchReader(x, { c, m, kernel, out: [ho, wo], params: p });
  const patches = reshape(gatherPatches(x, reader, patchPicks(reader, taps, [ho, wo], false)), [taps, -1]);
  const grads = reshape(transpose(reshape(dy, [0, m * ho * wo]), [1, 0]), [m, -1]);
  return reshape(gemm(grads, patches, { transB: true }), [m, c, kernel[0], kernel[1]]);
}

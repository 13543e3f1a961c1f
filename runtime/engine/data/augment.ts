// The image augmentations of the `data` block, applied to one training batch at a time.
//
// Each example (channels × height × width) goes through the list in order, drawing from one
// stream per step, example by example and augmentation by augmentation:
// - crop(pad): torchvision's RandomCrop(size, padding=pad) at the image's own size: the image is
//   padded by `pad` pixels on every side and a window of the original size is cut at an offset
//   (dy, dx), each drawn uniformly from 0…2·pad (dy first). Padding is black: the value a raw 0
//   becomes after the data's standardization (torchvision pads before ToTensor and Normalize);
//   with per-pixel statistics (zscore, minmax), those of the nearest pixel inside the image.
// - flip(p): torchvision's RandomHorizontalFlip(p): with probability p (one uniform draw < p),
//   the example is mirrored left to right.

import type { Rng } from './prng';

export type Augmentation = { readonly kind: 'crop'; readonly pad: number } | { readonly kind: 'flip'; readonly p: number };

export interface AugmentInput {
  /** size × channels × height × width values. */
  readonly x: Float32Array;
  readonly size: number;
  /** [channels, height, width]. */
  readonly shape: readonly [number, number, number];
  /** Per feature of one example: what a raw 0 is after standardization, for padding. */
  readonly padValue: Float32Array;
}

/** The batch's inputs with every augmentation applied; `input.x` is not changed. */
export function augmentBatch(input: AugmentInput, augmentations: readonly Augmentation[], rng: Rng): Float32Array {
  const [channels, height, width] = input.shape;
  const features = channels * height * width;
  const out = new Float32Array(input.x);
  const scratch = new Float32Array(features);
  for (let e = 0; e < input.size; e++) {
    const example = out.subarray(e * features, (e + 1) * features);
    for (const a of augmentations) {
      if (a.kind === 'crop') {
        const dy = rng.int(2 * a.pad + 1) - a.pad;
        const dx = rng.int(2 * a.pad + 1) - a.pad;
        if (dy === 0 && dx === 0) continue;
        shift(example, scratch, input.shape, dy, dx, input.padValue);
      } else {
        if (!(rng.uniform() < a.p)) continue;
        mirror(example, scratch, input.shape);
      }
      // The result is in scratch: copy it back into the batch.
      example.set(scratch);
    }
  }
  return out;
}

/** dst[c, y, x] = src[c, y + dy, x + dx], or the padding value where that falls outside the image. */
function shift(src: Float32Array, dst: Float32Array, shape: readonly [number, number, number], dy: number, dx: number, pad: Float32Array): void {
  const [channels, height, width] = shape;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      for (let x = 0; x < width; x++) {
        const sx = x + dx;
        const at = (c * height + y) * width + x;
        if (sy >= 0 && sy < height && sx >= 0 && sx < width) dst[at] = src[(c * height + sy) * width + sx] ?? 0;
        else dst[at] = pad[(c * height + clamp(sy, height)) * width + clamp(sx, width)] ?? 0;
      }
    }
  }
}

function mirror(src: Float32Array, dst: Float32Array, shape: readonly [number, number, number]): void {
  const [channels, height, width] = shape;
  for (let row = 0; row < channels * height; row++) {
    for (let x = 0; x < width; x++) dst[row * width + x] = src[row * width + width - 1 - x] ?? 0;
  }
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

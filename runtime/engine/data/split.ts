// The train/validation split of the `data` block.
//
// The first ⌊split·N⌋ examples of a seeded permutation (or of the file order without `shuffle`)
// are the training set and the rest the validation set; the split is not stratified, so class
// proportions match only in expectation. The permutation comes from `createRng(seed, 'split')`,
// independent of the streams that generate the data and order the batches.

import { createRng, permutation } from './prng';
import { subset } from './subset';
import type { Dataset } from './types';

export interface SplitOptions {
  /** Share of the examples used for training, in (0, 1]. */
  readonly split: number;
  readonly seed: number;
  /** Permute the examples before cutting; otherwise the first ones train. */
  readonly shuffle: boolean;
}

export function splitDataset(ds: Dataset, options: SplitOptions): { train: Dataset; val: Dataset } {
  const n = ds.count;
  const order = options.shuffle ? permutation(n, createRng(options.seed, 'split')) : Uint32Array.from({ length: n }, (_, i) => i);
  const cut = trainCount(n, options.split);
  return { train: subset(ds, order.subarray(0, cut)), val: subset(ds, order.subarray(cut)) };
}

/** ⌊split·n⌋ clamped to [0, n]. */
export function trainCount(n: number, split: number): number {
  // NOTE: 0.29·100 is 28.999999999999996 in floating point; the epsilon keeps it at 29.
  return Math.min(n, Math.max(0, Math.floor(split * n + 1e-9)));
}

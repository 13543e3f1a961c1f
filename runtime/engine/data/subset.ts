// Selecting examples of a dataset by index, the step under splits and batches.

import { featureSize, targetSize, type Dataset } from './types';

/** The examples `indices[0..n)` of `ds`, in that order, as x and y arrays. */
export function gatherRows(ds: Dataset, indices: ArrayLike<number>): { x: Float32Array; y: Float32Array } {
  const width = featureSize(ds);
  const yWidth = targetSize(ds);
  const x = new Float32Array(indices.length * width);
  const y = new Float32Array(indices.length * yWidth);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] ?? 0;
    x.set(ds.x.subarray(from * width, (from + 1) * width), i * width);
    y.set(ds.y.subarray(from * yWidth, (from + 1) * yWidth), i * yWidth);
  }
  return { x, y };
}

/** A dataset with the same metadata as `ds` holding the examples at `indices`. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  return { ...ds, ...gatherRows(ds, indices), count: indices.length };
}

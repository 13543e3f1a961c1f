// Mini-batches of one epoch, and one-hot targets.
//
// An epoch visits every example exactly once: in file order without `shuffle`, else in the order
// of a permutation drawn from `createRng(seed, 'batches', epoch)`, so any epoch can be replayed on
// its own (a resumed run sees the same batches). Batches hold `batch` examples except the last,
// which holds the remaining count mod batch when that is not 0 (it is kept, not dropped, so small
// datasets still train on every example).

import { createRng, permutation } from './prng';
import { gatherRows } from './subset';
import type { Dataset } from './types';

export interface Batch {
  /** size × prod(inputShape). */
  readonly x: Float32Array;
  /** size labels (class index as float) or size × targets, as `Dataset.y`. */
  readonly y: Float32Array;
  /** The class indices, for classification. */
  readonly labels?: Int32Array;
  readonly size: number;
  /** The examples' row indices in the dataset (per-example state such as SAF's stored logits). */
  readonly indices: Uint32Array;
}

export interface BatchOptions {
  /** Examples per batch, a positive integer. */
  readonly batch: number;
  readonly seed: number;
  /** 0-based epoch number; each epoch gets its own order. */
  readonly epoch: number;
  readonly shuffle: boolean;
}

/** The batches of one epoch, lazily. */
export function* batches(ds: Dataset, options: BatchOptions): Generator<Batch, void, undefined> {
  if (!Number.isInteger(options.batch) || options.batch < 1) throw new Error(`batch size must be a positive integer, got ${options.batch}`);
  const order = options.shuffle
    ? permutation(ds.count, createRng(options.seed, 'batches', options.epoch))
    : Uint32Array.from({ length: ds.count }, (_, i) => i);
  for (let start = 0; start < ds.count; start += options.batch) {
    const indices = order.slice(start, Math.min(ds.count, start + options.batch));
    const { x, y } = gatherRows(ds, indices);
    const size = Math.min(options.batch, ds.count - start);
    yield ds.task === 'classification' ? { x, y, labels: Int32Array.from(y), size, indices } : { x, y, size, indices };
  }
}

/** Number of batches per epoch: ⌈count / batch⌉. */
export function batchCount(count: number, batch: number): number {
  return Math.ceil(count / batch);
}

/** labels.length × classes, with 1 at each label's class; a label outside [0, classes) gives a zero row. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] ?? -1;
    if (Number.isInteger(c) && c >= 0 && c < classes) out[i * classes + c] = 1;
  }
  return out;
}

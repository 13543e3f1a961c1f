// Shared steps of the synthetic generators: splitting a sample count between classes and
// shuffling generated rows so that the examples of one class are not contiguous.

import { permutation, type Rng } from './prng';

/**
 * `n` examples split between `classes` as evenly as possible; the first `n mod classes` classes
 * get one more (as scikit-learn's `make_blobs`).
 */
export function countsPerClass(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, k) => Math.floor(n / classes) + (k < n % classes ? 1 : 0));
}

/**
 * Rows `x` (count × width) and `y` (count × yWidth) reordered by a random permutation drawn from
 * `rng`. Generators build examples class by class and shuffle last, as scikit-learn does with
 * `shuffle=True`, so that an unshuffled train/validation split still sees every class.
 */
export function shuffleRows(x: Float64Array, y: Float64Array, count: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  const width = count === 0 ? 0 : x.length / count;
  const yWidth = count === 0 ? 0 : y.length / count;
  const order = permutation(count, rng);
  const xs = new Float32Array(x.length);
  const ys = new Float32Array(y.length);
  order.forEach((from, to) => {
    xs.set(x.subarray(from * width, (from + 1) * width), to * width);
    ys.set(y.subarray(from * yWidth, (from + 1) * yWidth), to * yWidth);
  });
  return { x: xs, y: ys };
}

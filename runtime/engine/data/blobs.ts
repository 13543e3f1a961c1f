// `data blobs`: scikit-learn's `make_blobs` with our PRNG.
//
// As make_blobs with `centers=classes`, `center_box=(−10, 10)` and `cluster_std=spread`: the class
// centres are drawn uniformly in [−10, 10)^features, class k gets ⌊n/classes⌋ examples (one more
// for the first n mod classes classes), each its centre plus N(0, spread²·I), and the rows are
// shuffled. Differences: the numbers come from `createRng(seed, 'data', 'blobs')`, not NumPy.

import type { TechniqueUse } from '../../catalog';
import { intArg, numberArg } from './args';
import { createRng } from './prng';
import { countsPerClass, shuffleRows } from './synthetic';
import type { DataError, Dataset } from './types';

export function loadBlobs(source: TechniqueUse, seed: number): Dataset | DataError {
  const samples = intArg(source, 'samples', 1);
  if (typeof samples !== 'number') return samples;
  const features = intArg(source, 'features', 1);
  if (typeof features !== 'number') return features;
  const classes = intArg(source, 'classes', 2);
  if (typeof classes !== 'number') return classes;
  const spread = numberArg(source, 'spread');
  if (typeof spread !== 'number') return spread;

  const rng = createRng(seed, 'data', 'blobs');
  const centres = Float64Array.from({ length: classes * features }, () => -10 + 20 * rng.uniform());
  const x = new Float64Array(samples * features);
  const y = new Float64Array(samples);
  let row = 0;
  countsPerClass(samples, classes).forEach((n, k) => {
    for (let i = 0; i < n; i++, row++) {
      for (let f = 0; f < features; f++) x[row * features + f] = (centres[k * features + f] ?? 0) + spread * rng.normal();
      y[row] = k;
    }
  });
  return { name: 'blobs', task: 'classification', inputShape: [features], classes, count: samples, ...shuffleRows(x, y, samples, rng) };
}

// `data regression`: scikit-learn's `make_regression` with our PRNG.
//
// As make_regression with `n_informative=features`, `bias=0`, `effective_rank=None`: x ~ N(0, I)
// (count × features), W ~ 100·U[0, 1) (features × targets), y = xW + N(0, noise²·I). Differences:
// every feature is informative (scikit-learn's default uses only 10 of them), the rows are not
// shuffled (they are already i.i.d.), and the numbers come from `createRng(seed, 'data',
// 'regression')`, drawing x row by row first, then W, then the noise.

import type { TechniqueUse } from '../../catalog';
import { intArg, numberArg } from './args';
import { createRng } from './prng';
import type { DataError, Dataset } from './types';

export function loadRegression(source: TechniqueUse, seed: number): Dataset | DataError {
  const samples = intArg(source, 'samples', 1);
  if (typeof samples !== 'number') return samples;
  const features = intArg(source, 'features', 1);
  if (typeof features !== 'number') return features;
  const targets = intArg(source, 'targets', 1);
  if (typeof targets !== 'number') return targets;
  const noise = numberArg(source, 'noise');
  if (typeof noise !== 'number') return noise;

  const rng = createRng(seed, 'data', 'regression');
  const x = Float64Array.from({ length: samples * features }, () => rng.normal());
  const w = Float64Array.from({ length: features * targets }, () => 100 * rng.uniform());
  const y = new Float32Array(samples * targets);
  for (let i = 0; i < samples; i++) {
    for (let t = 0; t < targets; t++) {
      let sum = 0;
      for (let f = 0; f < features; f++) sum += (x[i * features + f] ?? 0) * (w[f * targets + t] ?? 0);
      y[i * targets + t] = sum + noise * rng.normal();
    }
  }
  return { name: 'regression', task: 'regression', inputShape: [features], targets, count: samples, x: Float32Array.from(x), y };
}

// `data moons`: scikit-learn's `make_moons` with our PRNG.
//
// As make_moons: the first ⌊n/2⌋ examples (class 0) lie on (cos t, sin t) and the other ⌈n/2⌉
// (class 1) on (1 − cos t, 0.5 − sin t), t evenly spaced over [0, π] (both ends included) in each
// half, then N(0, noise²) is added to every coordinate and the rows are shuffled. Differences: the
// numbers come from `createRng(seed, 'data', 'moons')` rather than NumPy, so the points are not
// those of scikit-learn with the same seed. Without noise every point lies in [−1, 2] × [−0.5, 1].

import type { TechniqueUse } from '../../catalog';
import { intArg, numberArg } from './args';
import { createRng } from './prng';
import { shuffleRows } from './synthetic';
import type { DataError, Dataset } from './types';

export function loadMoons(source: TechniqueUse, seed: number): Dataset | DataError {
  const samples = intArg(source, 'samples', 1);
  if (typeof samples !== 'number') return samples;
  const noise = numberArg(source, 'noise');
  if (typeof noise !== 'number') return noise;

  const rng = createRng(seed, 'data', 'moons');
  const outer = Math.floor(samples / 2);
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const inner = i >= outer;
    const t = inner ? linspace(Math.PI, samples - outer, i - outer) : linspace(Math.PI, outer, i);
    x[2 * i] = (inner ? 1 - Math.cos(t) : Math.cos(t)) + noise * rng.normal();
    x[2 * i + 1] = (inner ? 0.5 - Math.sin(t) : Math.sin(t)) + noise * rng.normal();
    y[i] = inner ? 1 : 0;
  }
  return { name: 'moons', task: 'classification', inputShape: [2], classes: 2, count: samples, ...shuffleRows(x, y, samples, rng) };
}

/** The i-th of n evenly spaced points of [0, end] (NumPy's linspace; a single point is 0). */
function linspace(end: number, n: number, i: number): number {
  return n <= 1 ? 0 : (end * i) / (n - 1);
}

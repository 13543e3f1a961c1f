// `data spirals`: our own arithmetic (Archimedean) spirals, as in the CS231n spiral data set
// generalized with `turns`; scikit-learn has no spiral generator.
//
// Arm k (class k) gets ⌊n/classes⌋ examples (one more for the first n mod classes arms). Its
// point i of m has radius r = i/m (so 0 ≤ r < 1) and angle θ = 2π·turns·r + 2πk/classes + N(0, noise²),
// and lies at (r sin θ, r cos θ); the rows are then shuffled. Every point lies in the open unit
// disc. The numbers come from `createRng(seed, 'data', 'spirals')`.

import type { TechniqueUse } from '../../catalog';
import { intArg, numberArg } from './args';
import { createRng } from './prng';
import { countsPerClass, shuffleRows } from './synthetic';
import type { DataError, Dataset } from './types';

export function loadSpirals(source: TechniqueUse, seed: number): Dataset | DataError {
  const samples = intArg(source, 'samples', 1);
  if (typeof samples !== 'number') return samples;
  const classes = intArg(source, 'classes', 2);
  if (typeof classes !== 'number') return classes;
  const noise = numberArg(source, 'noise');
  if (typeof noise !== 'number') return noise;
  const turns = numberArg(source, 'turns');
  if (typeof turns !== 'number') return turns;

  const rng = createRng(seed, 'data', 'spirals');
  const x = new Float64Array(samples * 2);
  const y = new Float64Array(samples);
  let row = 0;
  countsPerClass(samples, classes).forEach((m, k) => {
    for (let i = 0; i < m; i++, row++) {
      const r = i / m;
      const theta = 2 * Math.PI * turns * r + (2 * Math.PI * k) / classes + noise * rng.normal();
      x[2 * row] = r * Math.sin(theta);
      x[2 * row + 1] = r * Math.cos(theta);
      y[row] = k;
    }
  });
  return { name: 'spirals', task: 'classification', inputShape: [2], classes, count: samples, ...shuffleRows(x, y, samples, rng) };
}

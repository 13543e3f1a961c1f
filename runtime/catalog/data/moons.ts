import type { TechniqueEntry } from '../schema';
import { examplesOf, noiseParam, samplesParam, sklearnPaper } from './common';

export const moons: TechniqueEntry = {
  name: 'moons',
  kind: 'data',
  summary: 'Two interleaving half circles in 2-D, 2 classes (synthetic).',
  doc: 'Generates two interleaving half circles, as scikit-learn\'s `make_moons`: half of the examples lie on the upper unit half circle (class 0), half on a lower half circle shifted by (1, −0.5) (class 1), plus Gaussian noise. A small nonlinear problem that a linear model cannot solve.',
  rule: 'class 0: (cos t, sin t);  class 1: (1 − cos t, 0.5 − sin t);  t ~ evenly spaced in [0, π];  x += N(0, noise²·I)',
  paper: sklearnPaper,
  params: [
    samplesParam(1000),
    noiseParam(0.1, 'Standard deviation of the Gaussian noise added to each coordinate.'),
  ],
  data: (args) => ({ input: [2], classes: 2, task: 'classification', ...examplesOf(args) }),
};


import type { TechniqueEntry } from '../schema';

export const relu: TechniqueEntry = {
  name: 'relu',
  kind: 'activation',
  summary: 'Rectified linear unit: f(x) = max(0, x).',
  doc: 'Keeps positive values and zeroes negative ones. Its derivative is taken as 0 at x = 0, as in PyTorch. Pair it with `he` initialization.',
  rule: 'f(x) = max(0, x);  f\'(x) = 1[x > 0]',
  paper: { title: 'Rectified Linear Units Improve Restricted Boltzmann Machines', authors: 'V. Nair, G. E. Hinton', year: 2010, url: 'https://icml.cc/Conferences/2010/papers/432.pdf' },
  params: [],
};

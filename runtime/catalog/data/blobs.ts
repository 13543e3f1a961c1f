import type { TechniqueEntry } from '../schema';
import { examplesOf, classesParam, intArg, samplesParam, samplesPerClassRule, sklearnPaper } from './common';

export const blobs: TechniqueEntry = {
  name: 'blobs',
  kind: 'data',
  summary: 'Isotropic Gaussian clusters, one class per cluster (synthetic).',
  doc: 'Generates one isotropic Gaussian cluster per class, as scikit-learn\'s `make_blobs`: centres are drawn uniformly in the box [−10, 10]^features, and each example is its class centre plus Gaussian noise of standard deviation `spread`. Linearly separable when `spread` is small against the distance between centres.',
  rule: 'cₖ ~ U([−10, 10]^features);  class k: x = cₖ + N(0, spread²·I)',
  paper: sklearnPaper,
  params: [
    samplesParam(1000),
    { name: 'features', type: { kind: 'number', integer: true, min: 1 }, default: 2, doc: 'Dimension of each example.' },
    classesParam(3),
    { name: 'spread', type: { kind: 'number', min: 0, minExclusive: true }, default: 1, doc: 'Standard deviation of each cluster.' },
  ],
  rules: [samplesPerClassRule],
  data: (args) => {
    const features = intArg(args, 'features');
    return {
      ...(features === undefined ? {} : { input: [features] }),
      classes: intArg(args, 'classes'),
      task: 'classification',
      ...examplesOf(args),
    };
  },
};

import type { TechniqueEntry } from '../schema';
import { examplesOf, intArg, noiseParam, samplesParam, sklearnPaper } from './common';

export const regression: TechniqueEntry = {
  name: 'regression',
  kind: 'data',
  summary: 'A random linear regression problem with Gaussian noise (synthetic).',
  doc: 'Generates a linear regression problem, as scikit-learn\'s `make_regression`: inputs are standard Gaussian, targets are a fixed random linear map of them (coefficients drawn uniformly in [0, 100)) plus Gaussian noise. Use it with the `mse` loss and a model whose last layer has `targets` units.',
  rule: 'x ~ N(0, I_features);  y = Wx + N(0, noise²·I_targets),  W ~ U[0, 100)^{targets×features}',
  paper: sklearnPaper,
  params: [
    samplesParam(1000),
    { name: 'features', type: { kind: 'number', integer: true, min: 1 }, default: 8, doc: 'Number of input features.' },
    { name: 'targets', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Number of regression outputs.' },
    noiseParam(0.1, 'Standard deviation of the Gaussian noise added to the targets.'),
  ],
  data: (args) => {
    const features = intArg(args, 'features');
    return {
      ...(features === undefined ? {} : { input: [features] }),
      targets: intArg(args, 'targets'),
      task: 'regression',
      ...examplesOf(args),
    };
  },
};

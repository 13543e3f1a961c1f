import type { TechniqueEntry } from '../schema';

export const sigmoid: TechniqueEntry = {
  name: 'sigmoid',
  kind: 'activation',
  summary: 'Logistic sigmoid: f(x) = 1/(1 + e⁻ˣ), in (0, 1).',
  doc: 'Squashes values into (0, 1). It saturates for large |x| and is not zero-centred, so it trains slower than `tanh` or `relu` in hidden layers.',
  rule: 'f(x) = 1/(1 + e⁻ˣ);  f\'(x) = f(x)(1 − f(x))',
  paper: { title: 'Efficient BackProp', authors: 'Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller', year: 1998, url: 'https://doi.org/10.1007/3-540-49430-8_2' },
  params: [],
};

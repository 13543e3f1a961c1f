import type { TechniqueEntry } from '../schema';

export const tanh: TechniqueEntry = {
  name: 'tanh',
  kind: 'activation',
  summary: 'Hyperbolic tangent: f(x) = tanh(x), in (−1, 1).',
  doc: 'A zero-centred sigmoid-shaped activation with outputs in (−1, 1). It saturates for large |x|, where its gradient vanishes. Pair it with `xavier` initialization.',
  rule: 'f(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ);  f\'(x) = 1 − f(x)²',
  paper: { title: 'Efficient BackProp', authors: 'Y. LeCun, L. Bottou, G. B. Orr, K.-R. Müller', year: 1998, url: 'https://doi.org/10.1007/3-540-49430-8_2' },
  params: [],
};

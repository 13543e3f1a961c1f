import type { TechniqueEntry } from '../schema';

export const dropout: TechniqueEntry = {
  name: 'dropout',
  kind: 'layer',
  summary: 'Dropout: zero each activation with probability p while training.',
  doc: 'While training, sets each activation to zero with probability `p` and scales the others by 1/(1 − p) so the expected value is unchanged (inverted dropout, as PyTorch `nn.Dropout`); at evaluation it is the identity. Masks are drawn from the recipe\'s seed.',
  rule: 'training: y = x ⊙ m / (1 − p),  mᵢ ~ Bernoulli(1 − p);  evaluation: y = x',
  paper: { title: 'Dropout: A Simple Way to Prevent Neural Networks from Overfitting', authors: 'N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov', year: 2014, url: 'https://jmlr.org/papers/v15/srivastava14a.html' },
  params: [
    { name: 'p', type: { kind: 'fraction', maxExclusive: true }, default: 0.5, positional: true, doc: 'Probability of zeroing each activation.' },
  ],
  rules: [
    { severity: 'warning', param: 'p', message: 'dropout(0) has no effect', when: (a) => a['p'] === 0 },
  ],
  layer: {
    infer: (input) => ({ ok: true, output: input, weights: [], flops: 0 }),
  },
};

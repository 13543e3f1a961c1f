import type { TechniqueEntry } from '../schema';

export const mlp: TechniqueEntry = {
  name: 'mlp',
  kind: 'model',
  summary: 'Multilayer perceptron: a stack of dense layers (with optional dropout).',
  doc: 'A feed-forward network of `dense` layers, each with its own activation and normalization, and optional `dropout` between them. Image inputs are flattened by the first dense layer. The last layer\'s units must match the number of classes (or regression targets).',
  rule: 'h₀ = flatten(x);  hₗ = act_l(norm_l(hₗ₋₁Wₗᵀ + bₗ));  output = h_L',
  paper: { title: 'Learning representations by back-propagating errors', authors: 'D. E. Rumelhart, G. E. Hinton, R. J. Williams', year: 1986, url: 'https://doi.org/10.1038/323533a0' },
  params: [],
  layers: ['dense', 'dropout'],
};

import type { TechniqueEntry } from '../schema';

export const sparsity: TechniqueEntry = {
  name: 'sparsity',
  kind: 'metric',
  summary: 'Share of exactly-zero weights, overall and per pruned layer.',
  doc: 'The fraction of entries that are exactly zero among the compressible weights (matrices and kernels, not biases or normalization parameters): over the whole model and for each pruned layer. Zero before pruning starts, and the target sparsity once the mask is complete.',
  rule: 'sparsity = |{i : wᵢ = 0}| / N over the weight matrices and kernels (and per layer)',
  params: [],
};

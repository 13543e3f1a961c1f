import type { TechniqueEntry } from '../schema';

export const mse: TechniqueEntry = {
  name: 'mse',
  kind: 'loss',
  summary: 'Mean squared error, for regression.',
  doc: 'The squared difference between the model\'s outputs and the targets, averaged over outputs and batch, as PyTorch `nn.MSELoss`. The model\'s last layer should have one unit per target and no activation.',
  rule: 'L = (1/(B·T)) Σ_b Σ_t (ŷ_bt − y_bt)²',
  params: [],
};

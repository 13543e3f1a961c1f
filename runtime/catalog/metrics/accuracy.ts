import type { TechniqueEntry } from '../schema';

export const accuracy: TechniqueEntry = {
  name: 'accuracy',
  kind: 'metric',
  summary: 'Share of examples whose highest-scoring class is the label (classification).',
  doc: 'The fraction of examples for which the arg-max of the model\'s outputs equals the label, per training step (on the batch, with the weights before the step) and per epoch on the validation split. Defined for classification data only.',
  rule: 'acc = (1/N) Σ 1[argmax_c f_w(x)_c = y]',
  params: [],
};

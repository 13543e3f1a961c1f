import type { TechniqueEntry } from '../schema';

export const loss: TechniqueEntry = {
  name: 'loss',
  kind: 'metric',
  summary: 'The training objective, on the training batches and the validation set.',
  doc: 'Streams the training loss of every step (the batch mean of the `loss` of the train block, before regularizers are added) and, every epoch, its mean over the training epoch and over the validation split.',
  rule: 'train: L_B(w) per step and its mean over the epoch;  validation: (1/N_val) Σ ℓ(f_w(x), y) per epoch',
  params: [],
};

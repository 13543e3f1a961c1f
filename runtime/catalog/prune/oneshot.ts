import type { TechniqueEntry } from '../schema';

export const oneshot: TechniqueEntry = {
  name: 'oneshot',
  kind: 'prune_schedule',
  summary: 'Prune to the target sparsity at once, at `from`, and fine-tune with the mask until `to`.',
  doc: 'Computes the mask once, at the start of the pruning phase, at the full target sparsity, and keeps it fixed while training continues. Cheaper than gradual pruning but usually less accurate at high sparsity.',
  rule: 's(t) = 0 for t < from;  s(t) = s_target for t ≥ from (mask fixed)',
  paper: { title: 'Learning both Weights and Connections for Efficient Neural Networks', authors: 'S. Han, J. Pool, J. Tran, W. J. Dally', year: 2015, url: 'https://arxiv.org/abs/1506.02626' },
  params: [],
};

import type { TechniqueEntry } from '../schema';

export const magnitude: TechniqueEntry = {
  name: 'magnitude',
  kind: 'prune_method',
  summary: 'Magnitude pruning: remove the weights with the smallest |w|.',
  doc: 'Scores each weight by its absolute value and zeroes the lowest-scoring share, either with one threshold over all pruned layers (`global`) or with the target sparsity in every layer (`layer`). With an N:M `pattern` the N largest of every M consecutive weights along the input dimension are kept instead. Pruned weights stay exactly zero: their gradients, momentum and weight decay are masked.',
  rule: 'τ = s-quantile of |w| (over all pruned layers, or per layer);  m = 1[|w| > τ];  W ← W ⊙ m after every step',
  paper: { title: 'Learning both Weights and Connections for Efficient Neural Networks', authors: 'S. Han, J. Pool, J. Tran, W. J. Dally', year: 2015, url: 'https://arxiv.org/abs/1506.02626' },
  params: [
    {
      name: 'scope',
      type: { kind: 'enum', members: [
        { name: 'global', doc: 'One threshold over all pruned layers: layers with many small weights lose more.' },
        { name: 'layer', doc: 'Every pruned layer reaches the target sparsity on its own.' },
      ] },
      default: 'global',
      doc: 'Whether the threshold is shared by all pruned layers or set per layer (ignored with an N:M pattern, which is always per group).',
    },
  ],
};

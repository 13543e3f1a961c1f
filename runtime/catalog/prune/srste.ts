import type { TechniqueEntry } from '../schema';

export const srste: TechniqueEntry = {
  name: 'srste',
  kind: 'prune_method',
  summary: 'SR-STE: train N:M sparse weights with a sparse-refined straight-through estimator.',
  doc: 'Keeps the dense weights, recomputes the N:M magnitude mask every step, and runs the forward pass with the masked weights. The backward pass passes the gradient straight through to all weights and adds a decay λ_W on the pruned ones, which stabilizes the mask. Needs an N:M `pattern` in the prune block. With decay = 0 it is a plain straight-through estimator.',
  rule: 'm = top-N of |W| in every group of M along the input dimension;  forward with W̃ = W ⊙ m;  ∇_W = ∇_W̃ L + λ_W (1 − m) ⊙ W',
  paper: { title: 'Learning N:M Fine-grained Structured Sparse Neural Networks From Scratch', authors: 'A. Zhou, Y. Ma, J. Zhu, J. Liu, Z. Zhang, K. Yuan, W. Sun, H. Li', year: 2021, url: 'https://arxiv.org/abs/2102.04010' },
  params: [
    { name: 'decay', type: { kind: 'number', min: 0 }, default: 2e-4, positional: true, doc: 'Decay λ_W applied to the pruned weights in the backward pass.' },
  ],
  rules: [
    { severity: 'warning', param: 'decay', message: 'decay = 0 makes SR-STE a plain straight-through estimator, whose masks tend to flip often', when: (a) => a['decay'] === 0 },
  ],
};

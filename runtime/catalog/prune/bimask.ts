import type { TechniqueEntry } from '../schema';
import { positiveDurationRule } from '../rules';

// Catalog A44, read in the official zyxxmu/Bi-Mask (CnnModels/utils/conv_type.py: NMConv,
// MyConv2d_Lay, get_best_permutation, get_n_m_backward_matrix; CnnModels/utils/options.py;
// CnnModels/cifar.py increments `iter` after every optimizer step). Minima runs it on dense
// layers (the official code is for convolutions).
export const bimask: TechniqueEntry = {
  name: 'bimask',
  kind: 'prune_method',
  summary: 'Bi-Mask: N:M training with separate forward and backward masks (Zhang et al., 2023).',
  doc: 'Trains dense weights with two N:M masks recomputed every step. The forward mask m_f keeps the N largest |w| of every M along the input dimension. The backward mask m_b is N:M along the output dimension of W⊙m_f after permuting its rows; the permutation is chosen every `every` steps among `candidates` random ones (seeded by the recipe) as the one whose m_b keeps the most entries. The forward pass uses W⊙m_f; the layer\'s input gradient uses W⊙m_b, so the backward GEMM is N:M too; the weight gradient passes straight through with SR-STE\'s decay λ(1 − m_f)⊙W. At `to` m_f is fixed and pruned weights are held at zero. Needs an N:M `pattern`, dense layers with a vector input, and output widths that are multiples of M.',
  rule: 'm_f = N:M of |W| along the input;  m_b = m_f ⊙ P⁻¹(N:M of |P(W⊙m_f)| along the output);  y = x(W⊙m_f)ᵀ;  g_x = g(W⊙m_b);  g_W = gᵀx + λ(1 − m_f)⊙W;  P = argmax over `candidates` random permutations of Σ m_b, every `every` steps',
  paper: { title: 'Bi-directional Masks for Efficient N:M Sparse Training', authors: 'Y. Zhang, Y. Luo, M. Lin, Y. Zhong, J. Xie, F. Chao, R. Ji', year: 2023, url: 'https://arxiv.org/abs/2302.06058' },
  params: [
    { name: 'decay', type: { kind: 'number', min: 0 }, default: 2e-4, positional: true, doc: 'λ on the pruned weights\' gradients, (1 − m_f)⊙W (official default 2e-4).' },
    { name: 'every', type: { kind: 'duration' }, default: { kind: 'duration', value: 100, unit: 'step' }, doc: 'Steps between permutation searches (official `iter`, 100).' },
    { name: 'candidates', type: { kind: 'number', integer: true, min: 1 }, default: 10, doc: 'Random permutations tried per search (official `greedy_num`, 10).' },
  ],
  rules: [
    positiveDurationRule('every'),
    { severity: 'warning', param: 'decay', message: 'decay = 0 leaves the pruned weights undecayed: the forward mask tends to flip often (watch flip_rate)', when: (a) => a['decay'] === 0 },
  ],
};

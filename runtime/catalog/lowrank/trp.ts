import type { TechniqueEntry } from '../schema';
import { positiveDurationRule } from '../rules';

export const trp: TechniqueEntry = {
  name: 'trp',
  kind: 'lowrank',
  summary: 'Trained Rank Pruning: project weights to low rank during training, then factorize.',
  doc: 'During the low-rank phase, every `every` the selected weights are replaced by their truncated SVD keeping `energy` of Σσ² (Xu et al., 2020; official code yuhuixu1993/Trained-Rank-Pruning), so training continues from low-rank weights and adapts to the truncation; an optional nuclear-norm term λ_nuc·U_kV_kᵀ in the gradient pushes singular values down. At the end each layer is split into two factors without fine-tuning. Conv kernels use the channel decomposition (C·kh, N·kw); 1×1 convs are not decomposed.',
  rule: 'every `every`: M = reshape(W);  M = USVᵀ;  k = min{i : Σ_{j≤i}σ_j² ≥ energy·Σσ²};  W ← reshape(U_k S_k V_kᵀ);  ∇W += λ_nuc U_k V_kᵀ',
  paper: { title: 'Trained Rank Pruning for Efficient Deep Neural Networks', authors: 'Y. Xu, Y. Li, S. Zhang, W. Wen, B. Wang, Y. Qi, Y. Chen, W. Lin, H. Xiong', year: 2020, url: 'https://arxiv.org/abs/1812.02402' },
  params: [
    { name: 'energy', type: { kind: 'fraction', minExclusive: true }, default: 0.99, doc: 'Share e of the squared singular values kept by each projection.' },
    { name: 'nuclear', type: { kind: 'number', min: 0 }, default: 0, doc: 'Weight λ_nuc of the nuclear-norm regularization (the paper\'s script uses 3e-4).' },
    { name: 'every', type: { kind: 'duration' }, default: { kind: 'duration', value: 1, unit: 'step' }, doc: 'Time between projections (the official code projects every step).' },
  ],
  rules: [
    { severity: 'warning', param: 'energy', message: 'energy = 100% never lowers the rank: TRP then only costs an SVD per projection', when: (a) => a['energy'] === 1 },
    positiveDurationRule('every'),
  ],
};

import type { TechniqueEntry } from '../schema';
import { betaParams, decoupledDecayRule, epsParam, lrParam, weightDecayParam } from './common';

export const dct_adam: TechniqueEntry = {
  name: 'dct_adam',
  kind: 'optimizer',
  summary: 'Low-rank Adam on DCT bases: the gradient projected on its r best-aligned DCT columns, no SVD.',
  doc: 'SVD-free low-rank gradient projection (Modoranu et al.): like GaLore, Adam runs in a rank-r subspace of each weight matrix, but the basis is a fixed orthonormal DCT-II matrix Q, built once, from which every `every` steps the r columns best aligned with the gradient are picked (largest ‖Q_jᵀG‖₂); only their indices are kept. For G ∈ R^{m×n} with m ≤ n the projection is on the left (R = PᵀG ∈ R^{r×n}), else on the right (R = GP ∈ R^{m×r}), so Adam\'s two moments take r·max(m, n) values instead of m·n; conv kernels are viewed as (out, in·kh·kw). The step is α·P·Adam(R) (or α·Adam(R)Pᵀ); weights with fewer than two dimensions take plain Adam, and weight decay is decoupled. A rank at or above min(m, n) keeps the whole basis. UNVERIFIED: this entry follows the catalog\'s rule from the paper as remembered ([paper/mem]); no official code was read, the defaults are GaLore-like suggestions, and the moments are kept as they are when the basis changes (the paper may rotate them into the new basis, and may add error feedback; neither is done here).',
  rule: 'Q ∈ R^{m×m} orthonormal DCT-II;  every T steps: idx = the r columns j with largest ‖Q_jᵀG‖₂, P = Q[:, idx];  R = PᵀG;  m ← β₁m + (1 − β₁)R;  v ← β₂v + (1 − β₂)R²;  U = (m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε);  w ← w(1 − ηλ) − η α P U',
  paper: { title: 'SVD-Free Low-Rank Adaptive Gradient Optimization for Large Language Models', authors: 'I.-V. Modoranu, M. Safaryan, E. Schultheis, D. Alistarh', year: 2025, url: 'https://arxiv.org/abs/2505.17967' },
  params: [
    lrParam(1e-3),
    ...betaParams(0.9, 0.999),
    epsParam(1e-8),
    weightDecayParam(0, 'decoupled'),
    { name: 'rank', type: { kind: 'number', integer: true, min: 1 }, default: 8, doc: 'Rank r of the subspace (GaLore-like: about a quarter of min(m, n)); at least min(m, n) keeps the full DCT basis.' },
    { name: 'every', type: { kind: 'number', integer: true, min: 1 }, default: 200, doc: 'Steps T between re-selections of the DCT columns (on steps 1, 1 + T, …).' },
    { name: 'scale', type: { kind: 'number', min: 0, minExclusive: true }, default: 0.25, doc: 'Scale α of the projected-back update.' },
  ],
  rules: [
    decoupledDecayRule(),
    { severity: 'warning', param: 'scale', message: 'scale > 1 enlarges the projected update beyond Adam\'s own step size', when: (a) => typeof a['scale'] === 'number' && a['scale'] > 1 },
  ],
};

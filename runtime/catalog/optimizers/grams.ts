import type { TechniqueEntry } from '../schema';
import { betaParams, decoupledDecayRule, epsParam, lrParam, weightDecayParam } from './common';

export const grams: TechniqueEntry = {
  name: 'grams',
  kind: 'optimizer',
  summary: 'Grams: Adam\'s step size with the direction of the current gradient.',
  doc: 'Grams (gradient descent with adaptive momentum scaling) computes the Adam update, keeps only its magnitude and takes its direction from the sign of the current gradient, so every coordinate moves downhill. Weight decay is decoupled. A drop-in replacement for Adam; where sign(m) = sign(g) it equals Adam.',
  rule: 'm ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  u = (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε);  w ← w − η (sign(g) ⊙ |u| + λw)',
  paper: { title: 'Grams: Gradient Descent with Adaptive Momentum Scaling', authors: 'Y. Cao, X. Li, Z. Song', year: 2025, url: 'https://arxiv.org/abs/2412.17107' },
  params: [
    lrParam(1e-3),
    ...betaParams(0.9, 0.999),
    epsParam(1e-8),
    weightDecayParam(0, 'decoupled'),
  ],
  rules: [decoupledDecayRule()],
};

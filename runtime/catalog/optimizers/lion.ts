import type { TechniqueEntry } from '../schema';
import { betaParams, decoupledDecayRule, lrParam, over, weightDecayParam } from './common';

export const lion: TechniqueEntry = {
  name: 'lion',
  kind: 'optimizer',
  summary: 'Lion: sign of an interpolated momentum, with decoupled weight decay; one state tensor.',
  doc: 'Lion (Chen et al., 2023; official code google/automl, `lion_pytorch.py`) steps by the sign of an interpolation between momentum and gradient, so every coordinate moves by exactly η (plus decay). Its steps are larger than Adam\'s: use a learning rate 3–10× smaller and a weight decay 3–10× larger than for AdamW. With decoupled decay λ, Lion minimizes the loss subject to ‖w‖∞ ≤ 1/λ (Lion-κ analysis). It keeps one state tensor per parameter.',
  rule: 'w ← w(1 − ηλ);  c = β₁m + (1 − β₁)g;  w ← w − η sign(c);  m ← β₂m + (1 − β₂)g',
  paper: { title: 'Symbolic Discovery of Optimization Algorithms', authors: 'X. Chen, C. Liang, D. Huang, E. Real, K. Wang, Y. Liu, H. Pham, X. Dong, T. Luong, C.-J. Hsieh, Y. Lu, Q. V. Le', year: 2023, url: 'https://arxiv.org/abs/2302.06675' },
  params: [
    lrParam(1e-4),
    ...betaParams(0.9, 0.99),
    weightDecayParam(0, 'decoupled'),
  ],
  rules: [
    decoupledDecayRule(),
    { severity: 'warning', param: 'lr', message: 'lr > 1e-3 is large for Lion, whose sign updates move every weight by lr; use 3–10× less than for AdamW', when: (a) => over(a['lr'], 1e-3) },
  ],
};

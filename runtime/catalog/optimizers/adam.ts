import type { TechniqueEntry } from '../schema';
import { betaParams, epsParam, lrParam, weightDecayParam } from './common';

export const adam: TechniqueEntry = {
  name: 'adam',
  kind: 'optimizer',
  summary: 'Adam: per-coordinate steps from bias-corrected first and second gradient moments.',
  doc: 'Adam as in PyTorch `torch.optim.Adam`. Weight decay is *coupled*: λw is added to the gradient before the moments, so it is rescaled by the adaptive denominator (use `adamw` for decoupled decay). `amsgrad` keeps the running maximum of the second moment, which makes the effective step non-increasing.',
  rule: 'g ← g + λw;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ = v/(1 − β₂ᵗ) (amsgrad: v̂ ← max(v̂, v/(1 − β₂ᵗ)));  w ← w − η (m/(1 − β₁ᵗ)) / (√v̂ + ε)',
  paper: { title: 'Adam: A Method for Stochastic Optimization', authors: 'D. P. Kingma, J. Ba', year: 2015, url: 'https://arxiv.org/abs/1412.6980' },
  params: [
    lrParam(1e-3),
    ...betaParams(0.9, 0.999),
    epsParam(1e-8),
    weightDecayParam(0, 'coupled'),
    { name: 'amsgrad', type: { kind: 'bool' }, default: false, doc: 'Use the AMSGrad variant (Reddi et al., 2018): divide by the running maximum of the second moment.' },
  ],
};

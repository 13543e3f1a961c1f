import type { TechniqueEntry } from '../schema';
import { betaParams, decoupledDecayRule, epsParam, lrParam, weightDecayParam } from './common';

export const adamw: TechniqueEntry = {
  name: 'adamw',
  kind: 'optimizer',
  summary: 'AdamW: Adam with decoupled weight decay.',
  doc: 'AdamW as in PyTorch `torch.optim.AdamW`: the weights are shrunk by (1 − ηλ) directly instead of adding λw to the gradient, so the decay is not rescaled by the adaptive denominator. This is the default choice for Adam-type training with weight decay.',
  rule: 'w ← w(1 − ηλ);  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  w ← w − η (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε)',
  paper: { title: 'Decoupled Weight Decay Regularization', authors: 'I. Loshchilov, F. Hutter', year: 2019, url: 'https://arxiv.org/abs/1711.05101' },
  params: [
    lrParam(1e-3),
    ...betaParams(0.9, 0.999),
    epsParam(1e-8),
    weightDecayParam(1e-2, 'decoupled'),
    { name: 'amsgrad', type: { kind: 'bool' }, default: false, doc: 'Use the AMSGrad variant: divide by the running maximum of the second moment.' },
  ],
  rules: [decoupledDecayRule()],
};

import type { TechniqueEntry } from '../schema';
import { betaParams, decoupledDecayRule, epsParam, lrParam, nesterovParam, projectionParams, projectionRules, weightDecayParam } from './common';

export const adamp: TechniqueEntry = {
  name: 'adamp',
  kind: 'optimizer',
  summary: 'AdamP: Adam that removes the radial part of the update on scale-invariant weights.',
  doc: 'AdamP (Heo et al., 2021; official code clovaai/AdamP) detects weights whose loss is invariant to their scale (e.g. before a normalization layer) by a small cosine between gradient and weight, and projects the update onto the tangent space there, so the weight norm no longer grows and the effective step does not shrink. The test runs per output channel, then per tensor; 1-D parameters are never projected. Weight decay is decoupled and multiplied by `wd_ratio` where the projection fired. With `delta: 0` it is exactly Adam with decoupled decay.',
  rule: 'm ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  u = m / (√v/√(1 − β₂ᵗ) + ε);  if ndim(w) > 1 and max |cos(g, w)| < δ/√(row length): ŵ = w/‖w‖, u ← u − ŵ⟨ŵ, u⟩, k = wd_ratio else k = 1;  w ← w(1 − ηλk);  w ← w − η/(1 − β₁ᵗ) · u',
  paper: { title: 'AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant Weights', authors: 'B. Heo, S. Chun, S. J. Oh, D. Han, S. Yun, G. Kim, Y. Uh, J.-W. Ha', year: 2021, url: 'https://arxiv.org/abs/2006.08217' },
  params: [
    lrParam(1e-3),
    ...betaParams(0.9, 0.999),
    epsParam(1e-8),
    weightDecayParam(0, 'decoupled'),
    ...projectionParams,
    nesterovParam(false),
  ],
  rules: [...projectionRules, decoupledDecayRule()],
};

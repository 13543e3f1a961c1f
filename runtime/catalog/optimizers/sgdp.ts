import type { TechniqueEntry } from '../schema';
import { decoupledDecayRule, epsParam, momentumType, nesterovParam, projectionParams, projectionRules, requiredLrParam, weightDecayParam } from './common';

export const sgdp: TechniqueEntry = {
  name: 'sgdp',
  kind: 'optimizer',
  summary: 'SGDP: momentum SGD that removes the radial part of the update on scale-invariant weights.',
  doc: 'SGDP (Heo et al., 2021; official code clovaai/AdamP, `sgdp.py`) is SGD with momentum plus the AdamP projection: where a weight tensor looks scale-invariant (small cosine between gradient and weight, per channel then per tensor), the radial component of the update is removed and weight decay is scaled by `wd_ratio`. Weight decay is decoupled and divided by (1 − μ), as in the official code. The learning rate has no default.',
  rule: 'b ← μb + (1 − τ)g;  d = g + μb (nesterov) or b;  if ndim(w) > 1 and max |cos(g, w)| < δ/√(row length): ŵ = w/‖w‖, d ← d − ŵ⟨ŵ, d⟩, k = wd_ratio else k = 1;  w ← w(1 − ηλk/(1 − μ));  w ← w − η d',
  paper: { title: 'AdamP: Slowing Down the Slowdown for Momentum Optimizers on Scale-invariant Weights', authors: 'B. Heo, S. Chun, S. J. Oh, D. Han, S. Yun, G. Kim, Y. Uh, J.-W. Ha', year: 2021, url: 'https://arxiv.org/abs/2006.08217' },
  params: [
    requiredLrParam,
    { name: 'momentum', type: momentumType, default: 0, doc: 'Momentum factor μ.' },
    { name: 'dampening', type: { kind: 'number', min: 0, max: 1 }, default: 0, doc: 'Dampening τ of the momentum buffer.' },
    weightDecayParam(0, 'decoupled'),
    nesterovParam(false),
    epsParam(1e-8),
    ...projectionParams,
  ],
  rules: [
    ...projectionRules,
    // SGDP divides the decay by (1 − μ), so the factor that must stay below 1 is ηλ/(1 − μ).
    decoupledDecayRule((a) => (typeof a['momentum'] === 'number' && a['momentum'] < 1 ? 1 / (1 - a['momentum']) : Infinity), 'lr · weight_decay / (1 − momentum)'),
  ],
};

import type { TechniqueEntry, TechniqueUse } from '../schema';
import { techniqueName } from '../values';
import { decoupledDecayRule, lrParam, momentumType, nesterovParam, weightDecayParam } from './common';

/** MuonWithAuxAdam's settings for the parameters Muon does not handle (KellerJordan/Muon). */
const auxDefault: TechniqueUse = {
  kind: 'technique',
  name: 'adamw',
  entryKind: 'optimizer',
  args: { lr: 3e-4, beta1: 0.9, beta2: 0.95, eps: 1e-10, weight_decay: 0, amsgrad: false },
};

export const muon: TechniqueEntry = {
  name: 'muon',
  kind: 'optimizer',
  summary: 'Muon: momentum orthogonalized by Newton–Schulz iterations, for 2-D weights.',
  doc: 'Muon (K. Jordan et al., 2024; official code KellerJordan/Muon) replaces the momentum of each weight matrix by the nearest semi-orthogonal matrix UVᵀ, approximated with `ns_steps` quintic Newton–Schulz iterations; conv kernels are viewed as (out, in·kh·kw). This is steepest descent under the spectral norm (a non-Euclidean trust region). Muon updates the weights of the hidden layers; the first and last layers\' weights (the input and output layers), biases and norm gains are updated by the `aux` optimizer (AdamW by default), as in `MuonWithAuxAdam`. Weight decay is decoupled.',
  rule: 'b ← b + (1 − β)(g − b);  u = (1 − β)g + βb (nesterov) or b;  X₀ = u/(‖u‖_F + 1e-7);  repeat ns_steps: A = XXᵀ, X ← aX + (bA + cA²)X with (a, b, c) = (3.4445, −4.7750, 2.0315);  w ← w(1 − ηλ);  w ← w − η X · √max(1, rows/cols)',
  paper: { title: 'Understanding Gradient Orthogonalization for Deep Learning via Non-Euclidean Trust-Region Optimization', authors: 'D. Kovalev', year: 2025, url: 'https://arxiv.org/abs/2503.12645' },
  params: [
    lrParam(0.02),
    { name: 'momentum', type: momentumType, default: 0.95, doc: 'Momentum factor β of the buffer that is orthogonalized.' },
    nesterovParam(true),
    { name: 'ns_steps', type: { kind: 'number', integer: true, min: 1 }, default: 5, doc: 'Number of Newton–Schulz iterations.' },
    weightDecayParam(0, 'decoupled'),
    { name: 'aux', type: { kind: 'technique', of: ['optimizer'] }, default: auxDefault, doc: 'Optimizer for the parameters Muon leaves: those with fewer than two dimensions (biases, norm gains), which it cannot orthogonalize, and, with `hidden_only`, the first and last layers\' weights.' },
    { name: 'hidden_only', type: { kind: 'bool' }, default: true, doc: 'Muon updates only the hidden layers\' weights; the first and the last layer with a weight go to `aux`, as the official Muon code recommends (the input and output layers are not hidden weight matrices). false: Muon updates every weight with two or more dimensions.' },
  ],
  rules: [
    decoupledDecayRule(),
    { severity: 'error', param: 'aux', message: 'aux handles the 1-D parameters (biases, gains), which Muon cannot orthogonalize; choose another optimizer such as adamw', when: (a) => techniqueName(a['aux']) === 'muon' },
    { severity: 'warning', param: 'hidden_only', message: 'Muon on the first and last layers: MuonWithAuxAdam keeps the input and output layers on AdamW (Muon is for hidden weight matrices)', when: (a) => a['hidden_only'] === false },
  ],
};

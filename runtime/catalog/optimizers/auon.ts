import type { TechniqueEntry, TechniqueUse } from '../schema';
import { techniqueName } from '../values';
import { decoupledDecayRule, lrParam, momentumType, weightDecayParam } from './common';

/** The README's optimizer for the parameters with fewer than two dimensions: Adam(lr 0.008, β (0.8, 0.95)). */
const auxDefault: TechniqueUse = {
  kind: 'technique',
  name: 'adam',
  entryKind: 'optimizer',
  args: { lr: 0.008, beta1: 0.8, beta2: 0.95, eps: 1e-8, weight_decay: 0, amsgrad: false },
};

export const auon: TechniqueEntry = {
  name: 'auon',
  kind: 'optimizer',
  summary: 'AuON: momentum scaled by a cosh-based brake, in linear time (no orthogonalization).',
  doc: 'AuON (official ryyzn9/AuON `auon/optimizer.py`) replaces Muon\'s Newton–Schulz orthogonalization by one elementwise normalization: the Nesterov-style momentum G is divided by r = √mean(cosh²(γ·G/‖G‖_F)), with 1 ≤ r ≤ cosh(γ). The update keeps G\'s direction and is never longer than G. NOTE: despite the name, the update is not unit-norm: for large tensors r → 1 and the step is close to Nesterov-momentum SGD with the gradient\'s own size. As the README recommends, weights with two or more dimensions take AuON and the rest (biases, norm gains) the `aux` optimizer, Adam(lr 0.008, β (0.8, 0.95)) by default, whose lr follows the same schedule factor. A zero G leaves the weight alone (after decay). The paper (arXiv 2509.24320) was not read; the rule is the official code\'s.',
  rule: 'b ← b + (1 − β)(g − b);  G = (1 − β)g + βb;  w ← w(1 − ηλ);  X = γ G/(‖G‖_F + 1e-7);  r = √mean(cosh(X)²);  w ← w − η G/(r + 1e-8)',
  paper: { title: 'AuON: A Linear-time Alternative to Semi-Orthogonal Momentum Updates', authors: 'D. Maity', year: 2025, url: 'https://arxiv.org/abs/2509.24320' },
  params: [
    lrParam(0.24),
    { name: 'momentum', type: momentumType, default: 0.95, doc: 'Momentum factor β of the buffer (lerp toward the gradient by 1 − β), and of the look-ahead G = (1 − β)g + βb.' },
    weightDecayParam(0, 'decoupled'),
    { name: 'gamma', type: { kind: 'number', min: 0, minExclusive: true }, default: 1.5, doc: 'Scale γ of the normalized momentum inside cosh; the brake r lies in [1, cosh(γ)].' },
    { name: 'aux', type: { kind: 'technique', of: ['optimizer'] }, default: auxDefault, doc: 'Optimizer for the parameters with fewer than two dimensions (biases, norm gains), as in the README\'s usage.' },
  ],
  rules: [
    decoupledDecayRule(),
    { severity: 'error', param: 'aux', message: 'aux cannot be auon or muon: it handles the 1-D parameters (biases, gains); choose another optimizer such as adam', when: (a) => techniqueName(a['aux']) === 'auon' || techniqueName(a['aux']) === 'muon' },
  ],
};

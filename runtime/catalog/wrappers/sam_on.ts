import type { TechniqueEntry } from '../schema';
import { baseParam, rhoRules } from './common';

export const sam_on: TechniqueEntry = {
  name: 'sam_on',
  kind: 'wrapper',
  summary: 'SAM-ON: sharpness-aware steps that perturb only the normalization layers\' γ and β.',
  doc: 'SAM-ON (Mueller et al., 2023; official code mueller-mp/SAM-ON) runs the SAM/ASAM ascent on the affine parameters of the normalization layers only (`norm: layer` or `norm: batch` with affine); the gradient norm is taken over that set, and the second-pass gradient updates every parameter through the base optimizer. It matches or beats full SAM at a fraction of the perturbation. The model needs at least one layer with an affine normalization. Costs two forward/backward passes per step.',
  rule: 'N = norm γ, β;  g = ∇L_B(w);  T = |w_N| + η (elementwise) or ‖w_N‖·1 + η (layerwise);  e_N = ρ T²⊙g_N/‖T⊙g_N‖ (p = two) or ρ T⊙sign(g_N) (p = infinity), e = 0 elsewhere;  g_ON = ∇L_B(w + e);  restore w;  base.step(w, g_ON)',
  paper: { title: 'Normalization Layers Are All That Sharpness-Aware Minimization Needs', authors: 'M. Mueller, T. Vlaar, D. Rolnick, M. Hein', year: 2023, url: 'https://arxiv.org/abs/2306.04226' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.5, doc: 'Neighbourhood radius ρ over the normalization parameters (the paper\'s default for ASAM-type scaling).' },
    { name: 'eta', type: { kind: 'number', min: 0 }, default: 0, doc: 'Offset η of the ASAM scaling T.' },
    { name: 'elementwise', type: { kind: 'bool' }, default: false, doc: 'Scale per element, T = |w| + η (ASAM); otherwise per layer, T = ‖w‖·1 + η.' },
    { name: 'normalize_bias', type: { kind: 'bool' }, default: false, doc: 'Apply the scaling T to the normalization biases β too (otherwise T = 1 for them).' },
    {
      name: 'p',
      type: { kind: 'enum', members: [
        { name: 'two', doc: 'ℓ2 ball: e = ρ T²⊙g / ‖T⊙g‖.' },
        { name: 'infinity', doc: 'ℓ∞ ball: e = ρ T⊙sign(g).' },
      ] },
      default: 'two',
      doc: 'Norm of the neighbourhood ball.',
    },
    baseParam,
  ],
  rules: rhoRules(),
};

import type { TechniqueEntry } from '../schema';
import { baseParam, rhoRules } from './common';

export const sam: TechniqueEntry = {
  name: 'sam',
  kind: 'wrapper',
  summary: 'Sharpness-Aware Minimization: step with the gradient at the worst nearby point.',
  doc: 'SAM (Foret et al., 2021; official code google-research/sam, in JAX) seeks parameters whose whole neighbourhood has low loss. Each step takes the gradient at w + e, where e is a step of length ρ along the normalized gradient, restores w, and hands that gradient to the base optimizer. Costs two forward/backward passes per step. Batch-norm running statistics are frozen during the second pass.',
  rule: 'g = ∇L_B(w);  e = ρ g / (‖g‖ + 1e-12);  g_SAM = ∇L_B(w + e);  restore w;  base.step(w, g_SAM)',
  paper: { title: 'Sharpness-Aware Minimization for Efficiently Improving Generalization', authors: 'P. Foret, A. Kleiner, H. Mobahi, B. Neyshabur', year: 2021, url: 'https://arxiv.org/abs/2010.01412' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.05, doc: 'Neighbourhood radius ρ.' },
    { name: 'adaptive', type: { kind: 'bool' }, default: false, doc: 'Scale the perturbation by |w|: e = ρ w²⊙g / ‖w⊙g‖ over every parameter, the adaptive sharpness of ASAM (Kwon et al., 2021) without its offset η. For ASAM as published use `asam`.' },
    baseParam,
  ],
  rules: rhoRules({ unusualAbove: 1 }),
};

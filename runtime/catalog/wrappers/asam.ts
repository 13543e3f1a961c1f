import type { TechniqueEntry } from '../schema';
import { baseParam, rhoRules } from './common';

export const asam: TechniqueEntry = {
  name: 'asam',
  kind: 'wrapper',
  summary: 'Adaptive SAM: a scale-invariant neighbourhood, stretched by |w| + η per weight.',
  doc: 'ASAM (Kwon et al., 2021; official code SamsungLabs/ASAM) measures sharpness in a neighbourhood whose shape follows the weights, T_w = |w| + η, so that rescaling a layer does not change it. Weight tensors are scaled by T_w; biases use T = 1. Its radius is typically ten times SAM\'s (ρ = 0.5). Costs two forward/backward passes per step. This is ASAM as published, not `sam(adaptive: true)`, which scales every parameter by |w| and has no η.',
  rule: 'g = ∇L_B(w);  T = |w| + η (weights), 1 (biases);  e = ρ T²⊙g / ‖T⊙g‖;  g_ASAM = ∇L_B(w + e);  restore w;  base.step(w, g_ASAM)',
  paper: { title: 'ASAM: Adaptive Sharpness-Aware Minimization for Scale-Invariant Learning of Deep Neural Networks', authors: 'J. Kwon, J. Kim, H. Park, I. K. Choi', year: 2021, url: 'https://arxiv.org/abs/2102.11600' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.5, doc: 'Neighbourhood radius ρ, measured after scaling by T_w.' },
    { name: 'eta', type: { kind: 'number', min: 0 }, default: 0.01, doc: 'Offset η in T_w = |w| + η, which keeps zero weights perturbable.' },
    baseParam,
  ],
  rules: rhoRules(),
};

import type { TechniqueEntry } from '../schema';
import { baseParam, rhoRules } from './common';

export const fsam: TechniqueEntry = {
  name: 'fsam',
  kind: 'wrapper',
  summary: 'Fisher SAM: perturb only the weights with the largest Fisher information.',
  doc: 'FSAM (Zhong et al., 2022; official code WHU-ZQH/FSAM4PLM) scores weights by the empirical Fisher information F = g⊙g of the current batch and perturbs only the top `keep_ratio` share of the eligible weights (all but biases and normalization parameters, which are perturbed fully, as in the official code). The mask is recomputed every `mask_every` steps. With keep_ratio = 1 it is exactly SAM. Costs two forward/backward passes per step.',
  rule: 'g = ∇L_B(w);  every mask_every steps: mask = top-⌊keep_ratio·N⌋ of g⊙g over eligible weights;  e = ρ g/(‖g‖ + 1e-7), e ← e⊙mask on eligible weights;  g_F = ∇L_B(w + e);  restore w;  base.step(w, g_F)',
  paper: { title: 'Improving Sharpness-Aware Minimization with Fisher Mask for Better Generalization on Language Models', authors: 'Q. Zhong, L. Ding, L. Shen, P. Mi, J. Liu, B. Du, D. Tao', year: 2022, url: 'https://arxiv.org/abs/2210.05497' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.05, doc: 'Neighbourhood radius ρ.' },
    { name: 'keep_ratio', type: { kind: 'fraction' }, default: 0.1, doc: 'Share of the eligible weights that are perturbed (highest Fisher information first).' },
    { name: 'mask_every', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Steps between recomputations of the Fisher mask.' },
    baseParam,
  ],
  rules: [
    ...rhoRules({ unusualAbove: 1 }),
    { severity: 'warning', param: 'keep_ratio', message: 'keep_ratio = 0 perturbs no eligible weight: only biases and normalization parameters move in the ascent', when: (a) => a['keep_ratio'] === 0 },
  ],
};

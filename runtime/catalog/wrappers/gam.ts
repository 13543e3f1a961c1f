import type { TechniqueEntry } from '../schema';
import { baseParam } from './common';

export const gam: TechniqueEntry = {
  name: 'gam',
  kind: 'wrapper',
  summary: 'Gradient norm Aware Minimization: seeks first-order flatness (small gradient norm nearby).',
  doc: 'GAM (Zhang et al., 2023; official code xxgege/GAM) penalizes the largest gradient norm within a radius, which bounds the top Hessian eigenvalue, on top of SAM\'s worst-case loss. Each step takes four forward/backward passes: the SAM gradient g₁, an ascent along the gradient-norm direction g₁ − g₀ of radius ρ\', and a SAM step from there (g₂, g₃). The combined gradient is corrected by a gradient-surgery term of strength γ. When `beta3` is not written it is 1 − `beta1`, as in the official code; `beta2` is the code\'s 1 − β₀. With grad_norm_rho = 0, gamma = 0 and beta3 = 1 − beta1, GAM is exactly SAM(ρ).',
  rule: 'g₀ = ∇L(w);  g₁ = ∇L(w + ρ g₀/‖g₀‖);  d = g₁ − g₀;  w₂ = w + ρ\' d/‖d‖;  g₂ = ∇L(w₂);  g₃ = ∇L(w₂ + ρ g₂/‖g₂‖);  p = g₀ + |β₂| g₂;  G = β₁g₁ + β₃g₃;  c = ⟨p, G⟩/(‖p‖‖G‖ + 1e-12);  G ← G − γ (p − c‖p‖ G/‖G‖);  restore w;  base.step(w, G)',
  paper: { title: 'Gradient Norm Aware Minimization Seeks First-Order Flatness and Improves Generalization', authors: 'X. Zhang, R. Xu, H. Yu, H. Zou, P. Cui', year: 2023, url: 'https://arxiv.org/abs/2303.03108' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.02, doc: 'Radius ρ of the SAM ascents (`grad_rho` in the code; CIFAR-100 default).' },
    { name: 'grad_norm_rho', type: { kind: 'number', min: 0 }, default: 0.2, doc: 'Radius ρ\' of the ascent along the gradient-norm direction.' },
    { name: 'beta1', type: { kind: 'number', min: 0, max: 1 }, default: 0.6, doc: 'Weight β₁ of the SAM gradient g₁ in the combined gradient.' },
    { name: 'beta2', type: { kind: 'number', min: 0, max: 1 }, default: 0.5, doc: 'Weight β₂ of g₂ in the surgery reference p = g₀ + |β₂|g₂ (the code\'s 1 − β₀, β₀ = 0.5).' },
    { name: 'beta3', type: { kind: 'number', min: 0, max: 1 }, doc: 'Weight β₃ of the first-order-flatness gradient g₃; when absent, 1 − beta1.' },
    { name: 'gamma', type: { kind: 'number' }, default: 0.03, doc: 'Strength γ of the gradient surgery; 0 disables it.' },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'gamma', message: 'gamma outside [0, 1] is unusual for GAM\'s gradient surgery (the paper uses 0.03–0.05)', when: (a) => typeof a['gamma'] === 'number' && (a['gamma'] < 0 || a['gamma'] > 1) },
  ],
};

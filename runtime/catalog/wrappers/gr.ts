import type { TechniqueEntry } from '../schema';
import { baseParam } from './common';

export const gr: TechniqueEntry = {
  name: 'gr',
  kind: 'wrapper',
  summary: 'Gradient regularization by finite differences: the gradient of L + (γ/2)‖∇L‖² at two passes a step.',
  doc: 'Gradient regularization penalizes the gradient norm, L̃ = L + (γ/2)‖∇L‖², whose gradient g + γHg needs a Hessian-vector product. Karakida et al. take it by a finite difference along the gradient instead of by double backpropagation: the forward form F-GR evaluates the gradient at the ascent point w + εg, the backward form B-GR at the descent point w − εg; each costs two forward/backward passes a step, and the paper finds F-GR generalizes better. With γ = ε, F-GR is the gradient at w + εg, the unnormalized SAM gradient; γ = 0 is the plain gradient. Each step reports the penalty `gr_penalty` = (γ/2)‖g‖². UNVERIFIED: this entry follows the paper as remembered ([paper/mem]); no official code was read, and the defaults are a suggestion (ε = 0.01, α = γ/ε = 0.5). The paper also suggests ε = ρ/‖g‖ with ρ ∈ [0.01, 0.1], which this entry does not offer.',
  rule: 'g = ∇L(w);  F-GR: Hg ≈ (∇L(w + εg) − g)/ε, so ∇L̃ ≈ (1 − γ/ε) g + (γ/ε) ∇L(w + εg);  B-GR: Hg ≈ (g − ∇L(w − εg))/ε, so ∇L̃ ≈ (1 + γ/ε) g − (γ/ε) ∇L(w − εg);  base.step(w, ∇L̃)',
  paper: { title: 'Understanding Gradient Regularization in Deep Learning: Efficient Finite-Difference Computation and Implicit Bias', authors: 'R. Karakida, T. Takase, T. Hayase, K. Osawa', year: 2023, url: 'https://arxiv.org/abs/2210.02720' },
  baseParam: 'base',
  params: [
    { name: 'gamma', type: { kind: 'number', min: 0 }, default: 0.005, doc: 'Strength γ of the penalty (γ/2)‖∇L‖².' },
    { name: 'epsilon', type: { kind: 'number', min: 0, minExclusive: true }, default: 0.01, doc: 'Step ε of the finite difference along the gradient (not normalized by ‖g‖).' },
    {
      name: 'form',
      type: { kind: 'enum', members: [
        { name: 'forward', doc: 'F-GR: the second gradient at the ascent point w + εg (the paper\'s recommendation).' },
        { name: 'backward', doc: 'B-GR: the second gradient at the descent point w − εg.' },
      ] },
      default: 'forward',
      doc: 'Which finite difference approximates the Hessian-vector product Hg.',
    },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'gamma', message: 'gamma = 0 makes gr a no-op at twice the cost of its base optimizer', when: (a) => a['gamma'] === 0 },
    { severity: 'warning', param: 'gamma', message: 'gamma / epsilon > 1: the finite-difference gradient extrapolates beyond the second point', when: (a) => typeof a['gamma'] === 'number' && typeof a['epsilon'] === 'number' && a['gamma'] > a['epsilon'] },
  ],
};

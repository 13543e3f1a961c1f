import type { TechniqueEntry } from '../schema';

export const sharpness: TechniqueEntry = {
  name: 'sharpness',
  kind: 'metric',
  summary: 'SAM sharpness: how much the loss rises one normalized gradient step of length ρ away.',
  doc: 'The first-order estimate of the worst-case loss increase within radius ρ that SAM minimizes: the loss at w + ρg/‖g‖ minus the loss at w, on the same batch. With `m`, it is the m-sharpness of the SAM paper: the mean of this quantity over disjoint sub-batches of size m, each with its own perturbation. Computed every `every` of the report block, on one training batch. Nonnegative for convex losses.',
  rule: 'S = (1/n_b) Σ_b [L_b(w + ρ g_b/‖g_b‖) − L_b(w)],  g_b = ∇L_b(w), b over sub-batches of size m (one sub-batch = the whole batch when m is absent)',
  paper: { title: 'Sharpness-Aware Minimization for Efficiently Improving Generalization', authors: 'P. Foret, A. Kleiner, H. Mobahi, B. Neyshabur', year: 2021, url: 'https://arxiv.org/abs/2010.01412' },
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.05, positional: true, doc: 'Radius ρ of the perturbation.' },
    { name: 'm', type: { kind: 'number', integer: true, min: 1 }, doc: 'Sub-batch size for m-sharpness; when absent, the whole batch.' },
  ],
  rules: [
    { severity: 'warning', param: 'rho', message: 'rho = 0 makes sharpness identically zero', when: (a) => a['rho'] === 0 },
  ],
};

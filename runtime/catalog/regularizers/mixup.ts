import type { TechniqueEntry } from '../schema';

export const mixup: TechniqueEntry = {
  name: 'mixup',
  kind: 'regularizer',
  summary: 'Mixup: train on convex combinations of pairs of examples and of their labels.',
  doc: 'Each batch is mixed with a shuffled copy of itself using one weight λ ~ Beta(α, α), and the loss is the same mixture of the losses on both labels (Zhang et al., 2018; official code facebookresearch/mixup-cifar10). For cross-entropy this equals training on the mixed soft label. α = 1 (λ uniform) suits small data sets; ImageNet uses 0.1–0.4. Classification only.',
  rule: 'λ ~ Beta(α, α) (λ = 1 if α = 0);  π = random permutation;  x̃ = λx + (1 − λ)x_π;  L = λ ℓ(f(x̃), y) + (1 − λ) ℓ(f(x̃), y_π)',
  paper: { title: 'mixup: Beyond Empirical Risk Minimization', authors: 'H. Zhang, M. Cisse, Y. N. Dauphin, D. Lopez-Paz', year: 2018, url: 'https://arxiv.org/abs/1710.09412' },
  params: [
    { name: 'alpha', type: { kind: 'number', min: 0 }, default: 1, positional: true, doc: 'Concentration α of the Beta distribution the mixing weight is drawn from.' },
  ],
  rules: [
    { severity: 'warning', param: 'alpha', message: 'alpha = 0 disables mixup (λ = 1 on every batch)', when: (a) => a['alpha'] === 0 },
  ],
};

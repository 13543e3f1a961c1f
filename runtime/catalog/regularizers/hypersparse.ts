import type { TechniqueEntry } from '../schema';

// Catalog A50, read in the official GreenAutoML4FAS/HyperSparse (loss/HyperSparse.py, train.py,
// utils/arg.py). The closed-form gradient (the code's `grad_HS_loss` is a stub) is the catalog's
// and is checked against autodiff in the tests.
export const hypersparse: TechniqueEntry = {
  name: 'hypersparse',
  kind: 'regularizer',
  summary: 'HyperSparse: an adaptive regularizer that pushes small weights to zero and leaves large ones alone (Glandorf et al., 2023).',
  doc: 'Adds α·HS(w) to the loss, over all weight matrices and kernels together. HS\'s value is ≈ 0; its gradient sign(wᵢ)·s·sech²(s|wᵢ|)·Σ|w|/Σtanh(s|w|) is large for the small weights and vanishes for |w| ≫ 1/s, where s = 0.6585/|w|_(κ) is set from the κ-quantile of |w| every step, so the weights that magnitude pruning to κ would remove are the ones pushed down. α grows by η every epoch: α = λ·η^(epoch − e₀). With the prune block\'s `art` schedule the term applies only while ART runs (e₀ = its `from`), as in the paper; otherwise from the first epoch (e₀ = 0). Costs one download of the weights per step (the quantile needs a sort).',
  rule: 's = 0.6585 / |w|_(κ);  HS(w) = Σᵢ|wᵢ| · Σⱼ tanh(s|wⱼ|) / sg(Σⱼ tanh(s|wⱼ|)) − Σᵢ|wᵢ|;  L = L_task + λ·η^(epoch − e₀)·HS(w)',
  paper: { title: 'HyperSparse Neural Networks: Shifting Exploration to Exploitation through Adaptive Regularization', authors: 'P. Glandorf, T. Kaiser, B. Rosenhahn', year: 2023, url: 'https://arxiv.org/abs/2308.07163' },
  params: [
    { name: 'kappa', type: { kind: 'fraction', minExclusive: true, maxExclusive: true }, default: 0.9, positional: true, doc: 'The pruning rate κ whose quantile sets s (official default 0.9); the prune block\'s sparsity under `art`.' },
    { name: 'lambda', type: { kind: 'number', min: 0 }, default: 5e-6, doc: 'Initial weight λ of the term (official `lambda_init`, 5e-6).' },
    { name: 'eta', type: { kind: 'number', min: 0, minExclusive: true }, default: 1.05, doc: 'Growth η of the weight per epoch (official default 1.05).' },
  ],
  rules: [
    { severity: 'warning', param: 'eta', message: 'eta < 1 shrinks the regularization every epoch, the opposite of ART', when: (a) => typeof a['eta'] === 'number' && a['eta'] < 1 },
    { severity: 'warning', param: 'lambda', message: 'lambda = 0 turns the regularizer off (its quantile still costs a download every step)', when: (a) => a['lambda'] === 0 },
  ],
};

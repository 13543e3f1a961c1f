import type { TechniqueEntry } from '../schema';
import { baseParam } from './common';

export const deepzero: TechniqueEntry = {
  name: 'deepzero',
  kind: 'wrapper',
  summary: 'DeepZero: zeroth-order training, the gradient estimated from loss values only (CGE or RGE).',
  doc: 'DeepZero (official OPTML-Group/DeepZero `algorithm/zoo/gradient_estimate.py`) trains without backpropagation: the gradient handed to the base optimizer is estimated from forward passes on the same batch. The coordinate-wise estimator `cge` perturbs one coordinate at a time, ĝ_i = (L(w + μe_i) − L(w))/μ, exact for a linear loss; with `sparsity` s it estimates only a random (1 − s) share of each weight matrix\'s coordinates (a mask drawn per layer and redrawn every `reshuffle`, the code\'s `layer_wise_random`; biases and other 1-D parameters are always estimated) and leaves the rest exactly 0. The randomized estimator `rge` perturbs every tensor at once along q random directions, each normalized per tensor, as the code does: ĝ = (1/q)Σ_j û_j(L(w + μû_j) − L(w)), without the textbook d/μ factor (absorbed by the learning rate). A step costs nnz + 1 forward passes with `cge` (q + 1 with `rge`) and no backward pass, so it is for tiny networks: a run warns above 1,000 loss evaluations per step. The ZO-GraSP pruning at initialization that gives the paper its layer-wise ratios, and its feature reuse, are not offered; the sparsity is the same for every layer.',
  rule: 'CGE: ĝ_i = (L_B(w + μe_i) − L_B(w))/μ for each unmasked coordinate i, 0 elsewhere;  RGE: û_j = u_j/(‖u_j‖ + 1e-8) per tensor, u_j ~ N(0, I);  ĝ = (1/q) Σ_j û_j (L_B(w + μû_j) − L_B(w));  base.step(w, ĝ)',
  paper: { title: 'DeepZero: Scaling up Zeroth-Order Optimization for Deep Model Training', authors: 'A. Chen, Y. Zhang, J. Jia, J. Diffenderfer, J. Liu, K. Parasyris, Y. Zhang, Z. Zhang, B. Kailkhura, S. Liu', year: 2024, url: 'https://arxiv.org/abs/2310.02025' },
  baseParam: 'base',
  params: [
    {
      name: 'estimator',
      type: { kind: 'enum', members: [
        { name: 'cge', doc: 'Coordinate-wise gradient estimate: one forward pass per estimated coordinate.' },
        { name: 'rge', doc: 'Randomized gradient estimate: one forward pass per random direction (`queries`).' },
      ] },
      default: 'cge',
      doc: 'How the gradient is estimated from loss values.',
    },
    { name: 'mu', type: { kind: 'number', min: 0, minExclusive: true }, default: 5e-3, doc: 'Finite-difference step μ (`zoo_step_size`; the code\'s pruning stage uses 5e-3).' },
    { name: 'queries', type: { kind: 'number', integer: true, min: 1 }, default: 192, doc: 'Random directions q per step of `rge` (the code\'s pruning stage uses 192).' },
    { name: 'sparsity', type: { kind: 'fraction', maxExclusive: true }, default: 0, doc: 'Share of each weight matrix\'s coordinates that `cge` does not estimate (their gradient is 0), drawn at random per layer.' },
    { name: 'reshuffle', type: { kind: 'duration' }, default: { kind: 'duration', value: 1, unit: 'ep' }, doc: 'How often the sparsity mask is redrawn (`mask_shuffle_interval`).' },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'mu', message: 'mu < 1e-4: in float32 the two losses cancel and the estimate is mostly rounding noise', when: (a) => typeof a['mu'] === 'number' && a['mu'] < 1e-4 },
    { severity: 'warning', param: 'sparsity', message: 'sparsity applies to the cge estimator only; rge perturbs every coordinate', when: (a) => a['estimator'] === 'rge' && typeof a['sparsity'] === 'number' && a['sparsity'] > 0 },
  ],
};

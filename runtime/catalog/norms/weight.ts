import type { TechniqueEntry } from '../schema';

export const weight: TechniqueEntry = {
  name: 'weight',
  kind: 'norm',
  summary: 'Weight normalization: W = g·V/‖V‖ per output unit, decoupling direction and length.',
  doc: 'Reparametrizes the layer\'s weight as a direction V and a per-output-unit length g (norm over all dimensions except dim 0), as PyTorch `weight_norm`. g is initialized to ‖V‖, so the layer starts out computing exactly what it would without normalization. Gradient steps on V are orthogonal to V, so ‖V‖ only grows.',
  rule: 'W[o] = g[o] · V[o]/‖V[o]‖;  ∇_g L = ⟨∇_W L, V⟩/‖V‖;  ∇_V L = (g/‖V‖)(I − WWᵀ/‖W‖²)∇_W L;  init g = ‖V‖',
  paper: { title: 'Weight Normalization: A Simple Reparameterization to Accelerate Training of Deep Neural Networks', authors: 'T. Salimans, D. P. Kingma', year: 2016, url: 'https://arxiv.org/abs/1602.07868' },
  params: [],
};

import type { TechniqueEntry } from '../schema';

export const grad_norm: TechniqueEntry = {
  name: 'grad_norm',
  kind: 'metric',
  summary: 'Global L2 norm of the loss gradient, before clipping.',
  doc: 'The Euclidean norm of the mini-batch gradient over all trainable parameters concatenated, computed at the current weights before `grad_clip` and before any wrapper\'s perturbation, every step.',
  rule: '‖g‖₂ = √(Σ_p ‖∇_p L_B(w)‖²)',
  params: [],
};

import type { TechniqueEntry } from '../schema';

export const grad_norm: TechniqueEntry = {
  name: 'grad_norm',
  kind: 'metric',
  summary: 'Global L2 norm of the loss gradient, before clipping.',
  doc: 'The Euclidean norm of the mini-batch gradient over all trainable parameters concatenated, computed at the current weights before `grad_clip` and before any wrapper\'s perturbation, every step when `report { metrics }` lists it, and only then: the norm reads every gradient once more, which costs a pass over them and keeps the optimizer update from being fused with the gradient\'s matrix product. A run that does not list it has no `grad_norm` in its step metrics (not a 0 or NaN), even where the step computes a norm for itself (`grad_clip`, SAM\'s ascent). DeepZero and DP-SAT report the norm of the gradient they hand to the optimizer. A NaN or infinite gradient stops the run as diverged: at once when the norm is computed, else at the next step, whose loss it makes non-finite.',
  rule: '‖g‖₂ = √(Σ_p ‖∇_p L_B(w)‖²)',
  params: [],
};

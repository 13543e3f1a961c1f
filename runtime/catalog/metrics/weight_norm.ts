import type { TechniqueEntry } from '../schema';

export const weight_norm: TechniqueEntry = {
  name: 'weight_norm',
  kind: 'metric',
  summary: 'Global L2 norm of the weights, overall and per layer.',
  doc: 'The Euclidean norm of all trainable parameters concatenated, and of each layer\'s weight matrix or kernel. Shows the effect of weight decay, and the norm growth on scale-invariant weights that AdamP and SGDP prevent.',
  rule: '‖w‖₂ = √(Σ_p ‖p‖²)',
  params: [],
};

import type { TechniqueEntry } from '../schema';

export const effective_step: TechniqueEntry = {
  name: 'effective_step',
  kind: 'metric',
  summary: 'Relative size of each update: ‖w_{t+1} − w_t‖ / ‖w_t‖.',
  doc: 'The norm of the change the optimizer step made to the parameters (including weight decay and wrapper effects) divided by the norm of the parameters before the step, every step, over all parameters and per layer. It is the step size that matters for scale-invariant weights, which shrinks as their norm grows (the effect AdamP and SGDP counter).',
  rule: 'Δ_t = ‖w_{t+1} − w_t‖₂ / ‖w_t‖₂',
  params: [],
};

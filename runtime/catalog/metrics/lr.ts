import type { TechniqueEntry } from '../schema';

export const lr: TechniqueEntry = {
  name: 'lr',
  kind: 'metric',
  summary: 'The learning rate in effect at each step.',
  doc: 'The optimizer\'s `lr` multiplied by the schedule\'s factor at the current step (for a wrapper, its base optimizer\'s). Useful to check warmup and decay.',
  rule: 'η(t) = lr · f_schedule(t)',
  params: [],
};

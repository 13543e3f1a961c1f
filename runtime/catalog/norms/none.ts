import type { TechniqueEntry } from '../schema';

export const none: TechniqueEntry = {
  name: 'none',
  kind: 'norm',
  summary: 'No normalization.',
  doc: 'The layer\'s output goes to its activation unchanged; the default `norm` of every layer.',
  rule: 'y = x',
  params: [],
};

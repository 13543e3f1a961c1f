import type { TechniqueEntry } from '../schema';

export const uniform: TechniqueEntry = {
  name: 'uniform',
  kind: 'distribution',
  summary: 'A number drawn uniformly between low and high.',
  doc: 'Draws x ~ U(low, high). At an integer path (`data.batch`, `train.epochs`) the draw is rounded to the nearest integer.',
  rule: 'x = low + u·(high − low),  u ~ U(0, 1)',
  params: [
    { name: 'low', type: { kind: 'number' }, required: true, positional: true, doc: 'The smallest value.' },
    { name: 'high', type: { kind: 'number' }, required: true, positional: true, doc: 'The largest value.' },
  ],
  rules: [{ severity: 'error', param: 'high', message: 'high must be greater than low', when: (a) => typeof a['low'] === 'number' && typeof a['high'] === 'number' && !(a['high'] > a['low']) }],
};

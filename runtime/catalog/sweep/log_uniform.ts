import type { TechniqueEntry } from '../schema';

export const log_uniform: TechniqueEntry = {
  name: 'log_uniform',
  kind: 'distribution',
  summary: 'A positive number whose logarithm is drawn uniformly: every decade equally likely.',
  doc: 'Draws log x ~ U(log low, log high), the usual prior for learning rates and weight decays. At an integer path the draw is rounded to the nearest integer.',
  rule: 'x = exp(log low + u·(log high − log low)),  u ~ U(0, 1)',
  params: [
    { name: 'low', type: { kind: 'number', min: 0, minExclusive: true }, required: true, positional: true, doc: 'The smallest value (> 0).' },
    { name: 'high', type: { kind: 'number', min: 0, minExclusive: true }, required: true, positional: true, doc: 'The largest value.' },
  ],
  rules: [{ severity: 'error', param: 'high', message: 'high must be greater than low', when: (a) => typeof a['low'] === 'number' && typeof a['high'] === 'number' && !(a['high'] > a['low']) }],
};

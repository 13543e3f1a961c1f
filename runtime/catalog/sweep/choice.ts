import type { TechniqueEntry } from '../schema';

export const choice: TechniqueEntry = {
  name: 'choice',
  kind: 'distribution',
  summary: 'One of the listed values, each equally likely.',
  doc: 'Draws one of its values uniformly. The values are written as they would be at the path (`choice([sgd(lr: 0.1), adam(lr: 1e-3)])`, `choice([2:4, 1:4])`), and each is checked there.',
  params: [
    { name: 'values', type: { kind: 'list', of: { kind: 'union', of: [{ kind: 'number' }, { kind: 'string' }, { kind: 'bool' }, { kind: 'ratio' }, { kind: 'duration' }] } }, required: true, positional: true, doc: 'The values to choose from; any value the path accepts.' },
  ],
};

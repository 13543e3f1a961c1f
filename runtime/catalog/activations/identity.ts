import type { TechniqueEntry } from '../schema';

export const identity: TechniqueEntry = {
  name: 'identity',
  kind: 'activation',
  summary: 'No activation: f(x) = x.',
  doc: 'Passes the layer\'s output through unchanged; the default `act` of every layer, and what the output layer should use (the loss applies its own softmax).',
  rule: 'f(x) = x',
  params: [],
};

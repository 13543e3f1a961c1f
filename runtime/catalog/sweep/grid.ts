import type { TechniqueEntry } from '../schema';

export const grid: TechniqueEntry = {
  name: 'grid',
  kind: 'sweep_strategy',
  summary: 'Every combination of the listed values: one trial per point of the grid.',
  doc: 'A grid sweep runs the Cartesian product of its paths\' value lists: `train.optimizer.lr = [0.03, 0.1]` and `data.batch = [16, 32]` make 4 trials. Every path takes a list `[…]`; the trials are ordered with the last path varying fastest.',
  params: [],
};

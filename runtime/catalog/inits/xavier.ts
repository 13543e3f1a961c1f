import type { TechniqueEntry } from '../schema';
import { distributionParam, gainParam } from './common';

export const xavier: TechniqueEntry = {
  name: 'xavier',
  kind: 'init',
  summary: 'Xavier (Glorot) initialization: variance 2/(fan_in + fan_out), for tanh and sigmoid networks.',
  doc: 'Draws each weight with variance gain²·2/(fan_in + fan_out), balancing the forward and backward signal, as PyTorch `xavier_uniform_`/`xavier_normal_`. The paper\'s form is uniform. Biases start at zero.',
  rule: 'std = gain·√(2/(fan_in + fan_out));  W ~ U(−√3·std, √3·std) or N(0, std²)',
  paper: { title: 'Understanding the difficulty of training deep feedforward neural networks', authors: 'X. Glorot, Y. Bengio', year: 2010, url: 'https://proceedings.mlr.press/v9/glorot10a.html' },
  params: [distributionParam('uniform'), gainParam],
};

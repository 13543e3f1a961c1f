import type { TechniqueEntry } from '../schema';
import { positiveDurationRule } from './common';

export const warmup: TechniqueEntry = {
  name: 'warmup',
  kind: 'schedule',
  summary: 'Linear warmup from 0 to lr over `duration`, then constant.',
  doc: 'Raises the learning rate linearly from 0 to the optimizer\'s `lr` over `duration`, then keeps it constant; the gradual warmup of large-batch training. The same as `constant(warmup: duration)`; the other schedules take a `warmup:` argument to combine it with a decay.',
  rule: 'f(t) = t/duration for t < duration;  f(t) = 1 afterwards;  η(t) = lr·f(t)',
  paper: { title: 'Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour', authors: 'P. Goyal, P. Dollár, R. Girshick, P. Noordhuis, L. Wesolowski, A. Kyrola, A. Tulloch, Y. Jia, K. He', year: 2017, url: 'https://arxiv.org/abs/1706.02677' },
  params: [
    { name: 'duration', type: { kind: 'duration' }, required: true, positional: true, doc: 'Length of the warmup, e.g. `2ep` or `500step`.' },
  ],
  rules: [positiveDurationRule('duration')],
};

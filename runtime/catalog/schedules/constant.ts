import type { TechniqueEntry } from '../schema';
import { warmupFactor, warmupParam, warmupRule } from './common';

export const constant: TechniqueEntry = {
  name: 'constant',
  kind: 'schedule',
  summary: 'Constant learning rate, after an optional linear warmup.',
  doc: 'Keeps the optimizer\'s learning rate fixed for the whole run, after an optional linear warmup from 0. SGD with a constant step converges to a noise ball whose size grows with the step. The default schedule.',
  rule: `${warmupFactor};  f(t) = 1 afterwards;  η(t) = lr·f(t)`,
  paper: { title: 'Optimization Methods for Large-Scale Machine Learning', authors: 'L. Bottou, F. E. Curtis, J. Nocedal', year: 2018, url: 'https://arxiv.org/abs/1606.04838' },
  params: [warmupParam],
  rules: [warmupRule],
};

import type { TechniqueEntry } from '../schema';
import { warmupFactor, warmupParam, warmupRule } from './common';

export const linear: TechniqueEntry = {
  name: 'linear',
  kind: 'schedule',
  summary: 'Linear decay from lr to final·lr over the training after warmup.',
  doc: 'Decays the learning rate on a straight line from the optimizer\'s `lr` at the end of the warmup to `final`·lr at the end of training, as PyTorch `LinearLR` or the warmup-then-linear-decay schedule common for transformers. `final` is a fraction of `lr`.',
  rule: `${warmupFactor};  f(t) = 1 − (1 − final)·(t − warmup)/(T − warmup) afterwards, T = end of training;  η(t) = lr·f(t)`,
  paper: { title: 'Optimization Methods for Large-Scale Machine Learning', authors: 'L. Bottou, F. E. Curtis, J. Nocedal', year: 2018, url: 'https://arxiv.org/abs/1606.04838' },
  params: [
    warmupParam,
    { name: 'final', type: { kind: 'fraction' }, default: 0, doc: 'Final learning rate as a fraction of `lr`.' },
  ],
  rules: [
    warmupRule,
    { severity: 'warning', param: 'final', message: 'final = 100% keeps the learning rate constant (use `constant`)', when: (a) => a['final'] === 1 },
  ],
};

import type { TechniqueEntry } from '../schema';
import { warmupFactor, warmupParam, warmupRule } from './common';

export const cosine: TechniqueEntry = {
  name: 'cosine',
  kind: 'schedule',
  summary: 'Cosine decay from lr to min_lr·lr over the training after warmup.',
  doc: 'Decays the learning rate along half a cosine from the optimizer\'s `lr` at the end of the warmup to `min_lr`·lr at the end of training (single cycle, no restarts), as PyTorch `CosineAnnealingLR` with T_max = training length − warmup. `min_lr` is a fraction of `lr` rather than an absolute value, so the schedule stays right when `lr` changes.',
  rule: `${warmupFactor};  f(t) = min_lr + (1 − min_lr)·½(1 + cos(π (t − warmup)/(T − warmup))) afterwards, T = end of training;  η(t) = lr·f(t)`,
  paper: { title: 'SGDR: Stochastic Gradient Descent with Warm Restarts', authors: 'I. Loshchilov, F. Hutter', year: 2017, url: 'https://arxiv.org/abs/1608.03983' },
  params: [
    warmupParam,
    { name: 'min_lr', type: { kind: 'fraction' }, default: 0, doc: 'Final learning rate as a fraction of `lr` (`1%` ends at lr/100).' },
  ],
  rules: [
    warmupRule,
    { severity: 'warning', param: 'min_lr', message: 'min_lr = 100% keeps the learning rate constant (use `constant`)', when: (a) => a['min_lr'] === 1 },
  ],
};

import type { TechniqueEntry } from '../schema';
import { gammaParam, gammaRule, positiveDurationRule, warmupFactor, warmupParam, warmupRule } from './common';

export const step: TechniqueEntry = {
  name: 'step',
  kind: 'schedule',
  summary: 'Step decay: multiply the learning rate by gamma every `every`.',
  doc: 'Multiplies the learning rate by `gamma` each time another `every` of training has passed (counted from the start of training), as PyTorch `StepLR`, after an optional linear warmup.',
  rule: `${warmupFactor};  f(t) = gamma^⌊t/every⌋ afterwards;  η(t) = lr·f(t)`,
  paper: { title: 'Optimization Methods for Large-Scale Machine Learning', authors: 'L. Bottou, F. E. Curtis, J. Nocedal', year: 2018, url: 'https://arxiv.org/abs/1606.04838' },
  params: [
    { name: 'every', type: { kind: 'duration' }, required: true, positional: true, doc: 'Time between decays, e.g. `10ep`.' },
    gammaParam,
    warmupParam,
  ],
  rules: [positiveDurationRule('every'), gammaRule, warmupRule],
};

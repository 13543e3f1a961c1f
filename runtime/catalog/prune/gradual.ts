import type { TechniqueEntry } from '../schema';
import { positiveDurationRule } from '../rules';

export const gradual: TechniqueEntry = {
  name: 'gradual',
  kind: 'prune_schedule',
  summary: 'Gradual pruning: raise sparsity from `initial` to the target along a cubic curve.',
  doc: 'Recomputes the mask every `every` between `from` and `to`, raising the sparsity from `initial` to the target quickly at first and slowly at the end (Zhu & Gupta), so the network can recover between steps. With the default exponent 3 this is the paper\'s cubic schedule. Gradual pruning reaches better accuracy than one-shot pruning at high sparsity.',
  rule: 's(t) = s_f + (s_i − s_f)(1 − (t − from)/(to − from))^exponent for from ≤ t ≤ to, updated every `every`;  s(t) = s_f after `to`',
  paper: { title: 'To prune, or not to prune: exploring the efficacy of pruning for model compression', authors: 'M. Zhu, S. Gupta', year: 2017, url: 'https://arxiv.org/abs/1710.01878' },
  params: [
    { name: 'every', type: { kind: 'duration' }, default: { kind: 'duration', value: 1, unit: 'ep' }, doc: 'Time Δt between mask updates.' },
    { name: 'exponent', type: { kind: 'number', min: 0, minExclusive: true }, default: 3, doc: 'Exponent of the schedule: 3 is the paper\'s cubic, 1 is linear.' },
    { name: 'initial', type: { kind: 'fraction', maxExclusive: true }, default: 0, doc: 'Sparsity s_i at the start of the pruning phase.' },
  ],
  rules: [
    positiveDurationRule('every'),
  ],
};

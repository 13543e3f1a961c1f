import type { TechniqueEntry } from '../schema';

export const asha: TechniqueEntry = {
  name: 'asha',
  kind: 'early_stop',
  summary: 'Asynchronous successive halving: stop trials that trail at their rung.',
  doc: 'Rungs sit at min_epochs·reduction^k completed epochs (below the last epoch). A trial that reaches a rung continues only when its metric is among the best ⌊n/reduction⌋ (at least one) of the n trials that have reached that rung so far, itself included; otherwise `minima sweep` stops it right after that epoch and records it as `stopped early (rung k)`. Decisions are taken as results arrive (asynchronously), from a rung table in the sweep\'s folder that every trial reads, locally and on a cluster.',
  rule: 'rungs r_k = min_epochs · reduction^k < epochs;  at r_k continue iff #{trials at r_k with a better metric} < max(1, ⌊n/reduction⌋)',
  paper: { title: 'A System for Massively Parallel Hyperparameter Tuning', authors: 'L. Li, K. Jamieson, A. Rostamizadeh, E. Gonina, J. Ben-Tzur, M. Hardt, B. Recht, A. Talwalkar', year: 2020, url: 'https://arxiv.org/abs/1810.05934' },
  params: [
    { name: 'min_epochs', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Epochs every trial runs before its first rung.' },
    { name: 'reduction', type: { kind: 'number', min: 1, minExclusive: true }, default: 3, doc: 'The factor η: the share 1/η of trials promoted at each rung.' },
  ],
};

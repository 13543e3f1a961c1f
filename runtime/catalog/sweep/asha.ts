import type { TechniqueEntry } from '../schema';

export const asha: TechniqueEntry = {
  name: 'asha',
  kind: 'early_stop',
  summary: 'Asynchronous successive halving: stop trials that trail at their rung.',
  doc: 'At epochs min_epochs·reduction^k a trial continues only when its metric is in the best 1/reduction of the trials that reached that rung. Accepted and checked; `minima sweep` does not stop trials early yet and says so.',
  rule: 'rungs r_k = min_epochs · reduction^k;  at r_k continue iff metric ranks in the top 1/reduction',
  paper: { title: 'A System for Massively Parallel Hyperparameter Tuning', authors: 'L. Li, K. Jamieson, A. Rostamizadeh, E. Gonina, J. Ben-Tzur, M. Hardt, B. Recht, A. Talwalkar', year: 2020, url: 'https://arxiv.org/abs/1810.05934' },
  params: [
    { name: 'min_epochs', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Epochs every trial runs before its first rung.' },
    { name: 'reduction', type: { kind: 'number', min: 1, minExclusive: true }, default: 3, doc: 'The factor η: the share 1/η of trials promoted at each rung.' },
  ],
};

import type { TechniqueEntry } from '../schema';
import { batchesParam, rangePaper } from './common';

export const percentile: TechniqueEntry = {
  name: 'percentile',
  kind: 'calibration',
  summary: 'Clipping range = a high percentile of |x|, ignoring rare outliers.',
  doc: 'Clips the range at the `p`-th percentile of the observed values (of |x| for symmetric quantization), so a few outliers are saturated in exchange for a finer grid for everything else. Activations are collected over `batches` calibration batches.',
  rule: 'symmetric: α = percentile_p(|x|), range [−α, α];  asymmetric: [percentile_{100−p}(x), percentile_p(x)]',
  paper: rangePaper,
  params: [
    { name: 'p', type: { kind: 'number', min: 50, minExclusive: true, max: 100 }, default: 99.99, positional: true, doc: 'Percentile, in percent, at which the range is clipped.' },
    batchesParam,
  ],
  rules: [
    { severity: 'warning', param: 'p', message: 'p = 100 clips nothing: this is `minmax`', when: (a) => a['p'] === 100 },
  ],
};

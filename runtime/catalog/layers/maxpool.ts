import type { TechniqueEntry } from '../schema';
import { poolFacet, poolParams } from './common';

export const maxpool: TechniqueEntry = {
  name: 'maxpool',
  kind: 'layer',
  summary: 'Max pooling: the largest value of each size×size window, per channel.',
  doc: 'Replaces each size×size window of every channel by its maximum, as PyTorch `nn.MaxPool2d` without padding. `stride` defaults to `size` (leave it out for non-overlapping windows); windows that do not fit at the border are dropped. Has no weights. Needs an image input.',
  rule: 'y[c, i, j] = max_{0 ≤ u, v < size} x[c, i·s + u, j·s + v],  out size = ⌊(n − size)/s⌋ + 1',
  paper: { title: 'Gradient-based learning applied to document recognition', authors: 'Y. LeCun, L. Bottou, Y. Bengio, P. Haffner', year: 1998, url: 'https://doi.org/10.1109/5.726791' },
  params: poolParams,
  layer: poolFacet('maxpool'),
};

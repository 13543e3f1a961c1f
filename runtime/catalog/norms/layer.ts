import type { TechniqueEntry } from '../schema';
import { affineParam, epsParam } from './common';

export const layer: TechniqueEntry = {
  name: 'layer',
  kind: 'norm',
  summary: 'Layer normalization: standardize each example over its features, then scale and shift.',
  doc: 'Normalizes each example on its own, over all the layer\'s output features (for a conv layer: over channels, height and width, with per-channel γ and β, i.e. GroupNorm with one group), with the biased variance; the same in training and evaluation and independent of the batch. Follows PyTorch `nn.LayerNorm`.',
  rule: 'μ = mean(x), σ² = mean((x − μ)²) over the example\'s features;  y = γ ⊙ (x − μ)/√(σ² + ε) + β',
  paper: { title: 'Layer Normalization', authors: 'J. L. Ba, J. R. Kiros, G. E. Hinton', year: 2016, url: 'https://arxiv.org/abs/1607.06450' },
  params: [epsParam, affineParam],
};

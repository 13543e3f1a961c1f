import type { TechniqueEntry } from '../schema';

export const cnn: TechniqueEntry = {
  name: 'cnn',
  kind: 'model',
  summary: 'Small convolutional network: conv/pool layers, then dense layers.',
  doc: 'A convolutional network for image inputs [channels, height, width]: `conv2d` and pooling layers first, then (after an explicit or implicit `flatten`) `dense` layers, with optional `dropout`. The last layer\'s units must match the number of classes.',
  rule: 'y = dense_L ∘ … ∘ flatten ∘ pool ∘ conv2d ∘ … (x)',
  paper: { title: 'Gradient-based learning applied to document recognition', authors: 'Y. LeCun, L. Bottou, Y. Bengio, P. Haffner', year: 1998, url: 'https://doi.org/10.1109/5.726791' },
  params: [],
  layers: ['conv2d', 'maxpool', 'avgpool', 'flatten', 'dense', 'dropout'],
};

import type { TechniqueEntry } from '../schema';

export const crop: TechniqueEntry = {
  name: 'crop',
  kind: 'augmentation',
  summary: 'Random crop with padding: shift each training image by up to `pad` pixels, filling with black.',
  doc: 'Pads each training image by `pad` pixels on every side and cuts a window of its own size at a random offset, as torchvision\'s `RandomCrop(size, padding=pad)`: the image moves by up to `pad` pixels in each direction, and the uncovered border is black (a raw 0, standardized as the data is). The standard augmentation for CIFAR-style training (`pad: 4` at 32×32). Images only; validation images are never augmented.',
  rule: 'dy, dx ~ U{−pad, …, pad};  x̃[c, i, j] = x[c, i + dy, j + dx], or black outside the image',
  paper: { title: 'Deep Residual Learning for Image Recognition', authors: 'K. He, X. Zhang, S. Ren, J. Sun', year: 2016, url: 'https://arxiv.org/abs/1512.03385' },
  params: [
    { name: 'pad', type: { kind: 'number', integer: true, min: 0 }, default: 4, positional: true, doc: 'Pixels of padding on each side: the largest shift.' },
  ],
  rules: [
    { severity: 'warning', param: 'pad', message: 'pad = 0 leaves every image as it is', when: (a) => a['pad'] === 0 },
  ],
};

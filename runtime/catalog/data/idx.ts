import type { TechniqueEntry } from '../schema';

export const idx: TechniqueEntry = {
  name: 'idx',
  kind: 'data',
  summary: 'MNIST-style IDX files: an image file and a label file.',
  doc: 'Reads a pair of IDX files (the format of MNIST and Fashion-MNIST, optionally gzip-compressed) relative to the recipe: a uint8 image tensor of shape (N, height, width), or (N, channels, height, width) for colour images, and a uint8 label vector of length N. Images become channels × height × width inputs (1 × height × width for 3-D files) scaled to [0, 1]. Their size is known only when the files are read.',
  paper: { title: 'Gradient-based learning applied to document recognition', authors: 'Y. LeCun, L. Bottou, Y. Bengio, P. Haffner', year: 1998, url: 'http://yann.lecun.com/exdb/mnist/' },
  params: [
    { name: 'images', type: { kind: 'path' }, required: true, positional: true, doc: 'The IDX image file, e.g. `"train-images-idx3-ubyte.gz"`.' },
    { name: 'labels', type: { kind: 'path' }, required: true, positional: true, doc: 'The IDX label file, e.g. `"train-labels-idx1-ubyte.gz"`.' },
  ],
  rules: [
    { severity: 'error', param: 'labels', message: 'images and labels name the same file', when: (a) => typeof a['images'] === 'string' && a['images'] === a['labels'] },
  ],
  data: () => ({ task: 'classification' }),
};

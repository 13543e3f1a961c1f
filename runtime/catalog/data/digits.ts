import type { TechniqueEntry } from '../schema';

export const digits: TechniqueEntry = {
  name: 'digits',
  kind: 'data',
  summary: 'Bundled handwritten digits: 1,797 8×8 grey images, 10 classes.',
  doc: 'The UCI optical recognition of handwritten digits test set (as in scikit-learn): 1,797 images of 8×8 pixels with values 0–16, labelled 0–9. Bundled with Minima (CC BY 4.0), so recipes run offline. MLPs see 64 features; CNNs see a 1×8×8 image.',
  paper: { title: 'Optical Recognition of Handwritten Digits (UCI Machine Learning Repository)', authors: 'E. Alpaydin, C. Kaynak', year: 1998, url: 'https://doi.org/10.24432/C50P49' },
  params: [
    { name: 'scale', type: { kind: 'bool' }, default: true, doc: 'Divide pixel values by 16 so inputs lie in [0, 1].' },
  ],
  data: () => ({ input: [1, 8, 8], classes: 10, task: 'classification', examples: 1797 }),
};

import type { TechniqueEntry } from '../schema';

export const flip: TechniqueEntry = {
  name: 'flip',
  kind: 'augmentation',
  summary: 'Random horizontal flip: mirror each training image left to right with probability `p`.',
  doc: 'Mirrors each training image left to right with probability `p`, as torchvision\'s `RandomHorizontalFlip(p)`. Right for photographs of objects and scenes, wrong for digits and text (a mirrored 3 is not a 3). Images only; validation images are never augmented.',
  rule: 'with probability p:  x̃[c, i, j] = x[c, i, W − 1 − j]',
  params: [
    { name: 'p', type: { kind: 'fraction' }, default: 0.5, positional: true, doc: 'Probability that an image is mirrored.' },
  ],
  rules: [
    { severity: 'warning', param: 'p', message: 'p = 0 never flips an image', when: (a) => a['p'] === 0 },
  ],
};

import type { TechniqueEntry } from '../schema';
import { intArg } from './common';

export const images: TechniqueEntry = {
  name: 'images',
  kind: 'data',
  summary: 'A folder of PNG and JPEG images, one sub-folder per class, resized to size × size.',
  doc: 'Reads a folder laid out as torchvision\'s `ImageFolder` expects, relative to the recipe: one sub-folder per class (`pets/cat/1.png`, `pets/dog/7.jpg`, …), whose names in sorted order are classes 0, 1, …. Every `.png`, `.jpg` and `.jpeg` file inside a class folder (sub-folders included) is an example; other files are ignored. Each image is converted to RGB (alpha dropped) or grey, resized to `size` × `size` with antialiased bilinear filtering (Pillow\'s, as torchvision\'s `Resize`, ignoring the aspect ratio) and scaled to [0, 1], so examples are 3 × size × size (1 × size × size in grey). The number of classes is known only when the folder is read.',
  params: [
    { name: 'path', type: { kind: 'path' }, required: true, positional: true, doc: 'The folder of class folders, relative to the recipe.' },
    { name: 'size', type: { kind: 'number', integer: true, min: 1 }, required: true, doc: 'Height and width every image is resized to, in pixels.' },
    {
      name: 'color',
      type: { kind: 'enum', members: [
        { name: 'rgb', doc: 'Three channels, red, green and blue; grey images are replicated to all three.' },
        { name: 'grey', doc: 'One channel: ITU-R 601 luma, as PIL\'s `convert("L")`.' },
      ] },
      default: 'rgb',
      doc: 'The channels of each example.',
    },
  ],
  rules: [
    { severity: 'warning', param: 'size', message: 'images larger than 512 × 512 make every step slow and take much memory; 32–224 is usual', when: (a) => typeof a['size'] === 'number' && a['size'] > 512 },
  ],
  data: (args) => {
    const size = intArg(args, 'size');
    const channels = args['color'] === 'grey' ? 1 : 3;
    return { ...(size === undefined ? {} : { input: [channels, size, size] }), task: 'classification' };
  },
};

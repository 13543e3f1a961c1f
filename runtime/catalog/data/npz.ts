import type { TechniqueEntry } from '../schema';
import { ARRAYS_DOC, numpyPaper, taskOnly, taskParam } from './common';

export const npz: TechniqueEntry = {
  name: 'npz',
  kind: 'data',
  summary: 'NumPy arrays in one .npz file (np.savez), features and labels by name.',
  doc: `Reads an archive written by \`np.savez\` or \`np.savez_compressed\`, relative to the recipe, and takes two of its arrays by name: \`np.savez("train.npz", x=images, y=labels)\` is read by \`npz("train.npz")\`. ${ARRAYS_DOC}`,
  paper: numpyPaper,
  params: [
    { name: 'path', type: { kind: 'path' }, required: true, positional: true, doc: 'The .npz file, relative to the recipe.' },
    { name: 'features', type: { kind: 'string' }, default: 'x', doc: 'Name of the features array in the archive.' },
    { name: 'labels', type: { kind: 'string' }, default: 'y', doc: 'Name of the labels array in the archive.' },
    taskParam('What the labels hold.'),
    { name: 'channels_last', type: { kind: 'bool' }, default: false, doc: 'The features are (N, height, width, channels) images; they are transposed to channels first.' },
  ],
  rules: [
    { severity: 'error', param: 'labels', message: 'features and labels name the same array', when: (a) => typeof a['features'] === 'string' && a['features'] === a['labels'] },
    { severity: 'error', param: 'features', message: 'features must name an array of the archive', when: (a) => a['features'] === '' },
    { severity: 'error', param: 'labels', message: 'labels must name an array of the archive', when: (a) => a['labels'] === '' },
  ],
  data: taskOnly,
};

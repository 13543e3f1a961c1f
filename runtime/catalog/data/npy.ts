import type { TechniqueEntry } from '../schema';
import { ARRAYS_DOC, numpyPaper, taskOnly, taskParam } from './common';

export const npy: TechniqueEntry = {
  name: 'npy',
  kind: 'data',
  summary: 'NumPy arrays in two .npy files: the features and the labels.',
  doc: `Reads two files written by \`np.save\`, relative to the recipe: the features and the labels, one example per row of the first axis. ${ARRAYS_DOC}`,
  paper: numpyPaper,
  params: [
    { name: 'features', type: { kind: 'path' }, required: true, positional: true, doc: 'The .npy file of the features, e.g. `"x_train.npy"`.' },
    { name: 'labels', type: { kind: 'path' }, required: true, positional: true, doc: 'The .npy file of the labels, e.g. `"y_train.npy"`.' },
    taskParam('What the labels hold.'),
    { name: 'channels_last', type: { kind: 'bool' }, default: false, doc: 'The features are (N, height, width, channels) images; they are transposed to channels first.' },
  ],
  rules: [
    { severity: 'error', param: 'labels', message: 'features and labels name the same file', when: (a) => typeof a['features'] === 'string' && a['features'] === a['labels'] },
  ],
  data: taskOnly,
};

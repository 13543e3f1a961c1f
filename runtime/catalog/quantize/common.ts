// Parameter specs shared by the calibration methods.

import type { ParamSpec } from '../schema';

export const batchesParam: ParamSpec = { name: 'batches', type: { kind: 'number', integer: true, min: 1 }, default: 8, doc: 'Training batches run through the model to collect activation statistics.' };

export const rangePaper = { title: 'A White Paper on Neural Network Quantization', authors: 'M. Nagel, M. Fournarakis, R. A. Amjad, Y. Bondarenko, M. van Baalen, T. Blankevoort', year: 2021, url: 'https://arxiv.org/abs/2106.08295' } as const;

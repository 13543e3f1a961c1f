import type { TechniqueEntry } from '../schema';
import { batchesParam, rangePaper } from './common';

export const minmax: TechniqueEntry = {
  name: 'minmax',
  kind: 'calibration',
  summary: 'Clipping range = the observed minimum and maximum.',
  doc: 'Uses the smallest and largest value seen (for weights, of the tensor or channel; for activations, over `batches` calibration batches) as the quantization range, so nothing is clipped. Simple and exact for weights, but a single outlier stretches the grid and wastes resolution.',
  rule: 'α = min x, β = max x (symmetric: α = −max|x|, β = max|x|)',
  paper: rangePaper,
  params: [batchesParam],
};

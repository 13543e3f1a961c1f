import type { TechniqueEntry } from '../schema';
import { batchesParam } from './common';

export const mse: TechniqueEntry = {
  name: 'mse',
  kind: 'calibration',
  summary: 'Clipping range that minimizes the quantization error ‖x − Q(x)‖².',
  doc: 'Searches the clipping range α that minimizes the squared error between the values and their quantized version, per tensor or per channel; the error is locally convex in α, so a one-dimensional search (golden section over α ∈ [0.01, 1]·max|x|) finds it. Usually the best choice at 4–6 bits. Activations are collected over `batches` calibration batches.',
  rule: 'α* = argmin_α ‖x − Q_α(x)‖²,  α ∈ [0.01, 1]·max|x|',
  paper: { title: 'Quantization Range Estimation for Convolutional Neural Networks', authors: 'B. Yang, Y. Wang, M. Jiao, H. Huo', year: 2025, url: 'https://arxiv.org/abs/2510.04044' },
  params: [batchesParam],
};

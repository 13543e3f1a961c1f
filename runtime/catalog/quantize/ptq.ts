import type { TechniqueEntry } from '../schema';

export const ptq: TechniqueEntry = {
  name: 'ptq',
  kind: 'quantize_method',
  summary: 'Post-training quantization: calibrate ranges after training, no retraining.',
  doc: 'After training (and any pruning or factorization), chooses a clipping range per tensor or per channel with the `calibrate` method and rounds the weights to the integer grid; activations are quantized with ranges measured on calibration batches. Nothing is retrained, so it is fast but loses accuracy below 8 bits.',
  rule: 'symmetric: s = α/(2^{b−1} − 1), z = 0;  asymmetric: s = (β − α)/(2^b − 1), z = round(−α/s);  q = clamp(round(x/s) + z, q_min, q_max);  x̂ = s(q − z)',
  paper: { title: 'Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference', authors: 'B. Jacob, S. Kligys, B. Chen, M. Zhu, M. Tang, A. Howard, H. Adam, D. Kalenichenko', year: 2018, url: 'https://arxiv.org/abs/1712.05877' },
  params: [],
};

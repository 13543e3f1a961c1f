import type { TechniqueEntry } from '../schema';

export const flatten: TechniqueEntry = {
  name: 'flatten',
  kind: 'layer',
  summary: 'Flattens an image [c, h, w] into a vector of c·h·w features.',
  doc: 'Reshapes each example into a vector in channel-major order (as PyTorch `nn.Flatten`). `dense` already flattens image inputs, so `flatten` is only needed to make the step explicit. Has no weights and costs nothing.',
  rule: 'y[c·h·w index] = x[c, i, j],  [c, h, w] → [c·h·w]',
  params: [],
  layer: {
    infer: (input) => ({ ok: true, output: [input.reduce((a, b) => a * b, 1)], weights: [], flops: 0 }),
  },
};

import type { TechniqueEntry } from '../schema';
import { activationParam, biasParam, biasWeights, hasAffineNorm, normParam, normWeights } from './common';

export const dense: TechniqueEntry = {
  name: 'dense',
  kind: 'layer',
  summary: 'Fully connected layer: y = act(norm(x·Wᵀ + b)).',
  doc: 'A fully connected (linear) layer with `units` outputs, an optional normalization and an activation. Image inputs are flattened first. Its weight has shape (units, in) and is what pruning, low-rank and quantization act on.',
  rule: 'y = act(norm(x Wᵀ + b)),  W ∈ ℝ^{units×in}',
  params: [
    { name: 'units', type: { kind: 'number', integer: true, min: 1 }, required: true, positional: true, doc: 'Number of outputs.' },
    activationParam,
    normParam,
    biasParam,
  ],
  layer: {
    producesFeatures: true,
    hasNorm: hasAffineNorm,
    infer: (input, args) => {
      const units = args['units'];
      if (typeof units !== 'number') return { ok: false, message: 'dense needs a number of units' };
      const inFeatures = input.reduce((a, b) => a * b, 1);
      return {
        ok: true,
        output: [units],
        weights: [
          { name: 'weight', shape: [units, inFeatures], reduction: inFeatures, compressible: true },
          ...biasWeights(args, units),
          ...normWeights(args, units),
        ],
        flops: 2 * units * inFeatures,
      };
    },
  },
};

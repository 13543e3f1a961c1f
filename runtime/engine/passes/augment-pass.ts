// The data block's image augmentations (random crop with padding, horizontal flip) as a pass: each
// training batch is augmented before the step, from the stream createRng(seed, 'augment', t), so a
// run reproduces and a resumed run sees the same batches. Evaluation batches never come here.

import { augmentBatch, createRng, type Augmentation, type Standardizer } from '../data';
import type { PassPlan } from './pass';

export function augmentPass(augment: readonly Augmentation[], seed: number, inputShape: readonly number[], standardizer: Standardizer): PassPlan {
  const [channels = 1, height = 1, width = 1] = inputShape;
  // What a black pixel (raw 0) is after standardization: crop's padding.
  const padValue = Float32Array.from(standardizer.offset, (o, f) => -o / (standardizer.scale[f] ?? 1));
  return {
    name: 'augment',
    create: () => ({
      name: 'augment',
      transformBatch: (batch, ctx) => ({ ...batch, x: augmentBatch({ x: batch.x, size: batch.size, shape: [channels, height, width], padValue }, augment, createRng(seed, 'augment', ctx.t)) }),
    }),
  };
}

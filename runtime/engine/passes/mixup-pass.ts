// The mixup regularizer as a pass: the batch's inputs and one-hot targets are mixed before the step.

import { num, type TechniqueUse } from '../../catalog';
import { createRng } from '../data';
import { mixup } from '../metrics';
import type { PassPlan } from './pass';

export function mixupPass(use: TechniqueUse, seed: number): PassPlan {
  const alpha = num(use.args['alpha']) ?? 1;
  return {
    name: 'mixup',
    create: () => ({
      name: 'mixup',
      transformBatch: (batch, ctx) => ({ ...batch, ...mixup(batch.x, batch.y, batch.size, alpha, createRng(seed, 'mixup', ctx.t)) }),
    }),
  };
}

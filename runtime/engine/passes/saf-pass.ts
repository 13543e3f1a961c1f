// SAF (sharpness-aware training for free, catalog A05) as a pass: each batch's logits are kept on
// the host per example (saf.ts) and fed back `window` epochs later as the KL term's reference.

import type { TechniqueUse } from '../../catalog';
import { createSaf } from '../saf';
import type { PassPlan } from './pass';

export function safPass(use: TechniqueUse, examples: number, classes: number, stepsPerEpoch: number): PassPlan {
  const saf = createSaf(use, examples, classes, stepsPerEpoch);
  return {
    name: 'saf',
    spec: { saf: { weight: saf.weight, temperature: saf.temperature } },
    create: () => ({
      name: 'saf',
      beforeStep(ctx) {
        if (ctx.epoch === saf.firstEpoch && ctx.t === ctx.epoch * stepsPerEpoch) {
          ctx.phase('saf', `saf: KL term to the logits of epoch ${ctx.epoch + 1 - saf.window} switched on (weight ${saf.weight}, temperature ${saf.temperature})`);
        }
      },
      feeds: (batch, ctx) => saf.feeds(batch.indices, ctx.epoch),
      afterStep(batch, out, ctx) {
        saf.record(batch.indices, ctx.epoch, out['logits']!.data as Float32Array);
      },
    }),
  };
}

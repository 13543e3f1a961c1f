// Metrics that need more than the step's outputs: the effective step size (the weights before and
// after each step, so it downloads them every step when asked for) and the costly probes
// (sharpness, Hessian top eigenvalue: extra graph runs on a few recent batches, every `every`).

import type { TechniqueUse } from '../../catalog';
import type { LossFn } from '../../compiler/step';
import type { ModelGraph } from '../../compiler/model';
import { createProbes, effectiveStep, type ProbeBatch } from '../probes';
import type { PassPlan } from './pass';

export function effectiveStepPass(): PassPlan {
  return {
    name: 'effective_step',
    create: () => {
      let before: readonly Float32Array[] = [];
      return {
        name: 'effective_step',
        async beforeStep(ctx) {
          before = await ctx.state.params();
        },
        async afterStep(_batch, _out, ctx) {
          return { effective_step: effectiveStep(before, await ctx.state.params()) };
        },
      };
    },
  };
}

/** How many batches the probes may look at (hessian_top_eig's `batches` is at most this). */
const PROBE_BATCHES = 8;

export interface ProbeSetup {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly targetWidth: number;
  readonly classification: boolean;
  readonly seed: number;
  /** Probes run every this many epochs, and after the last. */
  readonly every: number;
}

export function probesPass(uses: readonly TechniqueUse[], s: ProbeSetup): PassPlan {
  return {
    name: 'probes',
    create: async ({ backend }) => {
      const probes = await createProbes(uses, { model: s.model, loss: s.loss, targetWidth: s.targetWidth, backend, dtype: 'float32', classification: s.classification, seed: s.seed });
      // The last few training batches of each epoch, as the step was fed them.
      const recent: ProbeBatch[] = [];
      return {
        name: 'probes',
        warnings: probes?.warnings ?? [],
        afterStep(batch) {
          if (!probes) return;
          recent.push({ x: batch.x, y: batch.y, size: batch.size });
          if (recent.length > PROBE_BATCHES) recent.shift();
        },
        epochMetrics: async (ctx) => (probes && ((ctx.epoch + 1) % s.every === 0 || ctx.last) ? probes.epoch({ params: ctx.weights, buffers: ctx.buffers, batches: [...recent].reverse() }) : {}),
        release: async () => probes?.release(),
      };
    },
  };
}

// lowrank { method = fwsvd } as a pass (catalog A58): the last `batches` training batches before
// `from` are kept as the step was fed them; before step `from` the Fisher graph
// (compiler/compress/fisher.ts) runs on each of them at the current weights, the squared
// gradients are summed on the host, and the targets are replaced by their Fisher-weighted
// truncation (compress/fwsvd.ts). Training goes on dense; the export factors with the same Î.

import type { CheckedRecipe } from '../../checker';
import { buildFisherGraph, fisherName } from '../../compiler/compress/fisher';
import type { ModelGraph } from '../../compiler/model';
import { toOnnx } from '../../compiler/onnx';
import type { LossFn } from '../../compiler/step';
import { createFwsvd, fwsvdPlanOf } from '../compress';
import { tensorOf } from '../tensors';
import type { PassPlan, StepBatch } from './pass';

export interface FwsvdSetup {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly targetWidth: number;
  readonly stepsPerEpoch: number;
}

export function fwsvdPass(recipe: CheckedRecipe, s: FwsvdSetup): PassPlan | undefined {
  const plan = fwsvdPlanOf(recipe, s.model.params, s.stepsPerEpoch);
  if (!plan) return undefined;
  const fwsvd = createFwsvd(plan, s.model.params);
  const { model } = s;
  return {
    name: 'fwsvd',
    create: ({ backend }) => {
      const recent: Pick<StepBatch, 'x' | 'y' | 'size'>[] = [];
      return {
        name: 'fwsvd',
        afterStep(batch, _out, ctx) {
          if (ctx.t < plan.from - plan.batches || ctx.t >= plan.from) return;
          recent.push({ x: batch.x, y: batch.y, size: batch.size });
          if (recent.length > plan.batches) recent.shift();
        },
        async beforeStep(ctx) {
          if (ctx.t !== plan.from || plan.targets.length === 0) return;
          const params = [...(await ctx.state.params())];
          const buffers = await ctx.state.buffers();
          const fisher = new Map<number, Float64Array>(plan.targets.map((i) => [i, new Float64Array(model.params[i]?.shape.reduce((a, b) => a * b, 1) ?? 0)]));
          if (recent.length > 0) {
            const f = buildFisherGraph({ model, loss: s.loss, targetWidth: s.targetWidth, dtype: 'float32', targets: plan.targets });
            const session = await backend.createSession(toOnnx(f.graph, f.outputs, { name: 'fwsvd_fisher', dtype: 'float32', avoid: backend.avoidOps }));
            try {
              const weights = Object.fromEntries([...model.params.map((p, i) => [p.name, tensorOf(params[i]!, p.shape)] as const), ...model.buffers.map((b, i) => [b.name, tensorOf(buffers[i]!, b.shape)] as const)]);
              for (const b of recent) {
                const out = await session.run({ ...weights, x: tensorOf(b.x, [b.size, ...model.inputShape]), y: tensorOf(b.y, [b.size, s.targetWidth]) });
                for (const i of plan.targets) {
                  const acc = fisher.get(i)!;
                  const g2 = out[fisherName(model.params[i]?.name ?? '')]?.data as Float32Array;
                  for (let k = 0; k < acc.length; k++) acc[k] = acc[k]! + g2[k]!;
                }
              }
            } finally {
              await session.release();
            }
          }
          const before = [...params];
          const detail = fwsvd.project(params, recent.length > 0 ? fisher : new Map(), recent.length);
          await ctx.state.setParams(new Map(plan.targets.filter((i) => params[i] !== before[i]).map((i) => [i, params[i]!])));
          ctx.phase('lowrank', recent.length > 0 ? detail : `${detail}; no training batch before \`from\`, so every row weighs the same (plain truncated SVD)`);
          recent.length = 0;
        },
        epochMetrics: () => fwsvd.metrics(),
        exports: { lowrank: fwsvd },
      };
    },
  };
}

// prune { method = obc } as a pass (catalog A56): nothing changes during training; the last
// `batches` training batches are kept as the step was fed them, and after the last step the
// inputs of each target layer over them (the trained model in evaluation mode:
// compress/activations.ts recordInputs) give its Hessian, from which compress/obc.ts prunes and
// quantizes the layer. The compressed weights are uploaded before the last evaluation, so the
// final metrics, the export and the compression report all see them.

import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import { compressLayer, obcExport, obcHessian, obcPlanOf, recordInputs } from '../compress';
import type { PassPlan, StepBatch } from './pass';

export function obcPass(recipe: CheckedRecipe, model: ModelGraph): PassPlan | undefined {
  const plan = obcPlanOf(recipe, model.params);
  if (!plan) return undefined;
  return {
    name: 'obc',
    create: ({ backend, totalSteps }) => {
      const recent: Pick<StepBatch, 'x' | 'size'>[] = [];
      const grids = new Map<number, { scale: Float64Array; zero: Float64Array }>();
      const errors: Record<string, number> = {};
      return {
        name: 'obc',
        warnings: plan.warnings,
        async afterStep(batch, _out, ctx) {
          if (ctx.t < totalSteps - plan.batches) return;
          recent.push({ x: batch.x, size: batch.size });
          if (recent.length > plan.batches) recent.shift();
          if (ctx.t !== totalSteps - 1 || plan.targets.length === 0) return;
          const params = [...(await ctx.state.params())];
          const buffers = await ctx.state.buffers();
          const inputs = await recordInputs(backend, model, { params, buffers }, {}, plan.targets, recent);
          const changed = new Map<number, Float32Array>();
          const details: string[] = [];
          for (const i of plan.targets) {
            const info = model.params[i];
            const x = inputs.get(i);
            const w = params[i];
            if (!info || !x || !w) continue;
            const [rows = 1, cols = 1] = info.shape;
            const n = x.length / cols;
            const r = compressLayer(plan, w, obcHessian(x, n, cols), rows, cols);
            changed.set(i, r.weights);
            if (r.quantized?.grid) grids.set(i, r.quantized.grid);
            const error = (r.pruned?.error ?? 0) + (r.quantized?.error ?? 0);
            errors[`obc_error/${info.layer}`] = error;
            const damped = r.pruned?.damped || r.quantized?.damped ? `, H singular (${n} calibration rows for ${cols} inputs): dampened with +I` : '';
            details.push(`${info.layer} error ${error.toPrecision(4)}${damped}`);
          }
          await ctx.state.setParams(changed);
          const what = [plan.pattern ? `${plan.pattern.n}:${plan.pattern.m} pruning` : plan.sparsity > 0 ? `${(plan.sparsity * 100).toFixed(1)}% pruning` : '', plan.bits !== undefined ? `${plan.bits}-bit ${plan.symmetric ? 'symmetric' : 'asymmetric'} quantization` : ''].filter((s) => s !== '').join(' and ');
          const rows = recent.reduce((s, b) => s + b.size, 0);
          ctx.phase('pruning', `obc (${what}, ${rows} calibration examples from the last ${recent.length} batch${recent.length === 1 ? '' : 'es'}): ${details.join(', ')}`);
          return errors;
        },
        epochMetrics: (ctx) => (ctx.last ? { ...errors } : {}),
        exports: {
          ...(plan.pattern || plan.sparsity > 0 ? { pruned: { targets: plan.targets, ...(plan.pattern ? { pattern: plan.pattern } : {}) } } : {}),
          ...(plan.bits !== undefined ? { quantize: { ...obcExport(plan, grids), detail: () => 'obc' } } : {}),
        },
      };
    },
  };
}

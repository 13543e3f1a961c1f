// quantize { method = qat } as a pass (compress/qat.ts, qat-lsq.ts): fake-quantization in the
// train step, switched on at `from` by the gate input. With `ste` the scales are the min–max of
// the weights fed to each step, so from `from` on every step downloads the weights; before `from`
// the gate is 0 and unit scales are fed (the step then computes exactly with the float weights).
// With `lsq` the learned step sizes come back from each step as host outputs.

import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import { QAT_GATE, qatParamShape } from '../../compiler/compress/fake-quant';
import { applyPtq, createQat, qatDetail, qatPlanOf, type QatPlan } from '../compress';
import type { HostTensor } from '../backend';
import { scalar, tensorOf } from '../tensors';
import type { PassPlan } from './pass';

export function qatPass(recipe: CheckedRecipe, model: ModelGraph, stepsPerEpoch: number): PassPlan | undefined {
  const qat = qatPlanOf(recipe, model.params, stepsPerEpoch);
  if (!qat) return undefined;
  return {
    name: 'qat',
    spec: { qat: { params: qat.targets, perChannel: qat.spec.perChannel, qmin: qat.qmin, qmax: qat.qmax, estimator: qat.estimator } },
    create: ({ layout, totalSteps }) => {
      const run = createQat(qat, layout, model.params);
      return {
        name: 'qat',
        warnings: [
          ...(qat.from >= totalSteps ? [`quantization-aware training starts at step ${qat.from}, after the last step (${totalSteps}): the weights are only quantized for the export`] : []),
          ...qat.warnings,
        ],
        beforeStep(ctx) {
          if (ctx.t === qat.from) ctx.phase('quantization', qatDetail(qat));
        },
        async feeds(_batch, ctx) {
          if (ctx.t < qat.from && qat.estimator === 'ste') return idleFeeds(layout.qat, qat, model);
          return run.feeds(await ctx.state.params(), ctx.t);
        },
        afterStep(_batch, out, ctx) {
          run.record(out, ctx.t);
        },
        epochMetrics: () => run.metrics(),
        exports: { quantize: { plan: qat, apply: (w) => run.quantize(w) ?? applyPtq(qat, model.params, w), detail: () => run.exportDetail() } },
      };
    },
  };
}

/** The QAT inputs while the gate is 0: unit scales and zero points (any finite grid gives w exactly). */
function idleFeeds(slots: readonly { readonly param: number; readonly scale: string; readonly zeroPoint: string }[], plan: QatPlan, model: ModelGraph): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = { [QAT_GATE]: scalar(0) };
  for (const { param, scale, zeroPoint } of slots) {
    const shape = qatParamShape(model.params[param]?.shape ?? [], plan.spec.perChannel);
    const n = shape.reduce((a, b) => a * b, 1);
    feeds[scale] = tensorOf(new Float32Array(n).fill(1), shape);
    feeds[zeroPoint] = tensorOf(new Float32Array(n), shape);
  }
  return feeds;
}

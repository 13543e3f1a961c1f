// ART's measurement (catalog A50; HyperSparse train.py / utils/art.py): during each ART epoch the
// dense model's running training accuracy (from the step's logits, as `train` accumulates top-1)
// and the epoch's training batches; after the epoch, a magnitude-pruned copy's accuracy on those
// batches (the official `test(train_loader, model_pr)`), through an evaluation session of its own.
// Reported as `art/pruned_train_accuracy` and `art/dense_train_accuracy` for the ART epochs.

import { toOnnx } from '../../compiler';
import type { ModelGraph } from '../../compiler/model';
import { buildEvalStep, type LossFn } from '../../compiler/step';
import type { Backend, HostTensor } from '../backend';
import type { ArtPruning } from '../compress';
import { hostWeightFeeds } from '../evaluate';
import type { Metrics } from '../events';
import { accuracyOf } from '../metrics';
import { tensorOf } from '../tensors';
import type { EpochContext, StepBatch, StepContext } from './pass';

export interface ArtMeasure {
  afterStep(batch: StepBatch, out: Readonly<Record<string, HostTensor>>, ctx: StepContext): void;
  epochEnd(ctx: EpochContext): Promise<Metrics>;
  release(): Promise<void>;
}

export async function createArtMeasure(art: ArtPruning, s: { readonly model: ModelGraph; readonly backend: Backend; readonly loss: LossFn; readonly targetWidth: number; readonly stepsPerEpoch: number }): Promise<ArtMeasure> {
  const evalStep = buildEvalStep(s.model, s.loss, s.targetWidth, 'float32');
  const session = await s.backend.createSession(toOnnx(evalStep.graph, evalStep.outputs, { name: 'art_pruned_eval', dtype: 'float32', avoid: s.backend.avoidOps }));
  let seen: { batches: StepBatch[]; correct: number; count: number; epoch: number } = { batches: [], correct: 0, count: 0, epoch: -1 };
  return {
    afterStep(batch, out, ctx) {
      if (!art.active(ctx.t) || !batch.labels) return;
      if (seen.epoch !== ctx.epoch) seen = { batches: [], correct: 0, count: 0, epoch: ctx.epoch };
      const logits = out['logits']?.data;
      if (logits instanceof Float32Array) seen.correct += accuracyOf(logits, batch.labels, s.targetWidth) * batch.size;
      seen.count += batch.size;
      seen.batches.push(batch);
    },
    async epochEnd(ctx): Promise<Metrics> {
      if (seen.epoch !== ctx.epoch || seen.count === 0) return {};
      const pruned = art.prunedCopy(ctx.weights);
      const feeds = hostWeightFeeds(s.model, pruned.weights, ctx.buffers);
      let correct = 0;
      let count = 0;
      for (const b of seen.batches) {
        const res = await session.run({ ...feeds, x: tensorOf(b.x, [b.size, ...s.model.inputShape]), y: tensorOf(b.y, [b.size, s.targetWidth]) });
        const logits = res['logits']?.data;
        if (logits instanceof Float32Array && b.labels) correct += accuracyOf(logits, b.labels, s.targetWidth) * b.size;
        count += b.size;
      }
      const prunedAccuracy = count === 0 ? 0 : correct / count;
      const denseAccuracy = seen.correct / seen.count;
      art.epochEnd(ctx.epoch, pruned, prunedAccuracy, denseAccuracy);
      seen = { batches: [], correct: 0, count: 0, epoch: -1 };
      return { 'art/pruned_train_accuracy': prunedAccuracy, 'art/dense_train_accuracy': denseAccuracy };
    },
    release: () => session.release(),
  };
}

// Validation: the eval-step session over a data set in fixed batches of 256. Moved out of run.ts.

import type { ModelGraph } from '../compiler/model';
import type { Session } from './backend';
import { batches, oneHot, type Dataset } from './data';
import type { Metrics } from './events';
import { accuracyOf } from './metrics';
import { tensorOf } from './tensors';

export async function evaluate(session: Session, ds: Dataset, model: ModelGraph, params: readonly Float32Array[], buffers: readonly Float32Array[], width: number, classification: boolean): Promise<Metrics> {
  if (ds.count === 0) return {};
  let lossSum = 0;
  let correct = 0;
  for (const b of batches(ds, { batch: 256, seed: 0, epoch: 0, shuffle: false })) {
    const feeds: Record<string, ReturnType<typeof tensorOf>> = {
      x: tensorOf(b.x, [b.size, ...model.inputShape]),
      y: tensorOf(classification ? oneHot(b.labels ?? [], width) : b.y, [b.size, width]),
    };
    model.params.forEach((p, i) => (feeds[p.name] = tensorOf(params[i]!, p.shape)));
    model.buffers.forEach((p, i) => (feeds[p.name] = tensorOf(buffers[i]!, p.shape)));
    const out = await session.run(feeds);
    lossSum += firstValue(out['loss']?.data) * b.size;
    if (classification && b.labels) correct += accuracyOf(out['logits']!.data as Float32Array, b.labels, width) * b.size;
  }
  return { val_loss: lossSum / ds.count, ...(classification ? { val_accuracy: correct / ds.count } : {}) };
}

export function firstValue(data: ArrayLike<number | bigint> | undefined): number {
  const v = data?.[0];
  return typeof v === 'number' ? v : Number.NaN;
}

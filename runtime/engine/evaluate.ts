// Validation: the eval-step session over a data set in fixed batches of 256. The weights are fed
// as they are: device tensors straight from the training state, or host arrays.

import type { Feed, Session } from './backend';
import { batches, oneHot, type Dataset } from './data';
import type { Metrics } from './events';
import { accuracyOf } from './metrics';
import { tensorOf } from './tensors';

export async function evaluate(session: Session, ds: Dataset, inputShape: readonly number[], weights: Readonly<Record<string, Feed>>, width: number, classification: boolean): Promise<Metrics> {
  if (ds.count === 0) return {};
  let lossSum = 0;
  let correct = 0;
  for (const b of batches(ds, { batch: 256, seed: 0, epoch: 0, shuffle: false })) {
    const out = await session.run({
      ...weights,
      x: tensorOf(b.x, [b.size, ...inputShape]),
      y: tensorOf(classification ? oneHot(b.labels ?? [], width) : b.y, [b.size, width]),
    });
    lossSum += firstValue(out['loss']?.data) * b.size;
    if (classification && b.labels) correct += accuracyOf(out['logits']!.data as Float32Array, b.labels, width) * b.size;
  }
  return { val_loss: lossSum / ds.count, ...(classification ? { val_accuracy: correct / ds.count } : {}) };
}

/** Host parameters and buffers as eval feeds, by the model's input names. */
export function hostWeightFeeds(model: { readonly params: readonly { readonly name: string; readonly shape: readonly number[] }[]; readonly buffers: readonly { readonly name: string; readonly shape: readonly number[] }[] }, params: readonly Float32Array[], buffers: readonly Float32Array[]): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  model.params.forEach((p, i) => (feeds[p.name] = tensorOf(params[i]!, p.shape)));
  model.buffers.forEach((p, i) => (feeds[p.name] = tensorOf(buffers[i]!, p.shape)));
  return feeds;
}

export function firstValue(data: ArrayLike<number | bigint> | undefined): number {
  const v = data?.[0];
  return typeof v === 'number' ? v : Number.NaN;
}

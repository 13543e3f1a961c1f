// The train step's inputs for one batch: data, scalars, parameters, buffers, dropout masks and
// optimizer state (the compression inputs are added by engine/compress). Moved out of run.ts.

import type { ModelGraph } from '../compiler/model';
import type { TrainStepLayout } from '../compiler/step';
import type { HostTensor } from './backend';
import type { Rng } from './data';
import { scalar, tensorOf } from './tensors';

export interface StepState {
  readonly params: readonly Float32Array[];
  readonly buffers: readonly Float32Array[];
  readonly state: readonly (readonly Float32Array[])[];
  readonly wrapperState: readonly Float32Array[];
}

export function stepFeeds(model: ModelGraph, layout: TrainStepLayout, batch: { readonly x: Float32Array; readonly y: Float32Array; readonly size: number; readonly targetWidth: number }, scalars: { readonly lr: number; readonly step: number }, s: StepState, dropoutRng: Rng): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {
    x: tensorOf(batch.x, [batch.size, ...model.inputShape]),
    y: tensorOf(batch.y, [batch.size, batch.targetWidth]),
    lr: scalar(scalars.lr),
    step: scalar(scalars.step),
  };
  model.params.forEach((p, i) => (feeds[p.name] = tensorOf(s.params[i]!, p.shape)));
  model.buffers.forEach((p, i) => (feeds[p.name] = tensorOf(s.buffers[i]!, p.shape)));
  model.dropouts.forEach((d, i) => {
    const size = batch.size * d.shape.reduce((a, c) => a * c, 1);
    const keep = new Float32Array(size);
    for (let k = 0; k < size; k++) keep[k] = dropoutRng.uniform() >= d.ratio ? 1 : 0;
    feeds[layout.masks[i]!] = tensorOf(keep, [batch.size, ...d.shape]);
  });
  layout.state.forEach((specs, i) => specs.forEach((st, k) => (feeds[`${model.params[i]!.name}.${st.name}`] = tensorOf(s.state[i]![k]!, st.shape))));
  layout.wrapperState.forEach((st, k) => (feeds[`wrapper.${st.name}`] = tensorOf(s.wrapperState[k]!, st.shape)));
  return feeds;
}

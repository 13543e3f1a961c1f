// The train step's per-batch inputs: data, scalars and dropout masks. The state (parameters,
// buffers, optimizer state) comes from the TrainState and the techniques' inputs from the passes;
// the host scalars are computed last, from the step counts among all of those.

import type { ModelGraph } from '../compiler/model';
import { hostScalarValues } from '../compiler/optim';
import { STEP, type TrainStepLayout } from '../compiler/step';
import { isDeviceTensor, type Feed, type HostTensor } from './backend';
import type { Rng } from './data';
import { scalar, tensorOf } from './tensors';

export function batchFeeds(model: ModelGraph, layout: TrainStepLayout, batch: { readonly x: Float32Array; readonly y: Float32Array; readonly size: number; readonly targetWidth: number }, scalars: { readonly lr: number; readonly step: number }, dropoutRng: Rng): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {
    x: tensorOf(batch.x, [batch.size, ...model.inputShape]),
    y: tensorOf(batch.y, [batch.size, batch.targetWidth]),
    lr: scalar(scalars.lr),
    [STEP]: scalar(scalars.step),
  };
  model.dropouts.forEach((d, i) => {
    const size = batch.size * d.shape.reduce((a, c) => a * c, 1);
    const keep = new Float32Array(size);
    for (let k = 0; k < size; k++) keep[k] = dropoutRng.uniform() >= d.ratio ? 1 : 0;
    feeds[layout.masks[i]!] = tensorOf(keep, [batch.size, ...d.shape]);
  });
  return feeds;
}

/** Host-held state of a step driven from JS (tests, one-off graph runs), as the train step's inputs. */
export interface StepState {
  readonly params: readonly Float32Array[];
  readonly buffers: readonly Float32Array[];
  readonly state: readonly (readonly Float32Array[])[];
  readonly wrapperState: readonly Float32Array[];
}

/**
 * Every feed of a step driven from JS (tests, one-off graph runs): batchFeeds, the state from host
 * arrays (the run itself keeps its state on the device: train-state.ts), the techniques' feeds
 * `more` and the host scalars.
 */
export function stepFeeds(model: ModelGraph, layout: TrainStepLayout, batch: { readonly x: Float32Array; readonly y: Float32Array; readonly size: number; readonly targetWidth: number }, scalars: { readonly lr: number; readonly step: number }, s: StepState, dropoutRng: Rng, more: Readonly<Record<string, HostTensor>> = {}): Record<string, HostTensor> {
  const feeds = batchFeeds(model, layout, batch, scalars, dropoutRng);
  model.params.forEach((p, i) => (feeds[p.name] = tensorOf(s.params[i]!, p.shape)));
  model.buffers.forEach((p, i) => (feeds[p.name] = tensorOf(s.buffers[i]!, p.shape)));
  layout.state.forEach((specs, i) => specs.forEach((st, k) => (feeds[`${model.params[i]!.name}.${st.name}`] = tensorOf(s.state[i]![k]!, st.shape))));
  layout.wrapperState.forEach((st, k) => (feeds[`wrapper.${st.name}`] = tensorOf(s.wrapperState[k]!, st.shape)));
  Object.assign(feeds, more);
  return Object.assign(feeds, hostScalarFeeds(layout, feeds));
}

/**
 * The host scalars of a step (optim/host-scalars.ts), computed in double from the step counts
 * in `feeds` (every other feed of the step, so the counters are there) and rounded once.
 */
export function hostScalarFeeds(layout: TrainStepLayout, feeds: Readonly<Record<string, Feed>>): Record<string, HostTensor> {
  const counter = (name: string): number => {
    const t = feeds[name];
    if (t === undefined || isDeviceTensor(t)) throw new Error(`hostScalarFeeds: the step count ${name} is not fed from the host`);
    return Number(t.data[0]);
  };
  return Object.fromEntries(hostScalarValues(layout.hostScalars, counter).map((s) => [s.input, scalar(s.value)]));
}

// The training state between steps: parameters, buffers (batch-norm statistics), optimizer state
// and the wrapper's state, as device tensors owned by the backend. The train step is fed them and
// returns each one's successor as `<name>.next`; `advance` takes those and disposes the old ones,
// so on webgpu nothing of the state leaves the GPU during a step.
//
// The host sees weights only through `params()` / `buffers()` (a download, counted by the backend)
// or changes them through `setParams()` (an upload). A pass that needs the weights on the host
// calls one of them in its own code, so every transfer is visible where it is asked for. Host
// copies are cached until the state changes, so several passes reading one step share a download.

import type { ModelGraph } from '../compiler/model';
import type { TrainStepLayout } from '../compiler/step';
import type { Backend, DeviceTensor } from './backend';

export interface TrainState {
  /** The step's state inputs, by input name. */
  feeds(): Record<string, DeviceTensor>;
  /** The step outputs that carry the next state (`<input>.next`): the train session keeps them on the device. */
  readonly nextOutputs: readonly string[];
  /** Takes a step's device outputs as the new state; the old tensors are disposed. */
  advance(device: Readonly<Record<string, DeviceTensor>>): void;
  /** Parameters and buffers by input name, for another session (evaluation, probes), without a copy. */
  weightFeeds(): Record<string, DeviceTensor>;
  /** The parameters on the host (model order): a download. The arrays are copies; do not keep them across steps. */
  params(): Promise<readonly Float32Array[]>;
  /** The buffers on the host (model order): a download. */
  buffers(): Promise<readonly Float32Array[]>;
  /** Replaces some parameters (by index) with host values: an upload. */
  setParams(values: ReadonlyMap<number, Float32Array>): Promise<void>;
  dispose(): void;
}

export interface InitialState {
  readonly params: readonly Float32Array[];
  readonly buffers: readonly Float32Array[];
}

export async function createTrainState(backend: Backend, model: ModelGraph, layout: TrainStepLayout, initial: InitialState): Promise<TrainState> {
  // Slot order: parameters, buffers, then per parameter its optimizer state, then the wrapper's.
  const slots: { readonly name: string; readonly shape: readonly number[] }[] = [
    ...model.params.map((p) => ({ name: p.name, shape: p.shape })),
    ...model.buffers.map((p) => ({ name: p.name, shape: p.shape })),
    ...layout.state.flatMap((specs, i) => specs.map((s) => ({ name: `${model.params[i]!.name}.${s.name}`, shape: s.shape }))),
    ...layout.wrapperState.map((s) => ({ name: `wrapper.${s.name}`, shape: s.shape })),
  ];
  const nParams = model.params.length;
  const nWeights = nParams + model.buffers.length;
  const hostInit = [...initial.params, ...initial.buffers];
  const tensors: DeviceTensor[] = [];
  for (const [k, s] of slots.entries()) {
    const data = hostInit[k] ?? new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    tensors.push(await backend.upload({ dtype: 'float32', shape: s.shape, data }));
  }
  let hostParams: Promise<readonly Float32Array[]> | undefined;
  let hostBuffers: Promise<readonly Float32Array[]> | undefined;
  const changed = () => {
    hostParams = undefined;
    hostBuffers = undefined;
  };
  const download = async (from: number, to: number) => (await backend.download(tensors.slice(from, to))).map((t) => t.data as Float32Array);
  return {
    feeds: () => Object.fromEntries(slots.map((s, k) => [s.name, tensors[k]!])),
    nextOutputs: slots.map((s) => `${s.name}.next`),
    advance(device) {
      const next = slots.map((s) => device[`${s.name}.next`]);
      const missing = slots.filter((_, k) => !next[k]).map((s) => s.name);
      if (missing.length > 0) throw new Error(`advance: the step returned no next value for ${missing.join(', ')}`);
      for (const [k, t] of next.entries()) {
        tensors[k]!.dispose();
        tensors[k] = t!;
      }
      changed();
    },
    weightFeeds: () => Object.fromEntries(slots.slice(0, nWeights).map((s, k) => [s.name, tensors[k]!])),
    params: () => (hostParams ??= download(0, nParams)),
    buffers: () => (hostBuffers ??= download(nParams, nWeights)),
    async setParams(values) {
      for (const [i, data] of values) {
        const s = slots[i];
        if (!s || i >= nParams) throw new Error(`setParams: no parameter ${i}`);
        const t = await backend.upload({ dtype: 'float32', shape: s.shape, data });
        tensors[i]!.dispose();
        tensors[i] = t;
      }
      changed();
    },
    dispose() {
      for (const t of tensors) t.dispose();
      tensors.length = 0;
    },
  };
}

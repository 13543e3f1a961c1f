// Test support for runtime/compiler/optim on onnxruntime: the training-step graph of
// optim-harness's `stepper` (wrapper gradient → optimizer update on a TinyNet), emitted as ONNX in
// float32 and run one session.run() per step on a backend, parameters and state fed back as
// float32 tensors and the host scalars computed in double, as the engine's loop does.

import { filled, toOnnx } from '../compiler';
import { hostScalarValues } from '../compiler/optim/host-scalars';
import type { Backend, HostTensor } from '../engine/backend';
import { buildStepGraph, type TrainSetup } from './optim-harness';

/** Parameters, optimizer state (per parameter) and wrapper state between steps, in float32. */
export interface HostTrainState {
  readonly params: readonly HostTensor[];
  readonly state: readonly (readonly HostTensor[])[];
  readonly wrapperState: readonly HostTensor[];
}

export interface OnnxStepper {
  readonly initial: (params: readonly HostTensor[]) => HostTrainState;
  /** The shapes of the wrapper's per-step inputs, in the order `step` takes them. */
  readonly inputShapes: readonly (readonly number[])[];
  /** One step with the 1-based step count and the scheduled lr; x is [batch, inputs], y one-hot [batch, classes]. */
  readonly step: (s: HostTrainState, x: HostTensor, y: HostTensor, lr: number, step: number, inputs?: readonly HostTensor[]) => Promise<HostTrainState & { readonly loss: number }>;
  readonly release: () => Promise<void>;
}

/** A float32 host tensor of `shape` holding `data` rounded to float32. */
export function f32Tensor(shape: readonly number[], data: ArrayLike<number>): HostTensor {
  return { dtype: 'float32', shape: [...shape], data: Float32Array.from(data) };
}

export async function onnxStepper(setup: TrainSetup, backend: Backend): Promise<OnnxStepper> {
  const { g, specs, wSpecs, iSpecs, loss, params: nextParams, state: nextState, wrapperState: nextWrapper, hostScalars } = buildStepGraph(setup);
  const outputs = [
    { name: 'loss', value: loss },
    ...nextParams.map((value, i) => ({ name: `p${i}.next`, value })),
    ...nextState.flatMap((ss, i) => ss.map((value, j) => ({ name: `s${i}_${j}.next`, value }))),
    ...nextWrapper.map((value, k) => ({ name: `w${k}.next`, value })),
  ];
  // Built in float64 (the interpreter's dtype) and written as float32: every input, constant and
  // intermediate of the emitted model is single precision.
  const session = await backend.createSession(toOnnx(g, outputs, { name: `step_${setup.optimizer.builder.name}`, dtype: 'float32' }));
  const out = (res: Readonly<Record<string, HostTensor>>, name: string): HostTensor => {
    const t = res[name];
    if (t === undefined) throw new Error(`onnxStepper: missing output ${name}`);
    return t;
  };
  return {
    inputShapes: iSpecs.map((s) => s.shape),
    initial: (ps) => ({
      params: ps,
      state: specs.map((ss) => ss.map((s) => f32Tensor(s.shape, filled(s.shape, 0).data))),
      wrapperState: wSpecs.map((s) => f32Tensor(s.shape, filled(s.shape, 0).data)),
    }),
    step: async (s, xs, ys, lrValue, t, inputs = []) => {
      const feeds: Record<string, HostTensor> = { x: xs, y: ys, lr: f32Tensor([], [lrValue]), step: f32Tensor([], [t]) };
      inputs.forEach((v, k) => (feeds[`wi${k}`] = v));
      s.params.forEach((p, i) => (feeds[`p${i}`] = p));
      s.state.forEach((ss, i) => ss.forEach((v, j) => (feeds[`s${i}_${j}`] = v)));
      s.wrapperState.forEach((v, k) => (feeds[`w${k}`] = v));
      for (const h of hostScalarValues(hostScalars, () => t)) feeds[h.input] = f32Tensor([], [h.value]);
      const res = await session.run(feeds);
      return {
        loss: Number(out(res, 'loss').data[0]),
        params: nextParams.map((_, i) => out(res, `p${i}.next`)),
        state: nextState.map((ss, i) => ss.map((_, j) => out(res, `s${i}_${j}.next`))),
        wrapperState: nextWrapper.map((_, k) => out(res, `w${k}.next`)),
      };
    },
    release: () => session.release(),
  };
}

// Test support for runtime/compiler/optim: tiny hand-built networks (PyTorch layout [out, in]) and
// a runner that builds one training-step graph (wrapper gradient → optimizer update) and replays it
// step by step in the float64 interpreter, feeding parameters, state and host scalars back.

import { GraphBuilder, type Tensor, type Value, add, div, filled, grad, interpret, layerNorm, matmul, mul, reduceSum, softmaxCrossEntropy, sqrt, tanh, tensor, transpose } from '../compiler';
import type { ParamInfo } from '../compiler/model/types';
import { hostScalarInputs, hostScalarValues, type HostScalar } from '../compiler/optim/host-scalars';
import type { HyperParams, LossAndGrad, OptimizerBuilder, StateSpec, WrapperBuilder } from '../compiler/optim/types';
import { seededRandom } from './gradcheck';

export interface TinyNet {
  readonly infos: readonly ParamInfo[];
  readonly inputs: number;
  readonly classes: number;
  forward(x: Value, params: readonly Value[]): Value;
}

export interface MlpOptions {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
  /** A layer norm (scale and bias, isNorm) after the hidden activation, for SAM-ON. */
  readonly layerNorm?: boolean;
  /** Normalize each row of fc1.weight before use, which makes the loss invariant to row scales (AdamP's case). */
  readonly rowNormalized?: boolean;
}

/** x → fc1 → tanh → [layer norm] → fc2 (logits), weights [out, in] as in torch.nn.Linear. */
export function mlp(o: MlpOptions): TinyNet {
  const info = (name: string, layer: string, role: ParamInfo['role'], shape: number[]): ParamInfo => ({
    name, layer, role, shape, compressible: role === 'weight', isNorm: role === 'norm_scale' || role === 'norm_bias', init: { kind: 'zeros' },
  });
  const infos = [
    info('fc1.weight', 'fc1', 'weight', [o.hidden, o.inputs]),
    info('fc1.bias', 'fc1', 'bias', [o.hidden]),
    ...(o.layerNorm ? [info('ln.scale', 'ln', 'norm_scale', [o.hidden]), info('ln.bias', 'ln', 'norm_bias', [o.hidden])] : []),
    info('fc2.weight', 'fc2', 'weight', [o.classes, o.hidden]),
    info('fc2.bias', 'fc2', 'bias', [o.classes]),
  ];
  return {
    infos,
    inputs: o.inputs,
    classes: o.classes,
    forward: (x, params) => {
      const p = (i: number): Value => {
        const v = params[i];
        if (v === undefined) throw new Error(`mlp: missing parameter ${i}`);
        return v;
      };
      let w1 = p(0);
      if (o.rowNormalized) w1 = div(w1, sqrt(reduceSum(mul(w1, w1), [1], true)));
      let h = tanh(add(matmul(x, transpose(w1)), p(1)));
      let k = 2;
      if (o.layerNorm) {
        h = layerNorm(h, p(2), p(3), { axis: -1, epsilon: 1e-5 });
        k = 4;
      }
      return add(matmul(h, transpose(p(k))), p(k + 1));
    },
  };
}

export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
}

export interface Technique<B> {
  readonly builder: B;
  readonly hp: HyperParams;
}

export interface TrainSetup {
  readonly net: TinyNet;
  readonly batchSize: number;
  readonly optimizer: Technique<OptimizerBuilder>;
  readonly wrapper?: Technique<WrapperBuilder>;
}

/** Parameters, optimizer state (per parameter) and wrapper state between steps. */
export interface TrainState {
  readonly params: readonly Tensor[];
  readonly state: readonly (readonly Tensor[])[];
  readonly wrapperState: readonly Tensor[];
}

export interface Stepper {
  readonly initial: (params: readonly Tensor[]) => TrainState;
  /** The shapes of the wrapper's per-step inputs, in the order `step` takes them. */
  readonly inputShapes: readonly (readonly number[])[];
  /** One step with the 1-based step count and the scheduled lr (and the wrapper's inputs, when it has any). */
  readonly step: (s: TrainState, batch: Batch, lr: number, step: number, inputs?: readonly Tensor[]) => TrainState & { readonly loss: number };
}

/**
 * The training-step graph of a setup: wrapper gradient (if any) → optimizer update, named inputs
 * p{i}, s{i}_{j}, w{k}, and the optimizer's host scalars (counted by the input `step`).
 */
export interface StepGraph {
  readonly g: GraphBuilder;
  readonly specs: readonly (readonly StateSpec[])[];
  readonly wSpecs: readonly StateSpec[];
  /** The wrapper's per-step inputs, named wi{k}. */
  readonly iSpecs: readonly StateSpec[];
  readonly loss: Value;
  readonly params: readonly Value[];
  readonly state: readonly (readonly Value[])[];
  readonly wrapperState: readonly Value[];
  readonly hostScalars: readonly HostScalar[];
}

export function buildStepGraph(setup: TrainSetup): StepGraph {
  const { net, optimizer, wrapper } = setup;
  const g = new GraphBuilder();
  const x = g.input('x', [setup.batchSize, net.inputs]);
  const y = g.input('y', [setup.batchSize, net.classes]);
  const lr = g.input('lr', []);
  const step = g.input('step', []);
  const params = net.infos.map((info, i) => g.input(`p${i}`, info.shape));
  const specs = net.infos.map((info) => optimizer.builder.state(info, optimizer.hp));
  const state = specs.map((ss, i) => ss.map((s, j) => g.input(`s${i}_${j}`, s.shape)));
  const wSpecs = wrapper ? wrapper.builder.state(net.infos, wrapper.hp) : [];
  const wState = wSpecs.map((s, k) => g.input(`w${k}`, s.shape));
  const iSpecs = wrapper?.builder.inputs?.(net.infos, wrapper.hp) ?? [];
  const wInputs = iSpecs.map((s, k) => g.input(`wi${k}`, s.shape));
  const lossAndGrad: LossAndGrad = (ps) => {
    const loss = softmaxCrossEntropy(net.forward(x, ps), y);
    return { loss, grads: grad(loss, ps) };
  };
  const wr = wrapper
    ? wrapper.builder.gradient(g, { params, infos: net.infos, lossAndGrad, state: wState, inputs: wInputs, step, hp: wrapper.hp })
    : { ...lossAndGrad(params, { updateBuffers: true }), state: [] };
  const hostScalars: HostScalar[] = [];
  const up = optimizer.builder.update(g, { params, grads: wr.grads, state, infos: net.infos, lr, step, hostScalar: hostScalarInputs(g, 'step', 'float64', hostScalars), hp: optimizer.hp });
  return { g, specs, wSpecs, iSpecs, loss: wr.loss, params: up.params, state: up.state, wrapperState: wr.state, hostScalars };
}

export function stepper(setup: TrainSetup): Stepper {
  const { g, specs, wSpecs, iSpecs, loss, params: nextParams, state: nextState, wrapperState: nextWrapper, hostScalars } = buildStepGraph(setup);
  if (g.errors.length > 0) throw new Error(`stepper: shape errors ${g.errors.map((e) => e.message).join('; ')}`);
  const outputs = [loss, ...nextParams, ...nextState.flat(), ...nextWrapper];
  return {
    inputShapes: iSpecs.map((s) => s.shape),
    initial: (ps) => ({
      params: ps,
      state: specs.map((ss) => ss.map((s) => filled(s.shape, 0))),
      wrapperState: wSpecs.map((s) => filled(s.shape, 0)),
    }),
    step: (s, batch, lrValue, t, inputs = []) => {
      const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y, lr: tensor([], [lrValue]), step: tensor([], [t]) };
      inputs.forEach((v, k) => (feeds[`wi${k}`] = v));
      s.params.forEach((p, i) => (feeds[`p${i}`] = p));
      s.state.forEach((ss, i) => ss.forEach((v, j) => (feeds[`s${i}_${j}`] = v)));
      s.wrapperState.forEach((v, k) => (feeds[`w${k}`] = v));
      for (const h of hostScalarValues(hostScalars, () => t)) feeds[h.input] = tensor([], [h.value]);
      const res = interpret(outputs, feeds);
      let k = 0;
      const take = (): Tensor => {
        const t0 = res[k++];
        if (t0 === undefined) throw new Error('stepper: missing output');
        return t0;
      };
      const loss = take().data[0] ?? NaN;
      const newParams = nextParams.map(() => take());
      const newState = nextState.map((ss) => ss.map(() => take()));
      const newW = nextWrapper.map(() => take());
      return { loss, params: newParams, state: newState, wrapperState: newW };
    },
  };
}

/** The loss gradients of `net` at `params` on `batch`. */
export function gradients(net: TinyNet, params: readonly Tensor[], batch: Batch): Tensor[] {
  const g = new GraphBuilder();
  const x = g.input('x', batch.x.shape);
  const y = g.input('y', batch.y.shape);
  const ps = params.map((p, i) => g.input(`p${i}`, p.shape));
  const grads = grad(softmaxCrossEntropy(net.forward(x, ps), y), ps);
  const feeds: Record<string, Tensor> = { x: batch.x, y: batch.y };
  params.forEach((p, i) => (feeds[`p${i}`] = p));
  return interpret(grads, feeds);
}

/** Seeded Gaussian tensor (Box–Muller over mulberry32). */
export function gaussian(shape: readonly number[], rand: () => number, std = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    const u = Math.max(rand(), 1e-300);
    return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  });
  return tensor(shape, data);
}

/** Deterministic initial parameters and batches (inputs Gaussian, labels uniform one-hot). */
export function randomProblem(net: TinyNet, batchSize: number, batches: number, seed: number): { params: Tensor[]; batches: Batch[] } {
  const rand = seededRandom(seed);
  const params = net.infos.map((info) => {
    if (info.role === 'norm_scale') return gaussian(info.shape, rand, 0.1).data.map((v) => 1 + v);
    return gaussian(info.shape, rand, 0.5).data;
  }).map((d, i) => tensor(net.infos[i]?.shape ?? [], d));
  const bs = Array.from({ length: batches }, () => {
    const x = gaussian([batchSize, net.inputs], rand);
    const labels = Array.from({ length: batchSize }, () => Math.floor(rand() * net.classes));
    const y = tensor([batchSize, net.classes], labels.flatMap((c) => Array.from({ length: net.classes }, (_, k) => (k === c ? 1 : 0))));
    return { x, y };
  });
  return { params, batches: bs };
}


/** The harness's seeded uniform generator (mulberry32), for tests that draw their own tensors. */
export function seededRandomFor(seed: number): () => number {
  return seededRandom(seed);
}

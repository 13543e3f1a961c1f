// LayerNormalization (opset 17) and BatchNormalization (opset 15+, training_mode).
// Both backward rules recompute the statistics from primitives rather than reading the Mean /
// InvStdDev outputs, so the gradient graph is itself differentiable (for Hessian-vector products).
//
// NOTE on BatchNormalization momentum: ONNX updates running = running·momentum + batch·(1 − momentum)
// (default 0.9), while PyTorch writes running = (1 − m)·running + m·batch (default m = 0.1): ONNX
// momentum = 1 − PyTorch momentum. ONNX also uses the biased (population) batch variance for the
// running variance, where PyTorch uses the unbiased one (factor N/(N−1), N = elements per channel).

import { type Attrs, type Dim, type InferResult, type OpDef, type TypedShape, type Value, intAttr, shapeError } from '../ir';
import { normalizeAxis, showShape } from '../shape';
import { type Tensor, at, sizeOf, stridesOf } from '../tensor';
import { add, first, mul, sub } from './binary';
import { sumToShape } from './expand';
import { reduceMean, reduceSum } from './reduce';
import { reshape } from './reshape';
import { reciprocal, sqrt } from './unary';

export const LayerNormalization: OpDef = {
  name: 'LayerNormalization',
  attrTypes: { axis: 'int', epsilon: 'float' },
  inferShape: (ins, attrs) => inferLayerNorm(ins, attrs),
  backward: ({ node, gradOutputs: [g, gMean, gInv], needs }) => {
    if (gMean !== undefined || gInv !== undefined) throw new Error('LayerNormalization: no gradient through the Mean/InvStdDev outputs');
    const [x, scale, bias] = node.inputs;
    if (g === undefined || x === undefined || scale === undefined) return node.inputs.map(() => undefined);
    const axis = normalizeAxis(intAttr(node.attrs, 'axis', -1), x.shape.length) ?? x.shape.length - 1;
    const axes = x.shape.map((_, i) => i).filter((i) => i >= axis);
    const { dx, xhat } = normalizeBackward(x, mul(g, scale), axes, epsilonOf(node.attrs));
    return [
      needs[0] ? dx : undefined,
      needs[1] ? sumToShape(mul(g, xhat), scale.shape) : undefined,
      needs[2] && bias ? sumToShape(g, bias.shape) : undefined,
    ].slice(0, node.inputs.length); // B is optional
  },
  emitOnnx: (e, node) => {
    const x = first(node.inputs);
    const axis = normalizeAxis(intAttr(node.attrs, 'axis', -1), x.shape.length) ?? x.shape.length - 1;
    const eps = epsilonOf(node.attrs);
    if (e.dtypeOf(x) === 'float32') {
      e.node('LayerNormalization', node.inputs.map((_, i) => e.input(i)), node.outputs.map((_, i) => e.output(i)), { axis: { type: 'int', value: axis }, epsilon: { type: 'float', value: eps } });
      return;
    }
    // NOTE: onnxruntime has no float64 LayerNormalization kernel, and its Mean/InvStdDev outputs
    // would be float32 (the stash type); float64 graphs get the same formula from primitives.
    const [y, mean, inv] = [e.output(0), e.output(1), e.output(2)];
    const axes = { type: 'ints', value: x.shape.map((_, i) => i).filter((i) => i >= axis) } as const;
    const keepdims = { type: 'int', value: 1 } as const;
    const [d, d2, variance, shifted, std, normed] = ['centered', 'squared', 'var', 'var_eps', 'std', 'normed'].map((h) => e.temp(h)) as [string, string, string, string, string, string];
    e.node('ReduceMean', [e.input(0)], [mean], { axes, keepdims });
    e.node('Sub', [e.input(0), mean], [d]);
    e.node('Mul', [d, d], [d2]);
    e.node('ReduceMean', [d2], [variance], { axes, keepdims });
    e.node('Add', [variance, e.scalar(eps, 'float64')], [shifted]);
    e.node('Sqrt', [shifted], [std]);
    e.node('Reciprocal', [std], [inv]);
    e.node('Mul', [d, inv], [normed]);
    const hasBias = node.inputs.length > 2;
    const scaled = hasBias ? e.temp('scaled') : y;
    e.node('Mul', [normed, e.input(1)], [scaled]);
    if (hasBias) e.node('Add', [scaled, e.input(2)], [y]);
  },
  evaluate: ([x, scale, bias], attrs) => evaluateLayerNorm(need(x), need(scale), bias, attrs),
};

export const BatchNormalization: OpDef = {
  name: 'BatchNormalization',
  attrTypes: { epsilon: 'float', momentum: 'float', training_mode: 'int' },
  inferShape: (ins, attrs) => inferBatchNorm(ins, attrs),
  backward: ({ node, gradOutputs: [g, gMean, gVar], needs }) => {
    if (gMean !== undefined || gVar !== undefined) throw new Error('BatchNormalization: no gradient through the running statistics');
    const [x, scale, bias, , runVar] = node.inputs;
    if (g === undefined || x === undefined || scale === undefined || bias === undefined || runVar === undefined) return node.inputs.map(() => undefined);
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const perChannel = (v: Value): Value => reshape(v, x.shape.map((_, i) => (i === 1 ? -1 : 1)));
    const eps = epsilonOf(node.attrs);
    let dx: Value;
    let xhat: Value;
    if (intAttr(node.attrs, 'training_mode', 0)) {
      ({ dx, xhat } = normalizeBackward(x, mul(g, perChannel(scale)), axes, eps));
    } else {
      // Eval mode is affine in x: y = (x − mean)·rstd·scale + B with the running statistics.
      const runMean = node.inputs[3] as Value;
      const rstd = reciprocal(sqrt(add(perChannel(runVar), eps)));
      dx = mul(g, mul(perChannel(scale), rstd));
      xhat = mul(sub(x, perChannel(runMean)), rstd);
    }
    // Running statistics are state, not parameters: no gradient is returned for them.
    return [
      needs[0] ? dx : undefined,
      needs[1] ? reduceSum(mul(g, xhat), axes, false) : undefined,
      needs[2] ? reduceSum(g, axes, false) : undefined,
      undefined,
      undefined,
    ];
  },
  emitOnnx: (e, node) => {
    const x = first(node.inputs);
    const dtype = e.dtypeOf(x);
    if (intAttr(node.attrs, 'training_mode', 0) === 0) {
      e.asIs(node);
      return;
    }
    // NOTE: training mode is always spelled out in primitive ops, for three reasons. ONNX float
    // attributes are float32, so momentum 0.9 would update float64 running statistics with
    // 0.899999976…. onnxruntime's CPU kernel writes the running statistics into its input buffers
    // in place, so a step with two forward passes (SAM and its kin) updated them twice, and the
    // fed tensor changed under the caller (measured with onnxruntime-node 1.30: the running mean
    // of a sam_on CNN drifted by 0.1 in 3 steps). And the WebGPU EP has no training-mode kernel.
    const momentum = typeof node.attrs['momentum'] === 'number' ? node.attrs['momentum'] : 0.9;
    const axes = { type: 'ints', value: x.shape.map((_, i) => i).filter((i) => i !== 1) } as const;
    const keepdims = { type: 'int', value: 1 } as const;
    const perChannel = e.int64s(x.shape.map((_, i) => (i === 1 ? -1 : 1)));
    const t = (hint: string): string => e.temp(hint);
    const [mean, d, d2, variance, shifted, std, inv, normed, scale, scaled, bias] = ['mean', 'centered', 'squared', 'var', 'var_eps', 'std', 'inv', 'normed', 'scale', 'scaled', 'bias'].map(t) as [string, string, string, string, string, string, string, string, string, string, string];
    e.node('ReduceMean', [e.input(0)], [mean], { axes, keepdims });
    e.node('Sub', [e.input(0), mean], [d]);
    e.node('Mul', [d, d], [d2]);
    e.node('ReduceMean', [d2], [variance], { axes, keepdims });
    e.node('Add', [variance, e.scalar(epsilonOf(node.attrs), dtype)], [shifted]);
    e.node('Sqrt', [shifted], [std]);
    e.node('Reciprocal', [std], [inv]);
    e.node('Mul', [d, inv], [normed]);
    e.node('Reshape', [e.input(1), perChannel], [scale]);
    e.node('Mul', [normed, scale], [scaled]);
    e.node('Reshape', [e.input(2), perChannel], [bias]);
    e.node('Add', [scaled, bias], [e.output(0)]);
    // running = old·momentum + batch·(1 − momentum), with the batch statistics flattened to [C].
    const keep = e.scalar(momentum, dtype);
    const take = e.scalar(1 - momentum, dtype);
    ([[mean, 3, 1], [variance, 4, 2]] as const).forEach(([stat, old, out]) => {
      const [flat, a, b] = [t('batch'), t('old_part'), t('batch_part')];
      e.node('Reshape', [stat, e.int64s([-1])], [flat]);
      e.node('Mul', [e.input(old), keep], [a]);
      e.node('Mul', [flat, take], [b]);
      e.node('Add', [a, b], [e.output(out)]);
    });
  },
  evaluate: (ins, attrs) => evaluateBatchNorm(ins, attrs),
};

export function layerNorm(x: Value, scale: Value, bias?: Value, o: { axis?: number; epsilon?: number } = {}): Value {
  return first(x.graph.apply(LayerNormalization, bias ? [x, scale, bias] : [x, scale], { axis: o.axis ?? -1, epsilon: o.epsilon ?? 1e-5 }, 3));
}

export interface BatchNormResult {
  readonly y: Value;
  /** Updated running statistics (training mode only). */
  readonly runningMean?: Value;
  readonly runningVar?: Value;
}

export function batchNorm(x: Value, scale: Value, bias: Value, mean: Value, variance: Value, o: { training: boolean; epsilon?: number; momentum?: number }): BatchNormResult {
  const attrs = { epsilon: o.epsilon ?? 1e-5, momentum: o.momentum ?? 0.9, training_mode: o.training ? 1 : 0 };
  const [y, runningMean, runningVar] = x.graph.apply(BatchNormalization, [x, scale, bias, mean, variance], attrs, o.training ? 3 : 1);
  if (y === undefined) throw new Error('BatchNormalization: no output');
  return runningMean && runningVar ? { y, runningMean, runningVar } : { y };
}

/** dx for y = (x − mean)·rstd over `axes`, given dxhat = dL/d(normalized x); also returns xhat. */
function normalizeBackward(x: Value, dxhat: Value, axes: readonly number[], eps: number): { dx: Value; xhat: Value } {
  const xc = sub(x, reduceMean(x, axes, true));
  const rstd = reciprocal(sqrt(add(reduceMean(mul(xc, xc), axes, true), eps)));
  const xhat = mul(xc, rstd);
  const dx = mul(rstd, sub(sub(dxhat, reduceMean(dxhat, axes, true)), mul(xhat, reduceMean(mul(dxhat, xhat), axes, true))));
  return { dx, xhat };
}

function epsilonOf(attrs: Attrs): number {
  const e = attrs['epsilon'];
  return typeof e === 'number' ? e : 1e-5;
}

function inferLayerNorm([x, scale, bias]: readonly TypedShape[], attrs: Attrs): InferResult {
  if (x === undefined || scale === undefined) return shapeError('LayerNormalization', 'needs (X, Scale[, B])');
  const axis = normalizeAxis(intAttr(attrs, 'axis', -1), x.shape.length);
  if (axis === undefined) return shapeError('LayerNormalization', `axis out of range for ${showShape(x.shape)}`);
  const normalized = x.shape.slice(axis);
  const fits = (s: readonly Dim[]): boolean => s.length <= normalized.length && s.every((d, i) => d === 1 || d === normalized[normalized.length - s.length + i]);
  if (!fits(scale.shape) || (bias !== undefined && !fits(bias.shape))) {
    return shapeError('LayerNormalization', `Scale ${showShape(scale.shape)}${bias ? ` / B ${showShape(bias.shape)}` : ''} must broadcast to ${showShape(normalized)} of X ${showShape(x.shape)}`);
  }
  const stats = { shape: x.shape.map((d, i) => (i < axis ? d : 1)), dtype: x.dtype };
  return [{ shape: x.shape, dtype: x.dtype }, stats, stats];
}

function inferBatchNorm(ins: readonly TypedShape[], attrs: Attrs): InferResult {
  const [x, ...params] = ins;
  if (x === undefined || params.length !== 4) return shapeError('BatchNormalization', 'needs (X, scale, B, input_mean, input_var)');
  if (x.shape.length < 2) return shapeError('BatchNormalization', `X ${showShape(x.shape)} needs a channel axis`);
  const c = x.shape[1];
  const bad = params.find((p) => p.shape.length !== 1 || p.shape[0] !== c);
  if (bad !== undefined) return shapeError('BatchNormalization', `parameter ${showShape(bad.shape)} must be [${c}] for X ${showShape(x.shape)}`);
  const y = { shape: x.shape, dtype: x.dtype };
  const stat = { shape: [c ?? 0], dtype: x.dtype };
  return intAttr(attrs, 'training_mode', 0) ? [y, stat, stat] : [y];
}

function evaluateLayerNorm(x: Tensor, scale: Tensor, bias: Tensor | undefined, attrs: Attrs): Tensor[] {
  const axis = normalizeAxis(intAttr(attrs, 'axis', -1), x.shape.length) ?? x.shape.length - 1;
  const inner = sizeOf(x.shape.slice(axis));
  const outer = x.data.length / inner;
  const eps = epsilonOf(attrs);
  const y = new Float64Array(x.data.length);
  const means = new Float64Array(outer);
  const inv = new Float64Array(outer);
  // Scale and B broadcast against the normalized block, so index them by the block offset.
  const sAt = (j: number): number => at(scale.data, j % scale.data.length);
  const bAt = (j: number): number => (bias ? at(bias.data, j % bias.data.length) : 0);
  for (let o = 0; o < outer; o++) {
    let m = 0;
    for (let j = 0; j < inner; j++) m += at(x.data, o * inner + j);
    m /= inner;
    let v = 0;
    for (let j = 0; j < inner; j++) v += (at(x.data, o * inner + j) - m) ** 2;
    const r = 1 / Math.sqrt(v / inner + eps);
    means[o] = m;
    inv[o] = r;
    for (let j = 0; j < inner; j++) y[o * inner + j] = (at(x.data, o * inner + j) - m) * r * sAt(j) + bAt(j);
  }
  const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
  return [{ dtype: x.dtype, shape: [...x.shape], data: y }, { dtype: x.dtype, shape: statShape, data: means }, { dtype: x.dtype, shape: statShape, data: inv }];
}

function evaluateBatchNorm([x, scale, bias, mean, variance]: readonly (Tensor | undefined)[], attrs: Attrs): Tensor[] {
  const t = need(x);
  const c = at(t.shape, 1);
  const stride = at(stridesOf(t.shape), 1);
  const perChannel = t.data.length / c;
  const eps = epsilonOf(attrs);
  const momentum = typeof attrs['momentum'] === 'number' ? attrs['momentum'] : 0.9;
  const training = intAttr(attrs, 'training_mode', 0) !== 0;
  const ch = (i: number): number => Math.floor(i / stride) % c;
  const useMean = new Float64Array(c);
  const useVar = new Float64Array(c);
  for (let k = 0; k < c; k++) [useMean[k], useVar[k]] = [at(need(mean).data, k), at(need(variance).data, k)];
  if (training) {
    useMean.fill(0);
    useVar.fill(0);
    t.data.forEach((v, i) => (useMean[ch(i)] = at(useMean, ch(i)) + v / perChannel));
    t.data.forEach((v, i) => (useVar[ch(i)] = at(useVar, ch(i)) + (v - at(useMean, ch(i))) ** 2 / perChannel));
  }
  const y = t.data.map((v, i) => ((v - at(useMean, ch(i))) / Math.sqrt(at(useVar, ch(i)) + eps)) * at(need(scale).data, ch(i)) + at(need(bias).data, ch(i)));
  const out: Tensor = { dtype: t.dtype, shape: [...t.shape], data: y };
  if (!training) return [out];
  const run = (old: Tensor, batch: Float64Array): Tensor => ({ dtype: old.dtype, shape: [c], data: old.data.map((o, k) => o * momentum + at(batch, k) * (1 - momentum)) });
  return [out, run(need(mean), useMean), run(need(variance), useVar)];
}

function need(t: Tensor | undefined): Tensor {
  if (t === undefined) throw new Error('normalization: missing input');
  return t;
}

// How each supported ONNX operator (opset 13–17 forms) becomes IR ops when an imported model's
// forward pass is built. Where ONNX takes as inputs what the IR keeps as attributes (Reshape's
// shape, Slice's bounds, Squeeze's axes, Split's sizes…), the inputs must be known at import:
// constants, or values folded from shapes (import-fold.ts), where a Reshape target may hold the
// symbolic batch.

import type { Dim, Value } from '../ir';
import type { OnnxAttribute, OnnxNode } from '../onnx/decode';
import { add, div, mul, pow, sub } from '../ops/binary';
import { cast, clip, greater, max, where } from '../ops/compare';
import { conv } from '../ops/conv';
import { dropout } from '../ops/derived';
import { gemm, matmul } from '../ops/matmul';
import { batchNorm, layerNorm } from '../ops/norm';
import { averagePool, maxPool } from '../ops/pool';
import { reduceMax, reduceMean, reduceSum } from '../ops/reduce';
import { flatten, transpose } from '../ops/reshape';
import { TO_END, concat, pad, slice, split } from '../ops/slice';
import { logSoftmax, softmax } from '../ops/softmax';
import { abs, erf, exp, log, neg, reciprocal, relu, sigmoid, sqrt, tanh } from '../ops/unary';
import { normalizeAxis, showShape } from '../shape';
import { reshapeKeepingBatch as keepBatch, reshapeToKnown } from './import-reshape';

/** A node the importer cannot express (a form or attribute value the IR lacks); becomes ok:false. */
export class ImportProblem extends Error {}

export interface NodeContext {
  readonly node: OnnxNode;
  readonly mode: 'train' | 'eval';
  /** Input i as a graph value; undefined for a missing optional input. */
  input(i: number): Value | undefined;
  /** The values of input i when it is known at import (a constant, or folded); fails if they hold the batch size. */
  constant(i: number): Float64Array | undefined;
  /** Input i when known at import: its dims and values, where the symbolic batch may appear ('B', 'B*4'). */
  known(i: number): { readonly dims: readonly number[]; readonly values: readonly Dim[] } | undefined;
  /** BatchNormalization in train mode hands its updated running statistics here. */
  updateBuffers(mean: string, variance: string, newMean: Value, newVariance: Value): void;
  /** Dropout: the keep-mask of the next site in train mode (undefined in eval mode); records the site. */
  dropoutMask(shape: readonly number[], ratio: number): Value | undefined;
  /** A Constant node's output tensor as a graph value. */
  constantOutput(): Value;
}

/** Returns one value per ONNX output (undefined for one the IR does not produce). */
export type Converter = (c: NodeContext) => readonly (Value | undefined)[];

const unary = (f: (x: Value) => Value): Converter => (c) => [f(need(c, 0))];
const binary = (f: (a: Value, b: Value) => Value): Converter => (c) => [f(need(c, 0), need(c, 1))];

export const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  ['Add', binary(add)],
  ['Sub', binary(sub)],
  ['Mul', binary(mul)],
  ['Div', binary(div)],
  ['Pow', binary(pow)],
  ['Neg', unary(neg)],
  ['Abs', unary(abs)],
  ['Exp', unary(exp)],
  ['Log', unary(log)],
  ['Sqrt', unary(sqrt)],
  ['Reciprocal', unary(reciprocal)],
  ['Relu', unary(relu)],
  ['Tanh', unary(tanh)],
  ['Sigmoid', unary(sigmoid)],
  ['Erf', unary(erf)],
  ['LeakyRelu', (c) => {
    const x = need(c, 0);
    return [where(greater(x, 0), x, mul(x, float(c, 'alpha', 0.01)))];
  }],
  // The activations below are built from primitive ops; each keeps exp() on non-positive
  // arguments only, so that the branch a value does not take cannot overflow into a NaN gradient.
  ['PRelu', (c) => {
    const x = need(c, 0);
    return [where(greater(x, 0), x, mul(x, need(c, 1)))];
  }],
  ['Elu', (c) => [elu(need(c, 0), float(c, 'alpha', 1))]],
  ['Selu', (c) => [mul(elu(need(c, 0), float(c, 'alpha', 1.67326319217681884765625)), float(c, 'gamma', 1.05070102214813232421875))]],
  ['Softplus', (c) => {
    // log(1 + eˣ) = relu(x) + log(1 + e^−|x|).
    const x = need(c, 0);
    return [add(relu(x), log(add(exp(neg(abs(x))), 1)))];
  }],
  ['HardSigmoid', (c) => [hardSigmoid(need(c, 0), float(c, 'alpha', 0.2), float(c, 'beta', 0.5))]],
  ['HardSwish', (c) => {
    const x = need(c, 0);
    return [mul(x, hardSigmoid(x, 1 / 6, 0.5))];
  }],
  ['Max', (c) => [c.node.inputs.map((_, i) => need(c, i)).reduce((a, b) => max(a, b))]],
  // min(a, b) = −max(−a, −b); ties send the gradient to the first operand, as Max does.
  ['Min', (c) => [neg(c.node.inputs.map((_, i) => neg(need(c, i))).reduce((a, b) => max(a, b)))]],
  ['Identity', (c) => [need(c, 0)]],
  ['Cast', (c) => {
    // Only float-to-float casts: the imported graph computes in one float dtype throughout.
    const to = int(c, 'to', 1);
    if (to !== 1 && to !== 11) throw problem(c, `casts to element type ${to}; only float casts are supported`);
    return [need(c, 0)];
  }],
  ['Constant', (c) => [c.constantOutput()]],
  ['MatMul', binary(matmul)],
  ['Gemm', (c) => {
    const o = { alpha: float(c, 'alpha', 1), beta: float(c, 'beta', 1), transA: int(c, 'transA', 0) !== 0, transB: int(c, 'transB', 0) !== 0 };
    return [gemm(need(c, 0), need(c, 1), o, c.input(2))];
  }],
  ['Softmax', (c) => [softmax(need(c, 0), int(c, 'axis', -1))]],
  ['LogSoftmax', (c) => [logSoftmax(need(c, 0), int(c, 'axis', -1))]],
  ['Flatten', (c) => [flatten(need(c, 0), int(c, 'axis', 1))]],
  ['Transpose', (c) => {
    const perm = ints(c, 'perm');
    return [transpose(need(c, 0), perm)];
  }],
  ['Reshape', (c) => {
    if (int(c, 'allowzero', 0) !== 0) throw problem(c, 'uses allowzero = 1');
    const dims = c.known(1)?.values;
    if (dims === undefined) throw problem(c, 'takes its shape (input 1) from a computed value; Minima needs a constant there');
    return [reshapeToKnown(need(c, 0), dims, (why) => problem(c, why))];
  }],
  ['Squeeze', (c) => {
    const x = need(c, 0);
    const given = c.input(1) === undefined ? undefined : constInts(c, 1, 'axes').map((a) => axis(c, a, x.shape.length));
    const axes = given ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    return [reshapeKeepingBatch(c, x, x.shape.filter((_, i) => !axes.includes(i)))];
  }],
  ['Unsqueeze', (c) => {
    const x = need(c, 0);
    const rank = x.shape.length + constInts(c, 1, 'axes').length;
    const axes = constInts(c, 1, 'axes').map((a) => axis(c, a, rank));
    const dims = [...x.shape];
    const out = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : dims.shift() ?? 1));
    return [reshapeKeepingBatch(c, x, out)];
  }],
  ['Concat', (c) => [concat(c.node.inputs.map((_, i) => need(c, i)), int(c, 'axis', 0))]],
  ['Split', (c) => {
    const x = need(c, 0);
    const ax = axis(c, int(c, 'axis', 0), x.shape.length);
    const d = x.shape[ax];
    if (typeof d !== 'number') throw problem(c, `splits the batch axis of ${showShape(x.shape)}`);
    const given = c.input(1) === undefined ? ints(c, 'split') : constInts(c, 1, 'split');
    // Without sizes: equal parts, one per output (the last smaller, as opset 18 allows).
    const parts = c.node.outputs.length;
    const even = Math.ceil(d / parts);
    const sizes = given ?? Array.from({ length: parts }, (_, k) => Math.min(even, d - k * even));
    return split(x, sizes, ax);
  }],
  ['Gather', (c) => {
    // A tensor indexed by constant positions along one axis (x[:, 0], x[:, [2, 5]]).
    const x = need(c, 0);
    const ax = axis(c, int(c, 'axis', 0), x.shape.length);
    const d = x.shape[ax];
    if (typeof d !== 'number') throw problem(c, `indexes the batch axis of ${showShape(x.shape)}`);
    const indices = constInts(c, 1, 'indices').map((i) => (i < 0 ? i + d : i));
    if (indices.some((i) => !Number.isInteger(i) || i < 0 || i >= d)) throw problem(c, `has indices out of range for a dim of ${d}`);
    const picked = indices.map((i) => slice(x, [i], [i + 1], [ax]));
    const joined = picked.length === 1 ? (picked[0] as Value) : concat(picked, ax);
    const scalarIndex = c.known(1)?.dims.length === 0;
    return [scalarIndex ? reshapeKeepingBatch(c, joined, x.shape.filter((_, i) => i !== ax)) : joined];
  }],
  ['Slice', (c) => {
    const starts = constInts(c, 1, 'starts');
    const clampEnd = (v: number): number => Math.max(-TO_END, Math.min(TO_END, v));
    const ends = constInts(c, 2, 'ends').map(clampEnd);
    const axes = c.input(3) === undefined ? undefined : constInts(c, 3, 'axes');
    const steps = c.input(4) === undefined ? undefined : constInts(c, 4, 'steps');
    return [slice(need(c, 0), starts.map(clampEnd), ends, axes, steps)];
  }],
  ['Pad', (c) => {
    if (string(c, 'mode', 'constant') !== 'constant') throw problem(c, `uses mode ${string(c, 'mode', '')}; only constant padding is supported`);
    if (c.input(3) !== undefined) throw problem(c, 'pads only some axes (the axes input)');
    const value = c.input(2) === undefined ? 0 : (constFloats(c, 2, 'constant_value')[0] ?? 0);
    return [pad(need(c, 0), constInts(c, 1, 'pads'), value)];
  }],
  ['Clip', (c) => {
    const bound = (i: number, fallback: number): number => (c.input(i) === undefined ? fallback : (constFloats(c, i, i === 1 ? 'min' : 'max')[0] ?? fallback));
    return [clip(need(c, 0), bound(1, -Infinity), bound(2, Infinity))];
  }],
  ['ReduceMean', reduceWith(reduceMean, 'attribute')],
  ['ReduceMax', reduceWith(reduceMax, 'attribute')],
  ['ReduceSum', reduceWith(reduceSum, 'input')],
  ['GlobalAveragePool', (c) => {
    const x = need(c, 0);
    if (x.shape.length !== 4) throw problem(c, `pools a ${showShape(x.shape)} input; only 2-D (4-D input) pooling is supported`);
    return [reduceMean(x, [2, 3], true)];
  }],
  ['Conv', (c) => {
    const x = need(c, 0);
    if (x.shape.length !== 4) throw problem(c, `convolves a ${showShape(x.shape)} input; only 2-D (4-D input) convolution is supported`);
    const o = { strides: ints(c, 'strides') ?? [1, 1], pads: pads(c), dilations: ints(c, 'dilations') ?? [1, 1], group: int(c, 'group', 1) };
    return [conv(x, need(c, 1), o, c.input(2))];
  }],
  ['MaxPool', (c) => {
    poolChecks(c);
    if (int(c, 'storage_order', 0) !== 0) throw problem(c, 'uses storage_order = 1');
    if ((ints(c, 'dilations') ?? [1, 1]).some((d) => d !== 1)) throw problem(c, 'uses dilations other than 1');
    // The Indices output (which toOnnx writes for the backward rule) is not produced; a node that
    // reads it is reported when the forward pass is built.
    return [maxPool(need(c, 0), poolOptions(c))];
  }],
  ['AveragePool', (c) => {
    poolChecks(c);
    return [averagePool(need(c, 0), { ...poolOptions(c), countIncludePad: int(c, 'count_include_pad', 0) !== 0 })];
  }],
  ['BatchNormalization', (c) => {
    const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => need(c, i)) as [Value, Value, Value, Value, Value];
    const o = { epsilon: float(c, 'epsilon', 1e-5), momentum: float(c, 'momentum', 0.9) };
    if (c.mode === 'eval') return [batchNorm(x, scale, bias, mean, variance, { ...o, training: false }).y];
    const r = batchNorm(x, scale, bias, mean, variance, { ...o, training: true });
    if (r.runningMean && r.runningVar) c.updateBuffers(c.node.inputs[3] ?? '', c.node.inputs[4] ?? '', r.runningMean, r.runningVar);
    return [r.y];
  }],
  ['LayerNormalization', (c) => {
    if (c.node.outputs.slice(1).some((o) => o !== '')) throw problem(c, 'uses the Mean or InvStdDev output');
    return [layerNorm(need(c, 0), need(c, 1), c.input(2), { axis: int(c, 'axis', -1), epsilon: float(c, 'epsilon', 1e-5) })];
  }],
  ['Dropout', (c) => {
    // Inference form is the identity; in train mode each Dropout node is a site with a fed keep-mask.
    const x = need(c, 0);
    const ratio = c.input(1) === undefined ? 0.5 : (constFloats(c, 1, 'ratio')[0] ?? 0.5);
    const shape = x.shape.slice(1);
    if (!shape.every((d): d is number => typeof d === 'number')) throw problem(c, `drops out a value of shape ${showShape(x.shape)} with symbolic dims after the batch`);
    // The training_mode input (opset 12+) is ignored: the recipe trains, and evaluates without dropout.
    const mask = c.dropoutMask(shape, ratio);
    if (mask === undefined) return [x];
    // The train step feeds {0, 1} masks in the model's float type; tests may feed bool ones.
    return [mask.dtype === 'bool' ? dropout(x, mask, ratio) : mul(x, mul(mask.dtype === x.dtype ? mask : cast(mask, x.dtype), 1 / (1 - ratio)))];
  }],
]);

/** ELU: x for x > 0, α(eˣ − 1) otherwise, as relu(x) + α(e^min(x, 0) − 1). */
function elu(x: Value, alpha: number): Value {
  return add(relu(x), mul(sub(exp(neg(relu(neg(x)))), 1), alpha));
}

/** max(0, min(1, αx + β)). */
function hardSigmoid(x: Value, alpha: number, beta: number): Value {
  return clip(add(mul(x, alpha), beta), 0, 1);
}

function need(c: NodeContext, i: number): Value {
  const v = c.input(i);
  if (v === undefined) throw problem(c, `has no input ${i}`);
  return v;
}

function problem(c: NodeContext, why: string): ImportProblem {
  return new ImportProblem(`${c.node.opType} node ${c.node.name || '(unnamed)'} ${why}`);
}

function attr(c: NodeContext, name: string): OnnxAttribute | undefined {
  return c.node.attrs.get(name);
}

function int(c: NodeContext, name: string, fallback: number): number {
  const a = attr(c, name);
  if (a === undefined) return fallback;
  if (a.kind !== 'int') throw problem(c, `has attribute ${name} of kind ${a.kind}, expected an int`);
  return a.value;
}

function float(c: NodeContext, name: string, fallback: number): number {
  const a = attr(c, name);
  if (a === undefined) return fallback;
  if (a.kind !== 'float' && a.kind !== 'int') throw problem(c, `has attribute ${name} of kind ${a.kind}, expected a float`);
  return a.value;
}

function ints(c: NodeContext, name: string): readonly number[] | undefined {
  const a = attr(c, name);
  if (a === undefined) return undefined;
  if (a.kind !== 'ints') throw problem(c, `has attribute ${name} of kind ${a.kind}, expected ints`);
  return a.value;
}

function string(c: NodeContext, name: string, fallback: string): string {
  const a = attr(c, name);
  if (a === undefined) return fallback;
  if (a.kind !== 'string') throw problem(c, `has attribute ${name} of kind ${a.kind}, expected a string`);
  return a.value;
}

function constFloats(c: NodeContext, i: number, what: string): Float64Array {
  const data = c.constant(i);
  if (data === undefined) throw problem(c, `takes its ${what} (input ${i}) from a computed value; Minima needs a constant there`);
  return data;
}

function constInts(c: NodeContext, i: number, what: string): readonly number[] {
  return [...constFloats(c, i, what)];
}

function axis(c: NodeContext, a: number, rank: number): number {
  const n = normalizeAxis(a, rank);
  if (n === undefined) throw problem(c, `has axis ${a} out of range for rank ${rank}`);
  return n;
}

function reshapeKeepingBatch(c: NodeContext, x: Value, shape: readonly Dim[]): Value {
  return keepBatch(x, shape, (why) => problem(c, why));
}

function reduceWith(f: (x: Value, axes: readonly number[], keepdims: boolean) => Value, axesFrom: 'attribute' | 'input'): Converter {
  return (c) => {
    const x = need(c, 0);
    const given = axesFrom === 'input' ? (c.input(1) === undefined ? undefined : constInts(c, 1, 'axes')) : ints(c, 'axes');
    if ((given === undefined || given.length === 0) && int(c, 'noop_with_empty_axes', 0) !== 0) return [x];
    return [f(x, given ?? [], int(c, 'keepdims', 1) !== 0)];
  };
}

/** Conv pads from `pads` or `auto_pad` (VALID; SAME_* only where the split is static and known). */
function pads(c: NodeContext): readonly number[] {
  const auto = string(c, 'auto_pad', 'NOTSET');
  if (auto === 'NOTSET') return ints(c, 'pads') ?? [0, 0, 0, 0];
  if (auto === 'VALID') return [0, 0, 0, 0];
  throw problem(c, `uses auto_pad = ${auto}; export the model with explicit pads`);
}

function poolChecks(c: NodeContext): void {
  if (int(c, 'ceil_mode', 0) !== 0) throw problem(c, 'uses ceil_mode = 1');
  const x = need(c, 0);
  if (x.shape.length !== 4) throw problem(c, `pools a ${showShape(x.shape)} input; only 2-D (4-D input) pooling is supported`);
}

function poolOptions(c: NodeContext): { kernel: [number, number]; strides: [number, number]; pads: [number, number, number, number] } {
  const k = ints(c, 'kernel_shape');
  if (k === undefined || k.length !== 2) throw problem(c, 'needs a 2-D kernel_shape');
  const s = ints(c, 'strides') ?? [1, 1];
  const p = pads(c);
  return { kernel: [k[0] ?? 1, k[1] ?? 1], strides: [s[0] ?? 1, s[1] ?? 1], pads: [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0] };
}

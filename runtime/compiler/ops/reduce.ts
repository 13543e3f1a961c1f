// ReduceSum, ReduceMean, ReduceMax, ReduceSumSquare with ONNX `axes` (empty = all) and `keepdims`
// (default 1). ReduceSumSquare is one kernel where Mul + ReduceSum are two (gradient norms).
// NOTE: opset 17 takes ReduceSum's axes as an input and the others' as an attribute; the IR keeps
// both as attributes and emission will differ.

import { type Attrs, type InferResult, type OpDef, type Shape, type TypedShape, type Value, intAttr, intsAttr, shapeError } from '../ir';
import { normalizeAxis, reshapeTarget, showShape } from '../shape';
import { type Tensor, broadcastIndex, sizeOf } from '../tensor';
import { div, first, mul, present } from './binary';
import { cast, equal } from './compare';
import { expand } from './expand';
import { reshape } from './reshape';

export const ReduceSum = reduction('ReduceSum', 'sum');
export const ReduceMean = reduction('ReduceMean', 'mean');
export const ReduceMax = reduction('ReduceMax', 'max');
export const ReduceSumSquare = reduction('ReduceSumSquare', 'sumSquare');

export const reduceSum = (x: Value, axes: readonly number[] = [], keepdims = true): Value =>
  x.graph.apply1(ReduceSum, [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceMean = (x: Value, axes: readonly number[] = [], keepdims = true): Value =>
  x.graph.apply1(ReduceMean, [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceMax = (x: Value, axes: readonly number[] = [], keepdims = true): Value =>
  x.graph.apply1(ReduceMax, [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceSumSquare = (x: Value, axes: readonly number[] = [], keepdims = true): Value =>
  x.graph.apply1(ReduceSumSquare, [x], { axes, keepdims: keepdims ? 1 : 0 });

type Kind = 'sum' | 'mean' | 'max' | 'sumSquare';

function reduction(name: string, kind: Kind): OpDef {
  return {
    name,
    attrTypes: { axes: 'ints', keepdims: 'int' },
    inferShape: (ins, attrs) => inferReduce(name, ins, attrs),
    backward: ({ node, gradOutputs: [g], needs }) => {
      if (!needs[0] || g === undefined) return [undefined];
      const x = first(node.inputs);
      const axes = reducedAxes(x.shape.length, node.attrs) ?? [];
      const keep = keepShape(x.shape, axes);
      const gk = expand(intAttr(node.attrs, 'keepdims', 1) ? g : reshapeKeep(g, keep), x);
      if (kind === 'sum') return [gk];
      if (kind === 'mean') return [div(gk, count(x, axes))];
      if (kind === 'sumSquare') return [mul(gk, mul(x, 2))];
      // Max: the gradient goes to the arg-max elements, split evenly between ties.
      const y = first(node.outputs);
      const yk = expand(intAttr(node.attrs, 'keepdims', 1) ? y : reshapeKeep(y, keep), x);
      const mask = cast(equal(x, yk), x.dtype);
      return [mul(gk, div(mask, reduceSum(mask, axes, true)))];
    },
    // Opset 13 made ReduceSum's axes an input (the others follow at opset 18); no axes = all.
    emitOnnx: (e, node) => {
      const axes = intsAttr(node.attrs, 'axes', []);
      const keepdims = { type: 'int', value: intAttr(node.attrs, 'keepdims', 1) } as const;
      if (name !== 'ReduceSum') e.node(name, [e.input(0)], [e.output(0)], axes.length > 0 ? { axes: { type: 'ints', value: axes }, keepdims } : { keepdims });
      else e.node(name, axes.length > 0 ? [e.input(0), e.int64s(axes)] : [e.input(0)], [e.output(0)], { keepdims });
    },
    evaluate: ([x], attrs) => [evaluateReduce(kind, present(x), attrs)],
  };
}

function inferReduce(name: string, ins: readonly TypedShape[], attrs: Attrs): InferResult {
  const x = ins[0];
  if (x === undefined) return shapeError(name, 'needs one input');
  const axes = reducedAxes(x.shape.length, attrs);
  if (axes === undefined) return shapeError(name, `axes [${intsAttr(attrs, 'axes', []).join(',')}] out of range for ${showShape(x.shape)}`);
  const keepdims = intAttr(attrs, 'keepdims', 1) !== 0;
  const shape = keepdims ? keepShape(x.shape, axes) : x.shape.filter((_, i) => !axes.includes(i));
  return [{ shape, dtype: x.dtype }];
}

/** The reduced axes, normalized; all axes when `axes` is empty; undefined when one is out of range. */
function reducedAxes(rank: number, attrs: Attrs): number[] | undefined {
  const raw = intsAttr(attrs, 'axes', []);
  if (raw.length === 0) return Array.from({ length: rank }, (_, i) => i);
  const axes = raw.map((a) => normalizeAxis(a, rank));
  return axes.every((a): a is number => a !== undefined) ? axes : undefined;
}

function keepShape<T>(shape: readonly T[], axes: readonly number[]): (T | 1)[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reshapeKeep(g: Value, keep: Shape): Value {
  const target = reshapeTarget(keep);
  if (target === undefined) throw new Error(`reduce backward: cannot reshape to ${showShape(keep)}`);
  return reshape(g, target);
}

/** The number of reduced elements: a constant when static, else counted at run time. */
function count(x: Value, axes: readonly number[]): Value | number {
  const dims = axes.map((a) => x.shape[a]);
  if (dims.every((d): d is number => typeof d === 'number')) return dims.reduce((p, d) => p * d, 1);
  return reduceSum(expand(x.graph.scalar(1, x.dtype), x), [...axes], true);
}

function evaluateReduce(kind: Kind, x: Tensor, attrs: Attrs): Tensor {
  const axes = reducedAxes(x.shape.length, attrs);
  if (axes === undefined) throw new Error('reduce: bad axes');
  const keep = keepShape(x.shape, axes);
  const map = broadcastIndex(x.shape, keep);
  const out = new Float64Array(sizeOf(keep)).fill(kind === 'max' ? -Infinity : 0);
  for (let i = 0; i < x.data.length; i++) {
    const o = map[i] ?? 0;
    const v = x.data[i] ?? NaN;
    out[o] = kind === 'max' ? Math.max(out[o] ?? -Infinity, v) : (out[o] ?? 0) + (kind === 'sumSquare' ? v * v : v);
  }
  if (kind === 'mean') {
    const n = x.data.length / Math.max(1, out.length);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / n;
  }
  const keepdims = intAttr(attrs, 'keepdims', 1) !== 0;
  const shape = keepdims ? keep : x.shape.filter((_, i) => !axes.includes(i));
  return { dtype: x.dtype, shape, data: out };
}

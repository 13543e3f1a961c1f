// Elementwise unary ops (ONNX names). Each rule reuses the output y where that is cheaper.

import { type DType, type InferResult, type Node, type OnnxEmitter, type OpDef, type TypedShape, type Value, shapeError } from '../ir';
import { type Tensor, mapUnary } from '../tensor';
import { div, first, mul, sub } from './binary';
import { cast, greater } from './compare';
import { erf as erfScalar } from './erf-math';

export const Neg = unary('Neg', (x) => -x, ({ g }) => neg(g));
// Relu's gradient is g · (x > 0) as a float mask: on onnxruntime 1.30, Greater + Cast + Mul ran
// about 3× faster than Greater + Where with a scalar branch (Where has no fast path for it).
export const Relu = unary('Relu', (x) => (x > 0 ? x : 0), ({ g, x }) => mul(g, cast(greater(x, 0), x.dtype)));
export const Tanh = unary('Tanh', Math.tanh, ({ g, y }) => mul(g, sub(1, mul(y, y))));
export const Sigmoid = unary('Sigmoid', (x) => 1 / (1 + Math.exp(-x)), ({ g, y }) => mul(g, mul(y, sub(1, y))));
export const Erf = unary('Erf', erfScalar, ({ g, x }) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))));
export const Exp = unary('Exp', Math.exp, ({ g, y }) => mul(g, y));
export const Log = unary('Log', Math.log, ({ g, x }) => div(g, x));
export const Sqrt = unary('Sqrt', Math.sqrt, ({ g, y }) => div(mul(g, 0.5), y));
export const Reciprocal = unary('Reciprocal', (x) => 1 / x, ({ g, y }) => neg(mul(g, mul(y, y))));
export const Abs = unary('Abs', Math.abs, ({ g, x }) => mul(g, sign(x)));
/** The derivative of Sign is zero almost everywhere: an explicit rule that sends nothing back. */
export const Sign = unary('Sign', Math.sign, () => undefined);
/**
 * Round has no rule on purpose: quantization-aware training must choose its estimator (e.g.
 * straight-through, x + stopGradient(round(x) - x)) by building it from other ops.
 * ONNX Round rounds half to even.
 */
export const Round = unary('Round', roundHalfEven, undefined);

export const neg = (x: Value): Value => x.graph.apply1(Neg, [x]);
export const relu = (x: Value): Value => x.graph.apply1(Relu, [x]);
export const tanh = (x: Value): Value => x.graph.apply1(Tanh, [x]);
export const sigmoid = (x: Value): Value => x.graph.apply1(Sigmoid, [x]);
export const erf = (x: Value): Value => x.graph.apply1(Erf, [x]);
export const exp = (x: Value): Value => x.graph.apply1(Exp, [x]);
export const log = (x: Value): Value => x.graph.apply1(Log, [x]);
export const sqrt = (x: Value): Value => x.graph.apply1(Sqrt, [x]);
export const reciprocal = (x: Value): Value => x.graph.apply1(Reciprocal, [x]);
export const abs = (x: Value): Value => x.graph.apply1(Abs, [x]);
export const sign = (x: Value): Value => x.graph.apply1(Sign, [x]);
export const round = (x: Value): Value => x.graph.apply1(Round, [x]);

/** x, y (the output) and g (the output's gradient) for a unary rule. */
interface UnaryGrad {
  readonly x: Value;
  readonly y: Value;
  readonly g: Value;
}

export function inferSame(op: string, ins: readonly TypedShape[], allowed: (d: DType) => boolean): InferResult {
  const x = ins[0];
  if (x === undefined) return shapeError(op, 'needs one input');
  if (!allowed(x.dtype)) return shapeError(op, `does not accept ${x.dtype}`);
  return [{ shape: x.shape, dtype: x.dtype }];
}

function unary(name: string, f: (x: number) => number, rule: ((a: UnaryGrad) => Value | undefined) | undefined): OpDef {
  const isNumeric = (d: DType): boolean => d !== 'bool';
  const base = {
    name,
    attrTypes: {},
    inferShape: (ins: readonly TypedShape[]) => inferSame(name, ins, isNumeric),
    evaluate: (ins: readonly Tensor[]) => [mapUnary(first(ins), f)],
    emitOnnx: (e: OnnxEmitter, node: Node) => e.asIs(node),
  };
  if (rule === undefined) return base;
  return {
    ...base,
    backward: ({ node, gradOutputs: [g], needs }) => {
      if (!needs[0] || g === undefined) return [undefined];
      return [rule({ x: first(node.inputs), y: first(node.outputs), g })];
    },
  };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Broadcasting arithmetic: Add, Sub, Mul, Div, Pow (ONNX semantics, numpy broadcasting).
// Each gradient is summed back to its input's shape with sumToShape (ReduceSum + Reshape).

import { type Operand, graphOf, lift } from '../builder';
import { type InferResult, type OpDef, type TypedShape, type Value, shapeError } from '../ir';
import { broadcastShapes, showShape } from '../shape';
import { mapBroadcast } from '../tensor';
import { sumToShape } from './expand';
import { log, neg } from './unary';

export const Add: OpDef = {
  name: 'Add',
  attrTypes: {},
  inferShape: (ins) => inferBroadcast('Add', ins),
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = pair(node.inputs);
    return [needs[0] && g ? sumToShape(g, a.shape) : undefined, needs[1] && g ? sumToShape(g, b.shape) : undefined];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: elementwise((x, y) => x + y),
};

export const Sub: OpDef = {
  name: 'Sub',
  attrTypes: {},
  inferShape: (ins) => inferBroadcast('Sub', ins),
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = pair(node.inputs);
    return [needs[0] && g ? sumToShape(g, a.shape) : undefined, needs[1] && g ? sumToShape(neg(g), b.shape) : undefined];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: elementwise((x, y) => x - y),
};

export const Mul: OpDef = {
  name: 'Mul',
  attrTypes: {},
  inferShape: (ins) => inferBroadcast('Mul', ins),
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = pair(node.inputs);
    return [needs[0] && g ? sumToShape(mul(g, b), a.shape) : undefined, needs[1] && g ? sumToShape(mul(g, a), b.shape) : undefined];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: elementwise((x, y) => x * y),
};

export const Div: OpDef = {
  name: 'Div',
  attrTypes: {},
  inferShape: (ins) => inferBroadcast('Div', ins),
  // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b, reusing the output.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = pair(node.inputs);
    const y = first(node.outputs);
    return [
      needs[0] && g ? sumToShape(div(g, b), a.shape) : undefined,
      needs[1] && g ? sumToShape(neg(div(mul(g, y), b)), b.shape) : undefined,
    ];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: elementwise((x, y) => x / y),
};

export const Pow: OpDef = {
  name: 'Pow',
  attrTypes: {},
  inferShape: (ins) => inferBroadcast('Pow', ins),
  // d(a^b)/da = b·a^(b-1); d(a^b)/db = a^b·ln a (only built when needed: ln is NaN for a < 0).
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = pair(node.inputs);
    const y = first(node.outputs);
    return [
      needs[0] && g ? sumToShape(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : undefined,
      needs[1] && g ? sumToShape(mul(g, mul(y, log(a))), b.shape) : undefined,
    ];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: elementwise((x, y) => Math.pow(x, y)),
};

export const add = (a: Operand, b: Operand): Value => binary(Add, a, b);
export const sub = (a: Operand, b: Operand): Value => binary(Sub, a, b);
export const mul = (a: Operand, b: Operand): Value => binary(Mul, a, b);
export const div = (a: Operand, b: Operand): Value => binary(Div, a, b);
export const pow = (a: Operand, b: Operand): Value => binary(Pow, a, b);

export function square(x: Value): Value {
  return mul(x, x);
}

export function inferBroadcast(op: string, ins: readonly TypedShape[]): InferResult {
  const [a, b] = ins;
  if (a === undefined || b === undefined) return shapeError(op, 'needs two inputs');
  if (a.dtype !== b.dtype) return shapeError(op, `dtypes differ: ${a.dtype} ${showShape(a.shape)} and ${b.dtype} ${showShape(b.shape)}`);
  if (a.dtype === 'bool') return shapeError(op, 'bool operands are not supported');
  const shape = broadcastShapes(a.shape, b.shape);
  return typeof shape === 'string' ? shapeError(op, shape) : [{ shape, dtype: a.dtype }];
}

function binary(op: OpDef, a: Operand, b: Operand): Value {
  const like = graphOf(a, b);
  return like.graph.apply1(op, [lift(a, like), lift(b, like)]);
}

function pair<T>(xs: readonly T[]): [T, T] {
  const [a, b] = xs;
  if (a === undefined || b === undefined) throw new Error('expected two inputs');
  return [a, b];
}

export function first<T>(xs: readonly T[]): T {
  const x = xs[0];
  if (x === undefined) throw new Error('expected at least one element');
  return x;
}

/** An input that must be there (a missing one is an internal error: shapes were checked). */
export function present<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('missing input');
  return x;
}

/** Reference evaluation of a broadcasting binary op; the output takes the operands' dtype. */
function elementwise(f: (x: number, y: number) => number): OpDef['evaluate'] {
  return (ins) => [mapBroadcast(ins, first(ins).dtype, ([x, y]) => f(x ?? NaN, y ?? NaN))];
}

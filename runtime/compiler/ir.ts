// The graph IR: values with static shapes, nodes that apply an OpDef, and the OpDef contract that
// every op file implements. Attributes use ONNX (opset 17) names and meanings so that each op can
// later own its ONNX emission too.

import type { GraphBuilder } from './builder';
import type { Tensor } from './tensor';

export type DType = 'float32' | 'float64' | 'int64' | 'bool';

/** A dimension is a known size or a symbol (the batch dimension, e.g. 'B') bound at run time. */
export type Dim = number | string;
export type Shape = readonly Dim[];

export type AttrValue = number | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/** ONNX attribute types; ONNX rejects an attribute whose type differs from the op schema. */
export type AttrType = 'int' | 'float' | 'ints' | 'string' | 'dtype';

export type ValueSource =
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'constant'; readonly tensor: Tensor }
  | { readonly kind: 'node'; readonly node: Node; readonly index: number };

export interface Value {
  readonly id: number;
  /** NOTE: values point back to their builder so that the functional API (`relu(matmul(x, w))`) needs no global. */
  readonly graph: GraphBuilder;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly source: ValueSource;
  /** False when shape inference failed here or upstream; the error is in `graph.errors` once. */
  readonly valid: boolean;
}

export interface Node {
  readonly id: number;
  readonly op: OpDef;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
}

export interface TypedShape {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A user-caused shape or type mismatch, reported as a value (never thrown). */
export interface ShapeError {
  readonly op: string;
  readonly message: string;
}

export type InferResult = readonly TypedShape[] | ShapeError;

export interface BackwardContext {
  readonly g: GraphBuilder;
  readonly node: Node;
  /** One entry per output; undefined where no gradient reached that output. */
  readonly gradOutputs: readonly (Value | undefined)[];
  /** One entry per input: whether the caller needs a gradient for it (lets rules skip work, as in tinygrad). */
  readonly needs: readonly boolean[];
}

/** Returns one gradient per input, undefined where none flows. Built only from other ops. */
export type BackwardRule = (ctx: BackwardContext) => readonly (Value | undefined)[];

export interface OpDef {
  /** The ONNX op_type (or the name of our own op where noted in its file). */
  readonly name: string;
  readonly attrTypes: Readonly<Record<string, AttrType>>;
  readonly inferShape: (inputs: readonly TypedShape[], attrs: Attrs) => InferResult;
  /**
   * 'non-differentiable': no gradient flows through this op (comparisons); absent: the op has no
   * rule and `grad` fails with its name if a gradient must pass through it.
   */
  readonly backward?: BackwardRule | 'non-differentiable';
  /** Reference semantics in float64 over runtime shapes (symbols already bound). */
  readonly evaluate: (inputs: readonly Tensor[], attrs: Attrs) => readonly Tensor[];
}

export function isShapeError(r: InferResult): r is ShapeError {
  return !Array.isArray(r);
}

export function shapeError(op: string, message: string): ShapeError {
  return { op, message: `${op}: ${message}` };
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function intAttr(attrs: Attrs, name: string, fallback: number): number {
  const v = attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new Error(`attribute ${name} must be a number`);
  return v;
}

export function intsAttr(attrs: Attrs, name: string, fallback: readonly number[]): readonly number[] {
  const v = attrs[name];
  if (v === undefined) return fallback;
  if (typeof v === 'number' || typeof v === 'string') throw new Error(`attribute ${name} must be a list`);
  return v;
}

export function stringAttr(attrs: Attrs, name: string, fallback: string): string {
  const v = attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new Error(`attribute ${name} must be a string`);
  return v;
}

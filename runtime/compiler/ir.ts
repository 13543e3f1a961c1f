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
  /** `name`: what the tensor is called where it is stored (a parameter's name in an export). */
  | { readonly kind: 'constant'; readonly tensor: Tensor; readonly name?: string }
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
  /**
   * Writes this node as standard ONNX (opset 17), possibly as several ONNX nodes: where opset 17
   * takes as inputs what the IR keeps as attributes (Reshape's shape, Slice's starts…), the op
   * emits int64 initializers. Absent: the op cannot be serialized and `toOnnx` says so.
   */
  readonly emitOnnx?: (e: OnnxEmitter, node: Node) => void;
}

/** An ONNX attribute with its schema type (ONNX rejects an INT where the schema wants FLOAT). */
export type OnnxAttr =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string };

/** What an op's `emitOnnx` writes with; names are ONNX value names. Implemented in compiler/onnx. */
export interface OnnxEmitter {
  /** The ONNX name of the node's input i ('' for a missing optional input). */
  input(i: number): string;
  /** The ONNX name of the node's output i. */
  output(i: number): string;
  /** The dtype a value is emitted as (the serializer may map float64 to float32). */
  dtypeOf(v: Value): DType;
  /** Whether the caller asked to avoid ONNX op `op` (OnnxOptions.avoid): write it in other ops. */
  avoids(op: string): boolean;
  /** Appends one ONNX node. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>): void;
  /** A fresh value name for an intermediate result. */
  temp(hint: string): string;
  /** A 1-D int64 initializer (shapes, axes, pads, slice bounds); returns its name. */
  int64s(values: readonly number[]): string;
  /** A scalar initializer of `dtype`; returns its name. */
  scalar(value: number, dtype: DType): string;
  /**
   * Input i, which must be a constant holding integers, as an int8 or uint8 initializer (quantized
   * weights and zero points, which the IR holds as integer-valued floats); returns its name.
   */
  packed(i: number, dtype: 'int8' | 'uint8'): string;
  /** The node as is: op_type = op.name, same inputs and outputs, attributes typed by `op.attrTypes`. */
  asIs(node: Node): void;
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

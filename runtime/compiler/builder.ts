// GraphBuilder: creates inputs, constants and nodes, running each op's shape inference as the node
// is added. A user-caused mismatch is recorded once in `errors` and yields an invalid value; ops
// on invalid values stay invalid silently, like an error-tolerant parser.

import { type Attrs, type DType, type Node, type OpDef, type Shape, type ShapeError, type Value, type ValueSource, isShapeError } from './ir';
import { type Tensor, tensor } from './tensor';

export class GraphBuilder {
  private readonly nodeList: Node[] = [];
  private readonly inputList: Value[] = [];
  private readonly errorList: ShapeError[] = [];
  private nextId = 0;

  get nodes(): readonly Node[] {
    return this.nodeList;
  }
  get inputs(): readonly Value[] {
    return this.inputList;
  }
  get errors(): readonly ShapeError[] {
    return this.errorList;
  }

  input(name: string, shape: Shape, dtype: DType = 'float64'): Value {
    if (this.inputList.some((v) => v.source.kind === 'input' && v.source.name === name)) {
      throw new Error(`GraphBuilder.input: duplicate input name ${name}`);
    }
    const v = this.value(shape, dtype, { kind: 'input', name }, true);
    this.inputList.push(v);
    return v;
  }

  /** A constant; `name` names its initializer when the graph is written as ONNX (made unique there). */
  constant(t: Tensor, name?: string): Value {
    return this.value(t.shape, t.dtype, { kind: 'constant', tensor: t, ...(name !== undefined && name !== '' ? { name } : {}) }, true);
  }

  scalar(x: number, dtype: DType = 'float64'): Value {
    return this.constant(tensor([], [x], dtype));
  }

  /** Adds a node; returns its outputs (invalid ones, with the error recorded, on a mismatch). */
  apply(op: OpDef, inputs: readonly Value[], attrs: Attrs = {}, outputCount = 1): readonly Value[] {
    for (const v of inputs) {
      if (v.graph !== this) throw new Error(`${op.name}: input value belongs to another graph`);
    }
    const id = this.nextId++;
    const outputs: Value[] = [];
    const node: Node = { id, op, inputs, outputs, attrs };
    const invalid = (dtype: DType): void => {
      for (let i = 0; i < outputCount; i++) outputs.push(this.value([], dtype, { kind: 'node', node, index: i }, false));
    };
    const fallback = inputs[0]?.dtype ?? 'float64';
    if (inputs.some((v) => !v.valid)) {
      invalid(fallback);
      return outputs;
    }
    const inferred = op.inferShape(inputs, attrs);
    if (isShapeError(inferred)) {
      this.errorList.push(inferred);
      invalid(fallback);
      return outputs;
    }
    if (inferred.length < outputCount) throw new Error(`${op.name}: asked for ${outputCount} outputs, op has ${inferred.length}`);
    inferred.forEach((t, i) => outputs.push(this.value(t.shape, t.dtype, { kind: 'node', node, index: i }, true)));
    this.nodeList.push(node);
    return outputs;
  }

  apply1(op: OpDef, inputs: readonly Value[], attrs: Attrs = {}): Value {
    const out = this.apply(op, inputs, attrs)[0];
    if (out === undefined) throw new Error(`${op.name}: no output`);
    return out;
  }

  private value(shape: Shape, dtype: DType, source: ValueSource, valid: boolean): Value {
    return { id: this.nextId++, graph: this, shape: [...shape], dtype, source, valid };
  }
}

/** A number operand becomes a scalar constant of the other operand's dtype. */
export type Operand = Value | number;

export function lift(x: Operand, like: Value): Value {
  return typeof x === 'number' ? like.graph.scalar(x, like.dtype) : x;
}

export function graphOf(...xs: readonly Operand[]): Value {
  const v = xs.find((x): x is Value => typeof x !== 'number');
  if (v === undefined) throw new Error('an op needs at least one Value operand');
  return v;
}

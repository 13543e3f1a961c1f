// Layout ops: Reshape (ONNX target semantics: 0 copies a dim, -1 is inferred), Flatten, Transpose.
// NOTE: ONNX Reshape takes the target as an int64 input; the IR keeps it as the `shape` attribute.

import { type Attrs, type Dim, type InferResult, type OpDef, type Shape, type TypedShape, type Value, intAttr, intsAttr, shapeError } from '../ir';
import { dimAt, normalizeAxis, numericProduct, reshapeTarget, scaledSymbol, showShape, symbolParts } from '../shape';
import { type Tensor, at, sizeOf, stridesOf } from '../tensor';
import { first, present } from './binary';

export const Reshape: OpDef = {
  name: 'Reshape',
  attrTypes: { shape: 'ints' },
  inferShape: ([x], attrs) => {
    if (x === undefined) return shapeError('Reshape', 'needs one input');
    const shape = reshapeShape(x.shape, intsAttr(attrs, 'shape', []));
    return typeof shape === 'string' ? shapeError('Reshape', shape) : [{ shape, dtype: x.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => [needs[0] && g ? reshapeBack(g, first(node.inputs)) : undefined],
  emitOnnx: (e, node) => e.node('Reshape', [e.input(0), e.int64s(intsAttr(node.attrs, 'shape', []))], [e.output(0)]),
  evaluate: ([x], attrs) => {
    const t = present(x);
    const shape = reshapeShape(t.shape, intsAttr(attrs, 'shape', []));
    if (typeof shape === 'string' || !shape.every((d): d is number => typeof d === 'number')) throw new Error(`Reshape: ${String(shape)}`);
    return [{ dtype: t.dtype, shape, data: t.data }];
  },
};

export const Flatten: OpDef = {
  name: 'Flatten',
  attrTypes: { axis: 'int' },
  inferShape: ([x], attrs) => inferFlatten(x, intAttr(attrs, 'axis', 1)),
  backward: ({ node, gradOutputs: [g], needs }) => [needs[0] && g ? reshapeBack(g, first(node.inputs)) : undefined],
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x], attrs) => {
    const t = present(x);
    const axis = normalizeAxis(intAttr(attrs, 'axis', 1), t.shape.length + 1) ?? 1;
    return [{ dtype: t.dtype, shape: [sizeOf(t.shape.slice(0, axis)), sizeOf(t.shape.slice(axis))], data: t.data }];
  },
};

export const Transpose: OpDef = {
  name: 'Transpose',
  attrTypes: { perm: 'ints' },
  inferShape: ([x], attrs) => {
    if (x === undefined) return shapeError('Transpose', 'needs one input');
    const perm = permOf(x.shape.length, attrs);
    const valid = perm.length === x.shape.length && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
    if (!valid) return shapeError('Transpose', `perm [${perm.join(',')}] does not fit ${showShape(x.shape)}`);
    return [{ shape: perm.map((p) => dimAt(x.shape, p)), dtype: x.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    if (!needs[0] || g === undefined) return [undefined];
    const perm = permOf(first(node.inputs).shape.length, node.attrs);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(g, inverse)];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x], attrs) => [evaluateTranspose(present(x), permOf(x?.shape.length ?? 0, attrs))],
};

export function reshape(x: Value, shape: readonly number[]): Value {
  return x.graph.apply1(Reshape, [x], { shape });
}

export function flatten(x: Value, axis = 1): Value {
  return x.graph.apply1(Flatten, [x], { axis });
}

export function transpose(x: Value, perm?: readonly number[]): Value {
  return x.graph.apply1(Transpose, [x], perm === undefined ? {} : { perm });
}

/** Reshapes a gradient back to the static shape of `x` (its symbolic dim becomes -1). */
export function reshapeBack(g: Value, x: Value): Value {
  const target = reshapeTarget(x.shape);
  if (target === undefined) throw new Error(`reshape backward: ${showShape(x.shape)} has several symbolic dims`);
  return reshape(g, target);
}

function permOf(rank: number, attrs: Attrs): readonly number[] {
  return intsAttr(attrs, 'perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
}

/** The output shape of Reshape, or a reason. Symbols not copied by 0 must be absorbed by -1 alone. */
export function reshapeShape(input: Shape, target: readonly number[]): Dim[] | string {
  const why = `cannot reshape ${showShape(input)} to [${target.join(',')}]`;
  if (target.filter((t) => t === -1).length > 1 || target.some((t) => t < -1 || !Number.isInteger(t))) return why;
  const out: Dim[] = [];
  for (let i = 0; i < target.length; i++) {
    const t = at(target, i);
    if (t === 0) {
      const d = input[i];
      if (d === undefined) return why;
      out.push(d);
    } else out.push(t);
  }
  const symbolsIn = input.filter((d): d is string => typeof d === 'string');
  const symbolsOut = out.filter((d): d is string => typeof d === 'string');
  const left = [...symbolsIn];
  for (const s of symbolsOut) left.splice(left.indexOf(s), 1);
  const nIn = numericProduct(input);
  const nOut = numericProduct(out.filter((d) => d !== -1));
  const hole = out.indexOf(-1);
  if (hole < 0) return left.length === 0 && nIn === nOut ? out : why;
  if (left.length === 0 && nOut > 0 && nIn % nOut === 0) out[hole] = nIn / nOut;
  else if (left.length === 1 && nOut > 0) {
    // The hole takes the symbol, times whatever static factor is left: [B, 4, 16] → [-1, 16]
    // gives ['B*4', 16], and ['B*4', 16] → [-1, 4, 16] gives B back.
    const { base, factor } = symbolParts(left[0] as string);
    if ((factor * nIn) % nOut !== 0) return why;
    out[hole] = scaledSymbol(base, (factor * nIn) / nOut);
  } else return why;
  return out;
}

function inferFlatten(x: TypedShape | undefined, axisAttr: number): InferResult {
  if (x === undefined) return shapeError('Flatten', 'needs one input');
  const axis = normalizeAxis(axisAttr, x.shape.length + 1);
  if (axis === undefined) return shapeError('Flatten', `axis ${axisAttr} out of range for ${showShape(x.shape)}`);
  const part = (dims: Shape): Dim | undefined => {
    const symbols = dims.filter((d) => typeof d === 'string');
    if (symbols.length === 0) return numericProduct(dims);
    if (symbols.length !== 1) return undefined;
    const { base, factor } = symbolParts(symbols[0] as string);
    return scaledSymbol(base, factor * numericProduct(dims));
  };
  const a = part(x.shape.slice(0, axis));
  const b = part(x.shape.slice(axis));
  if (a === undefined || b === undefined) return shapeError('Flatten', `cannot flatten ${showShape(x.shape)} at axis ${axis}: several symbolic dims would be multiplied`);
  return [{ shape: [a, b], dtype: x.dtype }];
}

function evaluateTranspose(x: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((p) => at(x.shape, p));
  const inStrides = stridesOf(x.shape);
  const strides = perm.map((p) => at(inStrides, p));
  const data = new Float64Array(x.data.length);
  const counter = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let i = 0; i < data.length; i++) {
    data[i] = at(x.data, src);
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      counter[ax] = at(counter, ax) + 1;
      src += at(strides, ax);
      if (at(counter, ax) < at(shape, ax)) break;
      src -= at(strides, ax) * at(shape, ax);
      counter[ax] = 0;
    }
  }
  return { dtype: x.dtype, shape, data };
}

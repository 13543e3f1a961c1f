// Expand and its adjoint sumToShape: the two halves of broadcasting.
// NOTE: our Expand takes a second input `like` whose *shape* is the target, instead of ONNX's
// int64 shape tensor, so that a symbolic batch dim needs no value at build time. It emits as
// Shape(like) → Expand(x, ·); `like` gets no gradient (only its shape is read).

import { type OpDef, type Shape, type Value, shapeError } from '../ir';
import { broadcastAxes, broadcastShapes, isNumericShape, reshapeTarget, sameShape, showShape } from '../shape';
import { broadcastIndex, sizeOf } from '../tensor';
import { present } from './binary';
import { reduceSum } from './reduce';
import { reshape } from './reshape';

export const Expand: OpDef = {
  name: 'Expand',
  attrTypes: {},
  inferShape: ([x, like]) => {
    if (x === undefined || like === undefined) return shapeError('Expand', 'needs (x, like)');
    const shape = broadcastShapes(x.shape, like.shape);
    if (typeof shape === 'string') return shapeError('Expand', shape);
    if (!sameShape(shape, like.shape)) return shapeError('Expand', `${showShape(x.shape)} does not expand to ${showShape(like.shape)}`);
    return [{ shape, dtype: x.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [x] = node.inputs;
    return [needs[0] && g && x ? sumToShape(g, x.shape) : undefined, undefined];
  },
  emitOnnx: (e, node) => {
    const like = present(node.inputs[1]);
    const target = isNumericShape(like.shape) ? e.int64s(like.shape) : e.temp('shape');
    if (!isNumericShape(like.shape)) e.node('Shape', [e.input(1)], [target]);
    e.node('Expand', [e.input(0), target], [e.output(0)]);
  },
  evaluate: ([x, like]) => {
    if (x === undefined || like === undefined) throw new Error('Expand: needs two inputs');
    const map = broadcastIndex(like.shape, x.shape);
    const data = new Float64Array(sizeOf(like.shape));
    for (let i = 0; i < data.length; i++) data[i] = x.data[map[i] ?? 0] ?? NaN;
    return [{ dtype: x.dtype, shape: [...like.shape], data }];
  },
};

/** Broadcasts x to the shape of `like`. */
export function expand(x: Value, like: Value): Value {
  return x.graph.apply1(Expand, [x, like]);
}

/** A zero tensor shaped like `like` (Expand of a scalar 0). */
export function zerosLike(like: Value): Value {
  return expand(like.graph.scalar(0, like.dtype), like);
}

/**
 * Sums a broadcast gradient back to `shape`: ReduceSum over the broadcast axes, then Reshape. When
 * only leading axes were added (a bias [N] broadcast over [B, N]), ReduceSum without keepdims
 * gives `shape` itself, with no Reshape node.
 */
export function sumToShape(g: Value, shape: Shape): Value {
  if (sameShape(g.shape, shape)) return g;
  const axes = broadcastAxes(shape, g.shape);
  const added = g.shape.length - shape.length;
  if (axes.length > 0 && axes.every((a) => a < added)) {
    const dropped = reduceSum(g, axes, false);
    if (sameShape(dropped.shape, shape)) return dropped;
  }
  const summed = axes.length > 0 ? reduceSum(g, axes, true) : g;
  if (sameShape(summed.shape, shape)) return summed;
  const target = reshapeTarget(shape);
  if (target === undefined) throw new Error(`sumToShape: cannot reshape to ${showShape(shape)}`);
  return reshape(summed, target);
}

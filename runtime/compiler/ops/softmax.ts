// Softmax and LogSoftmax along one axis (opset 13+ semantics), computed stably by subtracting the max.

import { type OpDef, type Value, intAttr, shapeError } from '../ir';
import { normalizeAxis, showShape } from '../shape';
import { type Tensor, at, stridesOf } from '../tensor';
import { first, mul, present, sub } from './binary';
import { reduceSum } from './reduce';
import { exp } from './unary';

export const Softmax = softmaxOp('Softmax', false);
export const LogSoftmax = softmaxOp('LogSoftmax', true);

export const softmax = (x: Value, axis = -1): Value => x.graph.apply1(Softmax, [x], { axis });
export const logSoftmax = (x: Value, axis = -1): Value => x.graph.apply1(LogSoftmax, [x], { axis });

function softmaxOp(name: string, isLog: boolean): OpDef {
  return {
    name,
    attrTypes: { axis: 'int' },
    inferShape: ([x], attrs) => {
      if (x === undefined) return shapeError(name, 'needs one input');
      const axis = intAttr(attrs, 'axis', -1);
      if (normalizeAxis(axis, x.shape.length) === undefined) return shapeError(name, `axis ${axis} out of range for ${showShape(x.shape)}`);
      return [{ shape: x.shape, dtype: x.dtype }];
    },
    // Softmax: dx = y·(g − Σ g·y); LogSoftmax: dx = g − exp(y)·Σ g (sums along the axis).
    backward: ({ node, gradOutputs: [g], needs }) => {
      if (!needs[0] || g === undefined) return [undefined];
      const y = first(node.outputs);
      const axis = intAttr(node.attrs, 'axis', -1);
      if (isLog) return [sub(g, mul(exp(y), reduceSum(g, [axis], true)))];
      return [mul(y, sub(g, reduceSum(mul(g, y), [axis], true)))];
    },
    emitOnnx: (e, node) => e.asIs(node),
    evaluate: ([x], attrs) => [evaluateSoftmax(present(x), intAttr(attrs, 'axis', -1), isLog)],
  };
}

function evaluateSoftmax(x: Tensor, axisAttr: number, isLog: boolean): Tensor {
  const axis = normalizeAxis(axisAttr, x.shape.length) ?? 0;
  const n = at(x.shape, axis);
  const stride = at(stridesOf(x.shape), axis);
  const data = new Float64Array(x.data.length);
  for (let base = 0; base < x.data.length; base++) {
    // Visit each line along `axis` once, from its first element.
    if (Math.floor(base / stride) % n !== 0) continue;
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, at(x.data, base + i * stride));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(at(x.data, base + i * stride) - max);
    for (let i = 0; i < n; i++) {
      const z = at(x.data, base + i * stride) - max;
      data[base + i * stride] = isLog ? z - Math.log(sum) : Math.exp(z) / sum;
    }
  }
  return { dtype: x.dtype, shape: [...x.shape], data };
}

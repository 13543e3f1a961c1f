// Softmax and LogSoftmax along one axis (opset 13+ semantics), computed stably by subtracting the
// max, and SoftmaxCrossEntropy (our own op: the training loss, with a short backward pass).

import { type OnnxEmitter, type OpDef, type Value, intAttr, isFloat, shapeError } from '../ir';
import { normalizeAxis, showShape } from '../shape';
import { type Tensor, at, stridesOf } from '../tensor';
import { add, div, first, mul, present, sub } from './binary';
import { expand } from './expand';
import { reduceSum } from './reduce';
import { exp, neg } from './unary';

export const Softmax = softmaxOp('Softmax', false);
export const LogSoftmax = softmaxOp('LogSoftmax', true);

export const softmax = (x: Value, axis = -1): Value => x.graph.apply1(Softmax, [x], { axis });
export const logSoftmax = (x: Value, axis = -1): Value => x.graph.apply1(LogSoftmax, [x], { axis });

/**
 * loss = mean over rows b of −Σ_c q[b,c]·log softmax(z[b])_c, for logits z and targets q [B, C]
 * (one-hot or soft). Outputs (loss, log softmax(z)). Emitted as the ONNX nodes of that formula;
 * its own backward rule gives dz = (softmax(z)·Σ_c q − q)·g/B in six nodes plus the batch count,
 * where the chain of rules through ReduceMean, ReduceSum, Mul and LogSoftmax expanded the
 * scalar gradient twice and took sixteen (about 15 µs of a 0.5 ms CNN step on onnxruntime).
 */
export const SoftmaxCrossEntropy: OpDef = {
  name: 'SoftmaxCrossEntropy',
  attrTypes: {},
  inferShape: ([z, q]) => {
    if (z === undefined || q === undefined) return shapeError('SoftmaxCrossEntropy', 'needs (logits, targets)');
    const same = z.shape.length === 2 && q.shape.length === 2 && z.shape.every((d, i) => d === q.shape[i]);
    if (!same || z.dtype !== q.dtype || !isFloat(z.dtype)) return shapeError('SoftmaxCrossEntropy', `logits ${showShape(z.shape)} and targets ${showShape(q.shape)} must be [B, C] of one float type`);
    return [{ shape: [], dtype: z.dtype }, { shape: z.shape, dtype: z.dtype }];
  },
  backward: ({ node, gradOutputs: [g, gLogp], needs }) => {
    const [z, q] = node.inputs;
    const logp = node.outputs[1];
    if (z === undefined || q === undefined || logp === undefined) return [undefined, undefined];
    const p = exp(logp);
    let dz: Value | undefined;
    let dq: Value | undefined;
    if (g !== undefined) {
      // g/B, B counted at run time from a [B, 1] value (the batch dim may be symbolic).
      const rowSums = reduceSum(q, [-1], true);
      const scale = div(g, reduceSum(expand(z.graph.scalar(1, z.dtype), rowSums), [], false));
      dz = mul(sub(mul(p, rowSums), q), scale);
      dq = needs[1] ? mul(neg(logp), scale) : undefined;
    }
    // A gradient reaching log softmax(z) itself: LogSoftmax's rule.
    if (gLogp !== undefined) {
      const viaLogp = sub(gLogp, mul(p, reduceSum(gLogp, [-1], true)));
      dz = dz === undefined ? viaLogp : add(dz, viaLogp);
    }
    return [needs[0] ? dz : undefined, dq];
  },
  emitOnnx: (e, node) => {
    const logp = e.output(1);
    const weighted = e.temp('weighted');
    const perRow = e.temp('per_row');
    const mean = e.temp('mean');
    emitLogSoftmax(e, e.input(0), logp, -1);
    e.node('Mul', [e.input(1), logp], [weighted]);
    e.node('ReduceSum', [weighted, e.int64s([-1])], [perRow], { keepdims: { type: 'int', value: 0 } });
    e.node('ReduceMean', [perRow], [mean], { keepdims: { type: 'int', value: 0 } });
    e.node('Neg', [mean], [e.output(0)]);
  },
  evaluate: ([z, q]) => {
    const [tz, tq] = [present(z), present(q)];
    const logp = evaluateSoftmax(tz, -1, true);
    const [rows, classes] = [at(tz.shape, 0), at(tz.shape, 1)];
    let total = 0;
    for (let b = 0; b < rows; b++) {
      let row = 0;
      for (let c = 0; c < classes; c++) row += at(tq.data, b * classes + c) * at(logp.data, b * classes + c);
      total += row;
    }
    return [{ dtype: tz.dtype, shape: [], data: Float64Array.of(-total / rows) }, logp];
  },
};

/** Mean over the batch of −Σ_c target·log softmax(logits) (SoftmaxCrossEntropy's loss output). */
export function softmaxCrossEntropy(logits: Value, target: Value): Value {
  return first(logits.graph.apply(SoftmaxCrossEntropy, [logits, target], {}, 2));
}

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
    emitOnnx: (e, node) => (isLog ? emitLogSoftmax(e, e.input(0), e.output(0), intAttr(node.attrs, 'axis', -1)) : e.asIs(node)),
    evaluate: ([x], attrs) => [evaluateSoftmax(present(x), intAttr(attrs, 'axis', -1), isLog)],
  };
}

/**
 * log softmax(x) along `axis`: the LogSoftmax op, or, where the target avoids it (the WebGPU EP
 * has no kernel and would run it on the CPU), x − m − log Σ exp(x − m) with m the row maximum.
 */
function emitLogSoftmax(e: OnnxEmitter, x: string, out: string, axis: number): void {
  if (!e.avoids('LogSoftmax')) {
    e.node('LogSoftmax', [x], [out], { axis: { type: 'int', value: axis } });
    return;
  }
  const keep = { keepdims: { type: 'int', value: 1 } } as const;
  const [max, shifted, exp, sum, log] = ['max', 'shifted', 'exp', 'sum', 'log'].map((h) => e.temp(h)) as [string, string, string, string, string];
  e.node('ReduceMax', [x], [max], { axes: { type: 'ints', value: [axis] }, ...keep });
  e.node('Sub', [x, max], [shifted]);
  e.node('Exp', [shifted], [exp]);
  e.node('ReduceSum', [exp, e.int64s([axis])], [sum], keep);
  e.node('Log', [sum], [log]);
  e.node('Sub', [shifted, log], [out]);
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

// 2-D MaxPool (with the ONNX Indices output) and AveragePool. Padding counts as −inf for MaxPool;
// AveragePool divides by the number of non-pad elements unless count_include_pad = 1.
// ceil_mode and dilations other than the defaults are not supported (reported as shape errors).

import { type Attrs, type InferResult, type OpDef, type TypedShape, type Value, intAttr, intsAttr, shapeError } from '../ir';
import { dimAt, showShape } from '../shape';
import { type Tensor, at, filled, tensor } from '../tensor';
import { first, mul, present } from './binary';
import { mod } from './compare';
import { convTranspose } from './conv';
import { dims4 } from './conv-eval';
import { zerosLike } from './expand';
import { reshape, reshapeBack } from './reshape';
import { scatterElements } from './scatter';

export const MaxPool: OpDef = {
  name: 'MaxPool',
  attrTypes: { kernel_shape: 'ints', strides: 'ints', pads: 'ints' },
  inferShape: (ins, attrs) => inferPool('MaxPool', ins, attrs, true),
  // Scatter-add g into a zero tensor at the arg-max positions (overlapping windows accumulate).
  // ONNX Indices count over the whole tensor; Mod by H·W makes them per (n, c) plane, so that the
  // scatter works on [N, C, H·W] and the symbolic batch dim never has to be multiplied out.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const x = first(node.inputs);
    const indices = node.outputs[1];
    if (!needs[0] || g === undefined || indices === undefined) return [undefined];
    const plane = staticPlane(x);
    const local = reshape(mod(indices, plane), [0, 0, -1]);
    const flat = scatterElements(reshape(zerosLike(x), [0, 0, -1]), local, reshape(g, [0, 0, -1]), 2, 'add');
    return [reshapeBack(flat, x)];
  },
  // Y and Indices (flat NCHW offsets, storage_order 0), which the backward rule reads.
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x], attrs) => evaluatePool(present(x), poolParams(attrs), 'max'),
};

export const AveragePool: OpDef = {
  name: 'AveragePool',
  attrTypes: { kernel_shape: 'ints', strides: 'ints', pads: 'ints', count_include_pad: 'int' },
  inferShape: (ins, attrs) => inferPool('AveragePool', ins, attrs, false),
  // dX = ConvTranspose(g / count, ones) per channel: every window hands g/count to each member.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const x = first(node.inputs);
    if (!needs[0] || g === undefined) return [undefined];
    const p = poolParams(node.attrs);
    const [c, h, w, ho, wo] = [dimAt(x.shape, 1), dimAt(x.shape, 2), dimAt(x.shape, 3), dimAt(g.shape, 2), dimAt(g.shape, 3)];
    if (typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number' || typeof ho !== 'number' || typeof wo !== 'number') {
      throw new Error('AveragePool backward: channel and spatial dims must be static');
    }
    const counts = windowCounts([h, w], [ho, wo], p).map((n) => 1 / n);
    const scaled = mul(g, x.graph.constant(tensor([1, 1, ho, wo], counts, x.dtype)));
    const ones = x.graph.constant(filled([c, 1, p.kernel[0], p.kernel[1]], 1, x.dtype));
    const outputPadding = [
      h - (p.strides[0] * (ho - 1) + p.kernel[0] - p.pads[0] - p.pads[2]),
      w - (p.strides[1] * (wo - 1) + p.kernel[1] - p.pads[1] - p.pads[3]),
    ];
    return [convTranspose(scaled, ones, { strides: p.strides, pads: p.pads, group: c, outputPadding })];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x], attrs) => evaluatePool(present(x), poolParams(attrs), 'avg'),
};

function staticPlane(x: Value): number {
  const [h, w] = [dimAt(x.shape, 2), dimAt(x.shape, 3)];
  if (typeof h !== 'number' || typeof w !== 'number') throw new Error('MaxPool backward: spatial dims must be static');
  return h * w;
}

export interface PoolOptions {
  readonly kernel: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly pads?: readonly [number, number, number, number];
  readonly countIncludePad?: boolean;
}

export function maxPool(x: Value, o: PoolOptions): Value {
  return first(x.graph.apply(MaxPool, [x], poolAttrs(o), 2));
}

export function averagePool(x: Value, o: PoolOptions): Value {
  return x.graph.apply1(AveragePool, [x], { ...poolAttrs(o), count_include_pad: o.countIncludePad ? 1 : 0 });
}

interface PoolParams {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly countIncludePad: boolean;
}

function poolAttrs(o: PoolOptions): Attrs {
  return { kernel_shape: o.kernel, strides: o.strides ?? o.kernel, pads: o.pads ?? [0, 0, 0, 0] };
}

function poolParams(attrs: Attrs): PoolParams {
  const k = intsAttr(attrs, 'kernel_shape', [1, 1]);
  const s = intsAttr(attrs, 'strides', [1, 1]);
  const p = intsAttr(attrs, 'pads', [0, 0, 0, 0]);
  return {
    kernel: [k[0] ?? 1, k[1] ?? 1],
    strides: [s[0] ?? 1, s[1] ?? 1],
    pads: [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0],
    countIncludePad: intAttr(attrs, 'count_include_pad', 0) !== 0,
  };
}

function inferPool(op: string, [x]: readonly TypedShape[], attrs: Attrs, withIndices: boolean): InferResult {
  if (x === undefined) return shapeError(op, 'needs one input');
  if (x.shape.length !== 4) return shapeError(op, `only 2-D pooling (4-D input) is supported: ${showShape(x.shape)}`);
  if (intAttr(attrs, 'ceil_mode', 0) !== 0) return shapeError(op, 'ceil_mode is not supported');
  const p = poolParams(attrs);
  const out: number[] = [];
  for (const i of [0, 1] as const) {
    const d = dimAt(x.shape, 2 + i);
    const k = p.kernel[i];
    const [before, after] = [p.pads[i], p.pads[i + 2] ?? 0];
    if (typeof d !== 'number') return shapeError(op, `spatial dims must be static: ${showShape(x.shape)}`);
    if (before >= k || after >= k) return shapeError(op, `pads [${p.pads.join(',')}] must be smaller than the kernel [${p.kernel.join(',')}]`);
    out.push(Math.floor((d + before + after - k) / p.strides[i]) + 1);
  }
  if (out.some((d) => d < 1)) return shapeError(op, `kernel [${p.kernel.join(',')}] is larger than the input ${showShape(x.shape)}`);
  const shape = [dimAt(x.shape, 0), dimAt(x.shape, 1), ...out];
  const y = { shape, dtype: x.dtype };
  return withIndices ? [y, { shape, dtype: 'int64' }] : [y];
}

/** The number of non-pad input elements under each output window (or the full kernel size). */
function windowCounts([h, w]: readonly number[], [ho, wo]: readonly number[], p: PoolParams): number[] {
  const counts: number[] = [];
  for (let oy = 0; oy < (ho ?? 0); oy++) {
    for (let ox = 0; ox < (wo ?? 0); ox++) {
      if (p.countIncludePad) {
        counts.push(p.kernel[0] * p.kernel[1]);
        continue;
      }
      const y0 = oy * p.strides[0] - p.pads[0];
      const x0 = ox * p.strides[1] - p.pads[1];
      const ny = Math.min(h ?? 0, y0 + p.kernel[0]) - Math.max(0, y0);
      const nx = Math.min(w ?? 0, x0 + p.kernel[1]) - Math.max(0, x0);
      counts.push(ny * nx);
    }
  }
  return counts;
}

function evaluatePool(x: Tensor, p: PoolParams, kind: 'max' | 'avg'): Tensor[] {
  const [n, c, h, w] = dims4(x);
  const ho = Math.floor((h + p.pads[0] + p.pads[2] - p.kernel[0]) / p.strides[0]) + 1;
  const wo = Math.floor((w + p.pads[1] + p.pads[3] - p.kernel[1]) / p.strides[1]) + 1;
  const counts = windowCounts([h, w], [ho, wo], p);
  const y = new Float64Array(n * c * ho * wo);
  const idx = new Float64Array(y.length);
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let best = -Infinity;
        let bestAt = -1;
        let sum = 0;
        for (let ky = 0; ky < p.kernel[0]; ky++) {
          const iy = oy * p.strides[0] + ky - p.pads[0];
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < p.kernel[1]; kx++) {
            const ix = ox * p.strides[1] + kx - p.pads[1];
            if (ix < 0 || ix >= w) continue;
            const flat = (plane * h + iy) * w + ix;
            const v = at(x.data, flat);
            sum += v;
            if (v > best) [best, bestAt] = [v, flat];
          }
        }
        const o = (plane * ho + oy) * wo + ox;
        y[o] = kind === 'max' ? best : sum / at(counts, oy * wo + ox);
        idx[o] = bestAt;
      }
    }
  }
  const shape = [n, c, ho, wo];
  const out: Tensor = { dtype: x.dtype, shape, data: y };
  return kind === 'max' ? [out, { dtype: 'int64', shape, data: idx }] : [out];
}

// 2-D MaxPool (with the ONNX Indices output), MaxPoolValues (without it: what models build) with
// its gradient MaxPoolGrad, and AveragePool. Padding counts as −inf for MaxPool;
// AveragePool divides by the number of non-pad elements unless count_include_pad = 1.
// ceil_mode and dilations other than the defaults are not supported (reported as shape errors).

import { type Attrs, type InferResult, type Node, type OnnxAttr, type OnnxEmitter, type OpDef, type TypedShape, type Value, intAttr, intsAttr, shapeError } from '../ir';
import { dimAt, showShape } from '../shape';
import { type Tensor, at, filled, tensor } from '../tensor';
import { add, first, mul, present } from './binary';
import { mod } from './compare';
import { convTranspose } from './conv';
import { pooledColsConv } from './conv-pool';
import { dims4 } from './conv-eval';
import { zerosLike } from './expand';
import { reshape, reshapeBack } from './reshape';
import { scatterElements } from './scatter';
import { Relu, relu } from './unary';

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
    return [scatterToArgMax(x, indices, g)];
  },
  // Y and Indices (flat NCHW offsets, storage_order 0), which the backward rule reads.
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x], attrs) => evaluatePool(present(x), poolParams(attrs), 'max'),
};

/**
 * MaxPool without its Indices output (our own op; emitted as an ONNX MaxPool with one output).
 * onnxruntime pools with its fast MLAS kernel only when Indices is absent: with it, MaxPool took
 * 5-8x longer (onnxruntime 1.30, native and wasm), even when nothing read the indices.
 */
export const MaxPoolValues: OpDef = {
  name: 'MaxPoolValues',
  attrTypes: { kernel_shape: 'ints', strides: 'ints', pads: 'ints' },
  inferShape: (ins, attrs) => inferPool('MaxPoolValues', ins, attrs, false),
  // Non-overlapping windows that tile the input: MaxPoolGrad, from X and Y alone. Otherwise the
  // arg-max positions come from an ONNX MaxPool with Indices, as MaxPool's own rule takes them.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const x = first(node.inputs);
    const y = first(node.outputs);
    if (!needs[0] || g === undefined) return [undefined];
    if (tiles(x, poolParams(node.attrs))) return [x.graph.apply1(MaxPoolGrad, [x, y, g], node.attrs)];
    const [, indices] = x.graph.apply(MaxPool, [x], node.attrs, 2);
    return [scatterToArgMax(x, present(indices), g)];
  },
  emitOnnx: (e, node) => e.node('MaxPool', [e.input(0)], [e.output(0)], poolOnnxAttrs(node.attrs)),
  evaluate: ([x], attrs) => [first(evaluatePool(present(x), poolParams(attrs), 'max'))],
};

/**
 * dX of MaxPoolValues for windows that tile X (strides = kernel, no pads, sizes divisible): each
 * window's g goes to its first maximal element, as ONNX Indices (and PyTorch) pick it. Inputs
 * (X, Y, g). Emitted without Indices or a scatter: Up = nearest upsampling by the kernel size,
 * E = (X == Up(Y)), F = E ? rank : 0 with ranks decreasing along each window, and the chosen
 * element is where F equals Up(MaxPool(F)). A window holding NaN may differ from the reference.
 */
export const MaxPoolGrad: OpDef = {
  name: 'MaxPoolGrad',
  attrTypes: { kernel_shape: 'ints', strides: 'ints', pads: 'ints' },
  inferShape: ([x, y, g]) => {
    if (x === undefined || y === undefined || g === undefined) return shapeError('MaxPoolGrad', 'needs (X, Y, g)');
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  // Linear in g: the adjoint sums each window of (mask ⊙ u), the mask being MaxPoolGrad(X, Y, 1).
  // The mask is piecewise constant in X and Y: no gradient flows to them.
  backward: ({ node, gradOutputs: [u], needs }) => {
    const [x, y] = node.inputs;
    if (!needs[2] || u === undefined || x === undefined || y === undefined) return [undefined, undefined, undefined];
    const p = poolParams(node.attrs);
    const mask = x.graph.apply1(MaxPoolGrad, [x, y, add(zerosLike(y), 1)], node.attrs);
    const area = p.kernel[0] * p.kernel[1];
    return [undefined, undefined, mul(averagePool(mul(mask, u), { kernel: p.kernel, strides: p.strides }), area)];
  },
  emitOnnx: (e, node) => emitMaxPoolGrad(e, node),
  evaluate: ([x, y, g], attrs) => [evaluateMaxPoolGrad(present(x), present(y), present(g), poolParams(attrs))],
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

/** Scatter-adds g into zeros shaped like x at MaxPool's Indices (overlapping windows accumulate). */
function scatterToArgMax(x: Value, indices: Value, g: Value): Value {
  const plane = staticPlane(x);
  const local = reshape(mod(indices, plane), [0, 0, -1]);
  const flat = scatterElements(reshape(zerosLike(x), [0, 0, -1]), local, reshape(g, [0, 0, -1]), 2, 'add');
  return reshapeBack(flat, x);
}

/** Whether the pooling windows tile x exactly: strides = kernel, no pads, static sizes divisible. */
function tiles(x: Value, p: PoolParams): boolean {
  const [h, w] = [dimAt(x.shape, 2), dimAt(x.shape, 3)];
  if (typeof h !== 'number' || typeof w !== 'number') return false;
  return p.strides[0] === p.kernel[0] && p.strides[1] === p.kernel[1] && p.pads.every((d) => d === 0) && h % p.kernel[0] === 0 && w % p.kernel[1] === 0;
}

function poolOnnxAttrs(attrs: Attrs): Record<string, OnnxAttr> {
  const p = poolParams(attrs);
  return { kernel_shape: { type: 'ints', value: p.kernel }, strides: { type: 'ints', value: p.strides }, pads: { type: 'ints', value: p.pads } };
}

/** ONNX TensorProto.DataType of the float types (Cast's `to`). */
const ONNX_FLOAT: Readonly<Record<string, number>> = { float32: 1, float64: 11 };

/** Rank of each element inside its window, k·k for the first down to 1 for the last, as [H·W]. */
function windowRanks(h: number, w: number, [kh, kw]: readonly [number, number]): number[] {
  const ranks: number[] = [];
  for (let iy = 0; iy < h; iy++) for (let ix = 0; ix < w; ix++) ranks.push(kh * kw - ((iy % kh) * kw + (ix % kw)));
  return ranks;
}

function emitMaxPoolGrad(e: OnnxEmitter, node: Node): void {
  const x = present(node.inputs[0]);
  const p = poolParams(node.attrs);
  const [h, w] = [dimAt(x.shape, 2), dimAt(x.shape, 3)];
  const dtype = e.dtypeOf(x);
  const to = ONNX_FLOAT[dtype];
  if (typeof h !== 'number' || typeof w !== 'number' || to === undefined) throw new Error('MaxPoolGrad: needs a float input with static spatial dims');
  const v = (hint: string, op: string, inputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>): string => {
    const name = e.temp(hint);
    e.node(op, inputs, [name], attrs);
    return name;
  };
  const cast = (hint: string, ints: string, type: number): string => v(hint, 'Cast', [ints], { to: { type: 'int', value: type } });
  const [kh, kw] = p.kernel;
  // Resize (nearest) upsamples fast but has no float64 kernel; float64 broadcasts with Expand instead.
  const scales = dtype === 'float32' ? cast('scales', e.int64s([1, 1, kh, kw]), 1) : '';
  const up = (input: string, hint: string): string =>
    dtype === 'float32'
      ? v(hint, 'Resize', [input, '', scales], { mode: { type: 'string', value: 'nearest' }, nearest_mode: { type: 'string', value: 'floor' }, coordinate_transformation_mode: { type: 'string', value: 'asymmetric' } })
      : v(hint, 'Reshape', [v(`${hint}_6d`, 'Expand', [v(`${hint}_split`, 'Reshape', [input, e.int64s([0, 0, h / kh, 1, w / kw, 1])]), e.int64s([1, 1, 1, kh, 1, kw])]), e.int64s([0, 0, h, w])]);
  const ranks = cast('ranks', v('ranks_int', 'Reshape', [e.int64s(windowRanks(h, w, p.kernel)), e.int64s([1, 1, h, w])]), to);
  // The masks are applied as Mul by a Cast rather than by Where: onnxruntime 1.30's Where over these
  // broadcasts took 1.2-1.8 ms each for a [64, 64, 14, 14] X (one thread), Cast and Mul ~0.4 ms.
  const isMax = v('is_max', 'Equal', [e.input(0), up(e.input(1), 'y_up')]);
  const f = v('ranked', 'Mul', [cast('is_max_f', isMax, to), ranks]);
  const firstRank = v('first_rank', 'MaxPool', [f], poolOnnxAttrs(node.attrs));
  const chosen = v('chosen', 'Equal', [f, up(firstRank, 'first_up')]);
  e.node('Mul', [cast('chosen_f', chosen, to), up(e.input(2), 'g_up')], [e.output(0)]);
}

function evaluateMaxPoolGrad(x: Tensor, y: Tensor, g: Tensor, p: PoolParams): Tensor {
  const [n, c, h, w] = dims4(x);
  const [ho, wo] = [h / p.kernel[0], w / p.kernel[1]];
  const out = new Float64Array(x.data.length);
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const o = (plane * ho + oy) * wo + ox;
        const target = windowMembers(plane, oy, ox, h, w, p.kernel).find((i) => at(x.data, i) === at(y.data, o));
        if (target !== undefined) out[target] = at(g.data, o);
      }
    }
  }
  return { dtype: x.dtype, shape: [...x.shape], data: out };
}

/** Flat offsets of one window's elements in scan order (row by row). */
function windowMembers(plane: number, oy: number, ox: number, h: number, w: number, [kh, kw]: readonly [number, number]): number[] {
  const members: number[] = [];
  for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) members.push((plane * h + oy * kh + ky) * w + ox * kw + kx);
  return members;
}

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

/**
 * MaxPool of a Relu is built as Relu of the MaxPool: both are monotonic, so the values agree, and
 * so do the gradients (a window whose maximum is positive sends g to the same first maximum; one
 * whose maximum is ≤ 0 sends nothing either way). Relu and its gradient then work on the pooled
 * tensor, a quarter of the size for 2×2 windows.
 */
export function maxPool(x: Value, o: PoolOptions): Value {
  const source = x.source.kind === 'node' && x.source.node.op === Relu ? x.source.node.inputs[0] : undefined;
  // A patch-form convolution whose output the windows tile is pooled window by window (conv-pool.ts).
  const p = poolParams(poolAttrs(o));
  const pooled = pooledColsConv(source ?? x, { kernel: p.kernel, strides: p.strides, pads: p.pads });
  if (pooled) return source ? relu(pooled) : pooled;
  if (source) return relu(source.graph.apply1(MaxPoolValues, [source], poolAttrs(o)));
  return x.graph.apply1(MaxPoolValues, [x], poolAttrs(o));
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

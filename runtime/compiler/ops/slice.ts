// Slice, Pad (constant mode), Concat and Split; Slice and Pad are each other's adjoint, and so
// are Concat and Split.
// NOTE: opset 17 takes Slice's starts/ends/axes/steps and Pad's pads/value as inputs; the IR keeps
// them as attributes (constants at emission).

import { type Attrs, type Dim, type OpDef, type Value, intAttr, intsAttr, shapeError, stringAttr } from '../ir';
import { dimAt, normalizeAxis, showShape } from '../shape';
import { type Tensor, at, sizeOf, stridesOf } from '../tensor';
import { first, present } from './binary';
import { zerosLike } from './expand';

/** Large enough to mean "to the end" in ONNX Slice (INT64_MAX is not a safe JS integer). */
export const TO_END = Number.MAX_SAFE_INTEGER;

export const Slice: OpDef = {
  name: 'Slice',
  attrTypes: { starts: 'ints', ends: 'ints', axes: 'ints', steps: 'ints' },
  inferShape: ([x], attrs) => {
    if (x === undefined) return shapeError('Slice', 'needs one input');
    const ranges = sliceRanges(x.shape, attrs);
    if (typeof ranges === 'string') return shapeError('Slice', ranges);
    return [{ shape: ranges.map((r, i) => (r === undefined ? dimAt(x.shape, i) : r.count)), dtype: x.dtype }];
  },
  // The adjoint of a unit-step slice is zero padding back to the input's extent.
  backward: ({ node, gradOutputs: [g], needs }) => {
    if (!needs[0] || g === undefined) return [undefined];
    const x = first(node.inputs);
    const ranges = sliceRanges(x.shape, node.attrs);
    if (typeof ranges === 'string') throw new Error(`Slice backward: ${ranges}`);
    const begin: number[] = [];
    const end: number[] = [];
    ranges.forEach((r, i) => {
      if (r !== undefined && r.step !== 1) throw new Error('Slice: backward supports only step 1 for now');
      const d = dimAt(x.shape, i);
      begin.push(r === undefined ? 0 : r.start);
      end.push(r === undefined || typeof d !== 'number' ? 0 : d - r.start - r.count);
    });
    return [pad(g, [...begin, ...end])];
  },
  emitOnnx: (e, node) => {
    const starts = intsAttr(node.attrs, 'starts', []);
    const axes = intsAttr(node.attrs, 'axes', starts.map((_, i) => i));
    const steps = intsAttr(node.attrs, 'steps', starts.map(() => 1));
    const ends = e.int64s(intsAttr(node.attrs, 'ends', []));
    e.node('Slice', [e.input(0), e.int64s(starts), ends, e.int64s(axes), e.int64s(steps)], [e.output(0)]);
  },
  evaluate: ([x], attrs) => {
    const t = present(x);
    const ranges = sliceRanges(t.shape, attrs);
    if (typeof ranges === 'string') throw new Error(`Slice: ${ranges}`);
    const full = ranges.map((r, i) => r ?? { start: 0, step: 1, count: at(t.shape, i) });
    return [gatherBox(t, full)];
  },
};

export const Pad: OpDef = {
  name: 'Pad',
  attrTypes: { pads: 'ints', mode: 'string', value: 'float' },
  inferShape: ([x], attrs) => {
    if (x === undefined) return shapeError('Pad', 'needs one input');
    const pads = intsAttr(attrs, 'pads', []);
    const r = x.shape.length;
    if (pads.length !== 2 * r || pads.some((p) => p < 0)) return shapeError('Pad', `pads [${pads.join(',')}] do not fit ${showShape(x.shape)}`);
    const shape: Dim[] = [];
    for (let i = 0; i < r; i++) {
      const d = dimAt(x.shape, i);
      const extra = at(pads, i) + at(pads, i + r);
      if (typeof d === 'string' && extra !== 0) return shapeError('Pad', `cannot pad symbolic axis ${i} of ${showShape(x.shape)}`);
      shape.push(typeof d === 'number' ? d + extra : d);
    }
    return [{ shape, dtype: x.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    if (!needs[0] || g === undefined) return [undefined];
    const x = first(node.inputs);
    const pads = intsAttr(node.attrs, 'pads', []);
    const r = x.shape.length;
    const axes = x.shape.map((_, i) => i).filter((i) => at(pads, i) + at(pads, i + r) > 0);
    const starts = axes.map((i) => at(pads, i));
    const ends = axes.map((i) => (at(pads, i + r) === 0 ? TO_END : -at(pads, i + r)));
    return [slice(g, starts, ends, axes)];
  },
  // Opset 11+ takes pads (int64) and the fill value (x's type) as inputs.
  emitOnnx: (e, node) => {
    const value = typeof node.attrs['value'] === 'number' ? node.attrs['value'] : 0;
    const x = first(node.inputs);
    const inputs = [e.input(0), e.int64s(intsAttr(node.attrs, 'pads', [])), e.scalar(value, e.dtypeOf(x))];
    e.node('Pad', inputs, [e.output(0)], { mode: { type: 'string', value: stringAttr(node.attrs, 'mode', 'constant') } });
  },
  evaluate: ([x], attrs) => {
    const t = present(x);
    const pads = intsAttr(attrs, 'pads', []);
    const r = t.shape.length;
    const shape = t.shape.map((d, i) => d + at(pads, i) + at(pads, i + r));
    const out = new Float64Array(sizeOf(shape)).fill(typeof attrs['value'] === 'number' ? attrs['value'] : 0);
    const outStrides = stridesOf(shape);
    const inStrides = stridesOf(t.shape);
    for (let f = 0; f < t.data.length; f++) {
      let o = 0;
      for (let i = 0; i < r; i++) o += (Math.floor(f / at(inStrides, i)) % at(t.shape, i) + at(pads, i)) * at(outStrides, i);
      out[o] = at(t.data, f);
    }
    return [{ dtype: t.dtype, shape, data: out }];
  },
};

export const Concat: OpDef = {
  name: 'Concat',
  attrTypes: { axis: 'int' },
  inferShape: (ins, attrs) => {
    const x = ins[0];
    if (x === undefined) return shapeError('Concat', 'needs at least one input');
    const axis = normalizeAxis(intAttr(attrs, 'axis', 0), x.shape.length);
    const shapes = ins.map((v) => showShape(v.shape)).join(', ');
    if (axis === undefined) return shapeError('Concat', `axis ${intAttr(attrs, 'axis', 0)} out of range for ${shapes}`);
    const fits = ins.every((v) => v.dtype === x.dtype && v.shape.length === x.shape.length && v.shape.every((d, i) => i === axis || d === x.shape[i]));
    if (!fits) return shapeError('Concat', `inputs ${shapes} differ outside axis ${axis}`);
    const along = ins.map((v) => dimAt(v.shape, axis));
    if (ins.length > 1 && along.some((d) => typeof d !== 'number')) return shapeError('Concat', `cannot concatenate along symbolic axis ${axis}: ${shapes}`);
    const total = ins.length === 1 ? dimAt(x.shape, axis) : along.reduce<number>((s, d) => s + (typeof d === 'number' ? d : 0), 0);
    return [{ shape: x.shape.map((d, i) => (i === axis ? total : d)), dtype: x.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    if (g === undefined) return node.inputs.map(() => undefined);
    const axis = normalizeAxis(intAttr(node.attrs, 'axis', 0), g.shape.length) ?? 0;
    let offset = 0;
    return node.inputs.map((v, k) => {
      const d = dimAt(v.shape, axis);
      const n = typeof d === 'number' ? d : 0;
      const start = offset;
      offset += n;
      return needs[k] ? (node.inputs.length === 1 ? g : slice(g, [start], [start + n], [axis])) : undefined;
    });
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: (ins, attrs) => {
    const x = first(ins);
    const axis = normalizeAxis(intAttr(attrs, 'axis', 0), x.shape.length) ?? 0;
    const shape = x.shape.map((d, i) => (i === axis ? ins.reduce((s, t) => s + at(t.shape, axis), 0) : d));
    const outer = sizeOf(shape.slice(0, axis));
    const data = new Float64Array(sizeOf(shape));
    let o = 0;
    for (let b = 0; b < outer; b++) {
      for (const t of ins) {
        const chunk = sizeOf(t.shape.slice(axis));
        data.set(t.data.subarray(b * chunk, (b + 1) * chunk), o);
        o += chunk;
      }
    }
    return [{ dtype: x.dtype, shape, data }];
  },
};

/**
 * Splits x along `axis` into consecutive parts of the sizes in `split` (static, summing to the
 * axis). One node where several Slices would each read x; its adjoint is one Concat (a part
 * without a gradient contributes zeros).
 */
export const Split: OpDef = {
  name: 'Split',
  attrTypes: { axis: 'int', split: 'ints' },
  inferShape: ([x], attrs) => {
    if (x === undefined) return shapeError('Split', 'needs one input');
    const axis = normalizeAxis(intAttr(attrs, 'axis', 0), x.shape.length);
    const sizes = intsAttr(attrs, 'split', []);
    if (axis === undefined) return shapeError('Split', `axis ${intAttr(attrs, 'axis', 0)} out of range for ${showShape(x.shape)}`);
    const d = dimAt(x.shape, axis);
    if (typeof d !== 'number' || sizes.length === 0 || sizes.some((n) => n < 1) || sizes.reduce((a, b) => a + b, 0) !== d) {
      return shapeError('Split', `sizes [${sizes.join(',')}] do not split axis ${axis} of ${showShape(x.shape)}`);
    }
    return sizes.map((n) => ({ shape: x.shape.map((e, i) => (i === axis ? n : e)), dtype: x.dtype }));
  },
  backward: ({ node, gradOutputs, needs }) => {
    if (!needs[0] || gradOutputs.every((g) => g === undefined)) return [undefined];
    return [concat(node.outputs.map((part, k) => gradOutputs[k] ?? zerosLike(part)), intAttr(node.attrs, 'axis', 0))];
  },
  // Opset 13+ takes the sizes as an int64 input.
  emitOnnx: (e, node) => {
    e.node('Split', [e.input(0), e.int64s(intsAttr(node.attrs, 'split', []))], node.outputs.map((_, k) => e.output(k)), { axis: { type: 'int', value: intAttr(node.attrs, 'axis', 0) } });
  },
  evaluate: ([x], attrs) => {
    const t = present(x);
    const axis = normalizeAxis(intAttr(attrs, 'axis', 0), t.shape.length) ?? 0;
    let start = 0;
    return intsAttr(attrs, 'split', []).map((n) => {
      const box = t.shape.map((d, i) => (i === axis ? { start, step: 1, count: n } : { start: 0, step: 1, count: d }));
      start += n;
      return gatherBox(t, box);
    });
  },
};

export function slice(x: Value, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Value {
  const attrs: Record<string, readonly number[]> = { starts, ends };
  if (axes !== undefined) attrs['axes'] = axes;
  if (steps !== undefined) attrs['steps'] = steps;
  return x.graph.apply1(Slice, [x], attrs);
}

export function pad(x: Value, pads: readonly number[], value = 0): Value {
  return x.graph.apply1(Pad, [x], { pads, mode: 'constant', value });
}

export function concat(xs: readonly Value[], axis: number): Value {
  return first(xs).graph.apply1(Concat, xs, { axis });
}

/** x split along `axis` into parts of the given sizes. */
export function split(x: Value, sizes: readonly number[], axis: number): readonly Value[] {
  return x.graph.apply(Split, [x], { axis, split: sizes }, sizes.length);
}

interface Range {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** Per axis, the selected range (undefined for untouched axes), clamped as ONNX Slice does. */
function sliceRanges(shape: readonly Dim[], attrs: Attrs): (Range | undefined)[] | string {
  const starts = intsAttr(attrs, 'starts', []);
  const ends = intsAttr(attrs, 'ends', []);
  const axes = intsAttr(attrs, 'axes', starts.map((_, i) => i));
  const steps = intsAttr(attrs, 'steps', starts.map(() => 1));
  const bad = `starts [${starts.join(',')}] ends [${ends.join(',')}] axes [${axes.join(',')}] do not fit ${showShape(shape)}`;
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) return bad;
  const ranges: (Range | undefined)[] = shape.map(() => undefined);
  for (let k = 0; k < starts.length; k++) {
    const axis = normalizeAxis(at(axes, k), shape.length);
    const step = at(steps, k);
    if (axis === undefined || step === 0 || ranges[axis] !== undefined) return bad;
    const d = dimAt(shape, axis);
    const s = at(starts, k);
    const e = at(ends, k);
    if (typeof d !== 'number') {
      if (s === 0 && e >= TO_END && step === 1) continue;
      return `cannot slice symbolic axis ${axis} of ${showShape(shape)}`;
    }
    const clampTo = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + d : v));
    const start = step > 0 ? clampTo(s, 0, d) : clampTo(s, 0, d - 1);
    const end = step > 0 ? clampTo(e, 0, d) : clampTo(e, -1, d - 1);
    ranges[axis] = { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  }
  return ranges;
}

/** Copies the box selected by `ranges` (one per axis) out of t. */
function gatherBox(t: Tensor, ranges: readonly Range[]): Tensor {
  const shape = ranges.map((r) => r.count);
  const strides = stridesOf(t.shape);
  const outStrides = stridesOf(shape);
  const data = new Float64Array(sizeOf(shape));
  for (let f = 0; f < data.length; f++) {
    let src = 0;
    ranges.forEach((r, i) => {
      const k = Math.floor(f / at(outStrides, i)) % at(shape, i);
      src += (r.start + k * r.step) * at(strides, i);
    });
    data[f] = at(t.data, src);
  }
  return { dtype: t.dtype, shape, data };
}

// GatherElements and ScatterElements (reduction 'none' or 'add'), each the other's adjoint, and
// GatherRows (rows of a tensor by constant indices; its adjoint scatter-adds them back).
// MaxPool's backward uses ScatterElements(add); the pair also serves embeddings and top-k later.

import { type OpDef, type TypedShape, type Value, intAttr, intsAttr, shapeError, stringAttr } from '../ir';
import { normalizeAxis, sameShape, showShape } from '../shape';
import { type Tensor, at, stridesOf } from '../tensor';
import { expand, zerosLike } from './expand';

export const GatherElements: OpDef = {
  name: 'GatherElements',
  attrTypes: { axis: 'int' },
  inferShape: ([data, indices], attrs) => {
    const bad = checkIndexed('GatherElements', data, indices, intAttr(attrs, 'axis', 0));
    if (bad !== undefined || data === undefined || indices === undefined) return bad ?? shapeError('GatherElements', 'needs (data, indices)');
    return [{ shape: indices.shape, dtype: data.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [data, indices] = node.inputs;
    if (!needs[0] || g === undefined || data === undefined || indices === undefined) return [undefined, undefined];
    return [scatterElements(zerosLike(data), indices, g, intAttr(node.attrs, 'axis', 0), 'add'), undefined];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([data, indices], attrs) => {
    const d = need(data);
    const idx = need(indices);
    const out = new Float64Array(idx.data.length);
    forEachTarget(d, idx, intAttr(attrs, 'axis', 0), (src, target) => (out[src] = at(d.data, target)));
    return [{ dtype: d.dtype, shape: [...idx.shape], data: out }];
  },
};

export const ScatterElements: OpDef = {
  name: 'ScatterElements',
  attrTypes: { axis: 'int', reduction: 'string' },
  inferShape: ([data, indices, updates], attrs) => {
    const bad = checkIndexed('ScatterElements', data, indices, intAttr(attrs, 'axis', 0));
    if (bad !== undefined || data === undefined || indices === undefined || updates === undefined) return bad ?? shapeError('ScatterElements', 'needs (data, indices, updates)');
    if (!sameShape(indices.shape, updates.shape) || updates.dtype !== data.dtype) {
      return shapeError('ScatterElements', `updates ${showShape(updates.shape)} must match indices ${showShape(indices.shape)} and data's dtype`);
    }
    const reduction = stringAttr(attrs, 'reduction', 'none');
    if (reduction !== 'none' && reduction !== 'add') return shapeError('ScatterElements', `reduction ${reduction} is not supported`);
    return [{ shape: data.shape, dtype: data.dtype }];
  },
  // 'add': d data = g, d updates = gather(g). 'none' (unique indices): overwritten slots get no gradient.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [, indices, updates] = node.inputs;
    if (g === undefined || indices === undefined || updates === undefined) return [undefined, undefined, undefined];
    const axis = intAttr(node.attrs, 'axis', 0);
    const add = stringAttr(node.attrs, 'reduction', 'none') === 'add';
    return [
      needs[0] ? (add ? g : scatterElements(g, indices, zerosLike(updates), axis, 'none')) : undefined,
      undefined,
      needs[2] ? gatherElements(g, indices, axis) : undefined,
    ];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([data, indices, updates], attrs) => {
    const d = need(data);
    const u = need(updates);
    const out = Float64Array.from(d.data);
    const add = stringAttr(attrs, 'reduction', 'none') === 'add';
    forEachTarget(d, need(indices), intAttr(attrs, 'axis', 0), (src, target) => {
      out[target] = add ? at(out, target) + at(u.data, src) : at(u.data, src);
    });
    return [{ dtype: d.dtype, shape: [...d.shape], data: out }];
  },
};

/**
 * Rows of data [N, …] picked by constant indices (our own op, emitted as ONNX Gather on axis 0 with
 * an int64 initializer): out [K, …]. Each row is one contiguous block, so onnxruntime copies
 * whole rows where a Gather on an inner axis copies element by element (patch extraction,
 * conv-cols.ts). The adjoint scatter-adds the rows of g back (ScatterElements 'add').
 */
export const GatherRows: OpDef = {
  name: 'GatherRows',
  attrTypes: { indices: 'ints' },
  inferShape: ([data], attrs) => {
    if (data === undefined) return shapeError('GatherRows', 'needs data');
    const n = data.shape[0];
    const indices = intsAttr(attrs, 'indices', []);
    if (typeof n !== 'number' || indices.length === 0 || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
      return shapeError('GatherRows', `indices must lie in [0, ${String(n)}) on the static first axis of ${showShape(data.shape)}`);
    }
    return [{ shape: [indices.length, ...data.shape.slice(1)], dtype: data.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    const data = node.inputs[0];
    if (!needs[0] || g === undefined || data === undefined) return [undefined];
    const indices = intsAttr(node.attrs, 'indices', []);
    const column = data.graph.constant({ dtype: 'int64', shape: [indices.length, ...g.shape.slice(1).map(() => 1)], data: Float64Array.from(indices) });
    return [scatterElements(zerosLike(data), expand(column, g), g, 0, 'add')];
  },
  emitOnnx: (e, node) => e.node('Gather', [e.input(0), e.int64s(intsAttr(node.attrs, 'indices', []))], [e.output(0)], { axis: { type: 'int', value: 0 } }),
  evaluate: ([data], attrs) => {
    const d = need(data);
    const indices = intsAttr(attrs, 'indices', []);
    const row = d.data.length / at(d.shape, 0);
    const out = new Float64Array(indices.length * row);
    indices.forEach((i, k) => out.set(d.data.subarray(i * row, (i + 1) * row), k * row));
    return [{ dtype: d.dtype, shape: [indices.length, ...d.shape.slice(1)], data: out }];
  },
};

export function gatherRows(data: Value, indices: readonly number[]): Value {
  return data.graph.apply1(GatherRows, [data], { indices });
}

export function gatherElements(data: Value, indices: Value, axis: number): Value {
  return data.graph.apply1(GatherElements, [data, indices], { axis });
}

export function scatterElements(data: Value, indices: Value, updates: Value, axis: number, reduction: 'none' | 'add'): Value {
  return data.graph.apply1(ScatterElements, [data, indices, updates], { axis, reduction });
}

function checkIndexed(op: string, data: TypedShape | undefined, indices: TypedShape | undefined, axis: number) {
  if (data === undefined || indices === undefined) return shapeError(op, 'needs (data, indices, …)');
  if (indices.dtype !== 'int64') return shapeError(op, `indices must be int64, got ${indices.dtype}`);
  if (data.shape.length !== indices.shape.length) return shapeError(op, `data ${showShape(data.shape)} and indices ${showShape(indices.shape)} differ in rank`);
  if (normalizeAxis(axis, data.shape.length) === undefined) return shapeError(op, `axis ${axis} out of range for ${showShape(data.shape)}`);
  return undefined;
}

/** Calls f(i, target) for each flat index i of `indices`: target is i's position in data with the axis coordinate replaced. */
function forEachTarget(data: Tensor, indices: Tensor, axisAttr: number, f: (i: number, target: number) => void): void {
  const axis = normalizeAxis(axisAttr, data.shape.length) ?? 0;
  const idxStrides = stridesOf(indices.shape);
  const dataStrides = stridesOf(data.shape);
  const extent = at(data.shape, axis);
  for (let i = 0; i < indices.data.length; i++) {
    let target = 0;
    for (let k = 0; k < indices.shape.length; k++) {
      let coord = Math.floor(i / at(idxStrides, k)) % at(indices.shape, k);
      if (k === axis) {
        const v = at(indices.data, i);
        coord = v < 0 ? v + extent : v;
        if (coord < 0 || coord >= extent) throw new Error(`index ${v} out of range ${extent}`);
      }
      target += coord * at(dataStrides, k);
    }
    f(i, target);
  }
}

function need(t: Tensor | undefined): Tensor {
  if (t === undefined) throw new Error('missing input');
  return t;
}

// 2-D Conv and ConvTranspose (NCHW). Each is the other's adjoint in its data input, and both
// weight gradients are convWeightGrad: a GEMM over the input's patches where they fit
// (conv-weight-cols.ts), else one Conv of the transposed activations. `conv()` builds a
// small dense convolution with a run-time weight as a GEMM by its Toeplitz matrix instead
// (conv-dense.ts), so that its forward and backward passes share that matrix.
// A convolution over a graph input with few taps becomes a GEMM over X's patches (conv-cols.ts).

import { type Attrs, type Dim, type InferResult, type OnnxAttr, type OpDef, type TypedShape, type Value, intAttr, intsAttr, isShapeError, shapeError } from '../ir';
import { dimAt, showShape } from '../shape';
import { present } from './binary';
import { colsConv, colsConvPlan } from './conv-cols';
import { colsWeightGrad } from './conv-weight-cols';
import { denseConv, denseConvPlan } from './conv-dense';
import { type ConvParams, evaluateConv, evaluateConvTranspose } from './conv-eval';
import { concat, slice } from './slice';
import { reduceSum } from './reduce';
import { transpose } from './reshape';

export const Conv: OpDef = {
  name: 'Conv',
  attrTypes: { strides: 'ints', pads: 'ints', dilations: 'ints', group: 'int' },
  inferShape: (ins, attrs) => inferConv('Conv', ins, attrs, false),
  // dX = ConvTranspose(g, W) with output_padding restoring the input size; dW = convWeightGrad(X, g).
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [x, w, b] = node.inputs;
    if (g === undefined || x === undefined || w === undefined) return [undefined, undefined, undefined];
    const p = convParams(node.attrs);
    const outputPadding = ([0, 1] as const).map((i) => {
      const k = staticDim(w.shape, 2 + i);
      const expected = p.strides[i] * (staticDim(g.shape, 2 + i) - 1) + (k - 1) * p.dilations[i] + 1 - padPair(p, i);
      return staticDim(x.shape, 2 + i) - expected;
    });
    return [
      needs[0] ? convTranspose(g, w, { ...p, outputPadding }) : undefined,
      needs[1] ? convWeightGrad(x, g, [staticDim(w.shape, 2), staticDim(w.shape, 3)], p) : undefined,
      needs[2] && b ? reduceSum(g, [0, 2, 3], false) : undefined,
    ].slice(0, node.inputs.length); // B is optional
  },
  // NOTE: onnxruntime's PadFusion (graph optimization level basic and up, 1.30) folds a Pad into
  // the Conv it feeds without checking which input: a Pad feeding the weight (second-order
  // gradients of a strided conv build one) leaves a dangling input and session creation fails.
  // A Reshape to the same shape in between keeps the fusion away. The transpose optimizer moves
  // Transposes past a Pad first, and the fusion looks through a Cast, so a Pad behind those counts too.
  emitOnnx: (e, node) => {
    const w = node.inputs[1];
    if (w === undefined) return e.asIs(node);
    if (!paddedBehindTransposes(w)) return e.asIs(node);
    const guarded = e.temp('weight');
    e.node('Reshape', [e.input(1), e.int64s(w.shape.map((d) => (typeof d === 'number' ? d : 0)))], [guarded]);
    const inputs = node.inputs.map((_, i) => (i === 1 ? guarded : e.input(i)));
    e.node('Conv', inputs, [e.output(0)], convOnnxAttrs(node.attrs));
  },
  evaluate: ([x, w, b], attrs) => [evaluateConv(need(x), need(w), b, convParams(attrs))],
};

export const ConvTranspose: OpDef = {
  name: 'ConvTranspose',
  attrTypes: { strides: 'ints', pads: 'ints', dilations: 'ints', group: 'int', output_padding: 'ints' },
  inferShape: (ins, attrs) => inferConv('ConvTranspose', ins, attrs, true),
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [x, w, b] = node.inputs;
    if (g === undefined || x === undefined || w === undefined) return [undefined, undefined, undefined];
    const p = convParams(node.attrs);
    return [
      needs[0] ? conv(g, w, p) : undefined,
      needs[1] ? convWeightGrad(g, x, [staticDim(w.shape, 2), staticDim(w.shape, 3)], p) : undefined,
      needs[2] && b ? reduceSum(g, [0, 2, 3], false) : undefined,
    ].slice(0, node.inputs.length); // B is optional
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([x, w, b], attrs) => [evaluateConvTranspose(need(x), need(w), b, convParams(attrs), outputPaddingOf(attrs))],
};

/** Whether v is a Pad's output, possibly through Transposes, Casts and Identities. */
function paddedBehindTransposes(v: Value): boolean {
  for (let at: Value | undefined = v; at?.source.kind === 'node'; at = at.source.node.inputs[0]) {
    const op = at.source.node.op.name;
    if (op === 'Pad') return true;
    if (op !== 'Transpose' && op !== 'Cast' && op !== 'Identity') return false;
  }
  return false;
}

/** Conv's IR attributes as ONNX attributes (all ints or int, as `attrTypes` says). */
function convOnnxAttrs(attrs: Attrs): Record<string, OnnxAttr> {
  const out: Record<string, OnnxAttr> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (Array.isArray(v)) out[k] = { type: 'ints', value: [...v] };
    else if (typeof v === 'number') out[k] = { type: 'int', value: v };
  }
  return out;
}

export interface ConvOptions {
  readonly strides?: readonly number[];
  readonly pads?: readonly number[];
  readonly dilations?: readonly number[];
  readonly group?: number;
}

/**
 * A convolution as models build it. A small dense one whose weight is computed at run time
 * (training, evaluation) becomes one GEMM over the batch by its Toeplitz matrix (conv-dense.ts); a
 * weight fixed by constants (an exported model) keeps the Conv.
 */
export function conv(x: Value, w: Value, o: ConvOptions = {}, b?: Value): Value {
  const attrs = convAttrs(o);
  const shape = Conv.inferShape([x, w, ...(b ? [b] : [])], attrs);
  const dense = x.valid && w.valid && fromInputs(w) && !isShapeError(shape) ? denseConvPlan(x, w, convParams(attrs)) : undefined;
  const out = !isShapeError(shape) ? shape[0]?.shape : undefined;
  if (dense && out) return denseConv(x, w, dense, [staticDim(out, 2), staticDim(out, 3)], b);
  const cols = x.valid && w.valid && fromInputs(w) && out ? colsConvPlan(x, w, convParams(attrs), [staticDim(out, 2), staticDim(out, 3)]) : undefined;
  if (cols) return colsConv(x, w, cols, b);
  return convOp(x, w, o, b);
}

/** Always a Conv node (the op itself, whatever its size). */
export function convOp(x: Value, w: Value, o: ConvOptions = {}, b?: Value): Value {
  return x.graph.apply1(Conv, b ? [x, w, b] : [x, w], convAttrs(o));
}

/** Whether v depends on a graph input (rather than on constants alone). */
function fromInputs(v: Value): boolean {
  const seen = new Set<number>();
  const stack = [v];
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    if (at.source.kind === 'input') return true;
    if (at.source.kind !== 'node' || seen.has(at.id)) continue;
    seen.add(at.id);
    stack.push(...at.source.node.inputs);
  }
  return false;
}


export function convTranspose(x: Value, w: Value, o: ConvOptions & { readonly outputPadding?: readonly number[] } = {}, b?: Value): Value {
  return x.graph.apply1(ConvTranspose, b ? [x, w, b] : [x, w], { ...convAttrs(o), output_padding: o.outputPadding ?? [0, 0] });
}

/**
 * dW[m, c, k] = Σ_n,o dY[n, m, o] · X[n, c, o·s + k·d − pad]: one GEMM over X's patches where
 * they fit (conv-weight-cols.ts), else a Conv of Xᵀ (channels ↔ batch) by dYᵀ with strides and
 * dilations swapped, cropped to the kernel size, groups one by one (swappedConvWeightGrad).
 */
export function convWeightGrad(x: Value, dy: Value, kernel: readonly [number, number], p: ConvParams): Value {
  // A GEMM over X's patches where it fits (conv-weight-cols.ts): the swapped Conv is far slower.
  return colsWeightGrad(x, dy, kernel, p) ?? swappedConvWeightGrad(x, dy, kernel, p);
}

/** convWeightGrad's general form: a Conv of Xᵀ by dYᵀ (any group, any dims). */
export function swappedConvWeightGrad(x: Value, dy: Value, kernel: readonly [number, number], p: ConvParams): Value {
  // Channels must be static only when split into groups (a gradient-of-gradient has B as channels).
  const cg = p.group === 1 ? 0 : staticDim(x.shape, 1) / p.group;
  const mg = p.group === 1 ? 0 : staticDim(dy.shape, 1) / p.group;
  const parts: Value[] = [];
  for (let grp = 0; grp < p.group; grp++) {
    const xg = p.group === 1 ? x : slice(x, [grp * cg], [(grp + 1) * cg], [1]);
    const dg = p.group === 1 ? dy : slice(dy, [grp * mg], [(grp + 1) * mg], [1]);
    const r = conv(transpose(xg, [1, 0, 2, 3]), transpose(dg, [1, 0, 2, 3]), {
      strides: p.dilations,
      dilations: p.strides,
      pads: p.pads,
    });
    const fits = staticDim(r.shape, 2) === kernel[0] && staticDim(r.shape, 3) === kernel[1];
    const cropped = fits ? r : slice(r, [0, 0], [kernel[0], kernel[1]], [2, 3]);
    parts.push(transpose(cropped, [1, 0, 2, 3]));
  }
  return parts.length === 1 ? (parts[0] as Value) : concat(parts, 0);
}

export function convParams(attrs: Attrs): ConvParams {
  const s = intsAttr(attrs, 'strides', [1, 1]);
  const p = intsAttr(attrs, 'pads', [0, 0, 0, 0]);
  const d = intsAttr(attrs, 'dilations', [1, 1]);
  return {
    strides: [s[0] ?? 1, s[1] ?? 1],
    pads: [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0],
    dilations: [d[0] ?? 1, d[1] ?? 1],
    group: intAttr(attrs, 'group', 1),
  };
}

function convAttrs(o: ConvOptions): Attrs {
  return { strides: o.strides ?? [1, 1], pads: o.pads ?? [0, 0, 0, 0], dilations: o.dilations ?? [1, 1], group: o.group ?? 1 };
}

function outputPaddingOf(attrs: Attrs): [number, number] {
  const op = intsAttr(attrs, 'output_padding', [0, 0]);
  return [op[0] ?? 0, op[1] ?? 0];
}

function padPair(p: ConvParams, axis: 0 | 1): number {
  return axis === 0 ? p.pads[0] + p.pads[2] : p.pads[1] + p.pads[3];
}

function inferConv(op: string, [x, w, b]: readonly TypedShape[], attrs: Attrs, transposed: boolean): InferResult {
  if (x === undefined || w === undefined) return shapeError(op, 'needs (X, W[, B])');
  const shapes = `X ${showShape(x.shape)}, W ${showShape(w.shape)}`;
  if (x.shape.length !== 4 || w.shape.length !== 4) return shapeError(op, `only 2-D convolution (4-D tensors) is supported: ${shapes}`);
  const p = convParams(attrs);
  const spatial = [x.shape[2], x.shape[3], w.shape[2], w.shape[3]];
  if (!spatial.every((d): d is number => typeof d === 'number')) return shapeError(op, `spatial dims must be static: ${shapes}`);
  const c = dimAt(x.shape, 1);
  const wc = dimAt(w.shape, transposed ? 0 : 1);
  const channelsFit = p.group === 1 ? c === wc : typeof c === 'number' && typeof wc === 'number' && (transposed ? c === wc : c === wc * p.group);
  const wOut = dimAt(w.shape, transposed ? 1 : 0);
  if (!channelsFit || (transposed && typeof c === 'number' && c % p.group !== 0)) return shapeError(op, `channels do not match (group ${p.group}): ${shapes}`);
  const m: Dim = transposed ? (typeof wOut === 'number' ? wOut * p.group : wOut) : wOut;
  if (!transposed && typeof m === 'number' && m % p.group !== 0) return shapeError(op, `output channels ${m} not divisible by group ${p.group}`);
  if (b !== undefined && (b.shape.length !== 1 || b.shape[0] !== m)) return shapeError(op, `bias ${showShape(b.shape)} must be [${m}]`);
  const op2 = outputPaddingOf(attrs);
  const out = ([0, 1] as const).map((i) => {
    const size = spatial[i] as number;
    const k = spatial[2 + i] as number;
    const ext = (k - 1) * p.dilations[i] + 1;
    return transposed
      ? p.strides[i] * (size - 1) + (op2[i] ?? 0) + ext - padPair(p, i)
      : Math.floor((size + padPair(p, i) - ext) / p.strides[i]) + 1;
  });
  if (out.some((d) => d < 1)) return shapeError(op, `output would be empty: ${shapes}`);
  return [{ shape: [dimAt(x.shape, 0), m, ...out], dtype: x.dtype }];
}

function staticDim(shape: readonly Dim[], i: number): number {
  const d = dimAt(shape, i);
  if (typeof d !== 'number') throw new Error(`Conv: dim ${i} of ${showShape(shape)} must be static`);
  return d;
}

function need<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('Conv: missing input');
  return x;
}

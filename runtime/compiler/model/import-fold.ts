// Import-time evaluation of what an exported graph computes from shapes and constants. PyTorch
// writes `x.view(b, l, h, d)` as Shape → Gather → Unsqueeze → Concat → Reshape, so that the file
// works for any batch size; the IR instead has static shapes with one symbolic batch dim, so
// these subgraphs are folded when the forward pass is built: `Shape` of a [16, B, 64] value is the
// known vector [16, B, 64], `Gather` picks B, `Mul` by 4 gives B*4 (a scaled symbol, as
// shape.ts writes it), and the Reshape that reads the result gets a static target. Values that
// hold only numbers fold too (they are materialized as constants where a tensor op reads them).
// Arithmetic the symbolic batch cannot take (B·B, B + 1, B = 3?) is an ImportProblem naming the node.

import type { Dim, Shape } from '../ir';
import type { OnnxAttribute, OnnxNode } from '../onnx/decode';
import { normalizeAxis, scaledSymbol, symbolParts } from '../shape';
import { ImportProblem } from './import-ops';

/** A value known at import: its static dims and row-major elements (numbers, or the batch symbol). */
export interface Known {
  readonly dims: readonly number[];
  readonly values: readonly Dim[];
  readonly type: 'int' | 'float' | 'bool';
}

/** What folding reads: an input's known value, or (for Shape) its static shape. */
export interface FoldInputs {
  known(i: number): Known | undefined;
  shape(i: number): Shape | undefined;
}

/** The ONNX operators that are folded where their inputs are known. */
export const FOLDABLE_OPS: readonly string[] = [
  'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Slice', 'Cast', 'Reshape', 'Identity',
  'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Sqrt', 'Floor', 'Ceil', 'Equal', 'Where', 'ConstantOfShape', 'Range',
];

/**
 * The node's outputs when it can be evaluated now: Shape of any value with a static shape, any
 * other foldable op whose present inputs are all known. Undefined otherwise (the op is built).
 */
export function foldNode(node: OnnxNode, label: string, inputs: FoldInputs): Known[] | undefined {
  const problem = (why: string): ImportProblem => new ImportProblem(`${node.opType} node ${label} ${why}`);
  if (node.opType === 'Shape') {
    const shape = inputs.known(0)?.dims ?? inputs.shape(0);
    if (shape === undefined) return undefined;
    const rank = shape.length;
    const clampAxis = (a: number): number => Math.max(0, Math.min(rank, a < 0 ? a + rank : a));
    const start = clampAxis(intAttr(node, 'start', 0, problem));
    const end = clampAxis(intAttr(node, 'end', rank, problem));
    const values = shape.slice(start, Math.max(start, end));
    return [{ dims: [values.length], values, type: 'int' }];
  }
  if (!FOLDABLE_OPS.includes(node.opType)) return undefined;
  const present = node.inputs.map((name, i) => (name === '' ? undefined : i)).filter((i): i is number => i !== undefined);
  const ins = new Map<number, Known>();
  for (const i of present) {
    const k = inputs.known(i);
    if (k === undefined) return undefined;
    ins.set(i, k);
  }
  if (ins.size === 0) return undefined;
  return [fold(node, (i) => ins.get(i), problem)];
}

type Get = (i: number) => Known | undefined;
type Problem = (why: string) => ImportProblem;

function fold(node: OnnxNode, get: Get, problem: Problem): Known {
  const need = (i: number): Known => {
    const k = get(i);
    if (k === undefined) throw problem(`has no input ${i}`);
    return k;
  };
  const numbers = (i: number, what: string): number[] => need(i).values.map((d) => numeric(d, problem, what));
  switch (node.opType) {
    case 'Identity':
      return need(0);
    case 'Gather':
      return gather(need(0), need(1), intAttr(node, 'axis', 0, problem), problem);
    case 'Unsqueeze': {
      const x = need(0);
      const rank = x.dims.length + numbers(1, 'axes').length;
      const axes = numbers(1, 'axes').map((a) => axisOf(a, rank, problem));
      const rest = [...x.dims];
      return { ...x, dims: Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : (rest.shift() ?? 1))) };
    }
    case 'Squeeze': {
      const x = need(0);
      const axes = get(1) === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : numbers(1, 'axes').map((a) => axisOf(a, x.dims.length, problem));
      return { ...x, dims: x.dims.filter((_, i) => !axes.includes(i)) };
    }
    case 'Concat':
      return concat(node.inputs.map((_, i) => need(i)), intAttr(node, 'axis', 0, problem), problem);
    case 'Slice':
      return slice1d(need(0), numbers(1, 'starts'), numbers(2, 'ends'), get(3) ? numbers(3, 'axes') : undefined, get(4) ? numbers(4, 'steps') : undefined, problem);
    case 'Cast':
      return cast(need(0), intAttr(node, 'to', 1, problem), problem);
    case 'Reshape':
      return reshapeKnown(need(0), numbers(1, 'shape'), problem);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Equal':
      return binary(node.opType, need(0), need(1), problem);
    case 'Neg':
    case 'Sqrt':
    case 'Floor':
    case 'Ceil': {
      const x = need(0);
      const f = { Neg: (v: number) => -v, Sqrt: Math.sqrt, Floor: Math.floor, Ceil: Math.ceil }[node.opType];
      return { ...x, values: x.values.map((d) => f(numeric(d, problem, 'its input'))) };
    }
    case 'Where': {
      const [c, a, b] = [need(0), need(1), need(2)];
      const n = Math.max(c.values.length, a.values.length, b.values.length);
      const dims = [c, a, b].find((k) => k.values.length === n)?.dims ?? [];
      const pick = (k: Known, i: number): Dim => elementAt(k, i, n, problem);
      return { dims, values: Array.from({ length: n }, (_, i) => (numeric(pick(c, i), problem, 'its condition') !== 0 ? pick(a, i) : pick(b, i))), type: a.type };
    }
    case 'ConstantOfShape': {
      const dims = numbers(0, 'shape');
      const v = node.attrs.get('value');
      const fill = v?.kind === 'tensor' ? (v.value.data[0] ?? 0) : 0;
      const type = v?.kind === 'tensor' && (v.value.type === 'int64' || v.value.type === 'int32') ? 'int' : v?.kind === 'tensor' && v.value.type === 'bool' ? 'bool' : 'float';
      return { dims, values: new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(fill), type };
    }
    case 'Range': {
      const [start, limit, delta] = [0, 1, 2].map((i) => numbers(i, 'its bounds')[0] ?? 0) as [number, number, number];
      if (delta === 0) throw problem('has a zero step');
      const n = Math.max(0, Math.ceil((limit - start) / delta));
      return { dims: [n], values: Array.from({ length: n }, (_, i) => start + i * delta), type: need(0).type };
    }
  }
  throw problem('cannot be folded at import');
}

function numeric(d: Dim, problem: Problem, what: string): number {
  if (typeof d !== 'number') throw problem(`needs ${what} as numbers, but it depends on the batch size (${d})`);
  return d;
}

function intAttr(node: OnnxNode, name: string, fallback: number, problem: Problem): number {
  const a: OnnxAttribute | undefined = node.attrs.get(name);
  if (a === undefined) return fallback;
  if (a.kind !== 'int') throw problem(`has attribute ${name} of kind ${a.kind}, expected an int`);
  return a.value;
}

function axisOf(a: number, rank: number, problem: Problem): number {
  const n = normalizeAxis(a, rank);
  if (n === undefined) throw problem(`has axis ${a} out of range for rank ${rank}`);
  return n;
}

function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function gather(data: Known, indices: Known, axisAttr: number, problem: Problem): Known {
  const axis = axisOf(axisAttr, data.dims.length, problem);
  const n = data.dims[axis] ?? 1;
  const inner = sizeOf(data.dims.slice(axis + 1));
  const outer = sizeOf(data.dims.slice(0, axis));
  const picks = indices.values.map((d) => {
    const i = numeric(d, problem, 'its indices');
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw problem(`has index ${i} out of range for a dim of ${n}`);
    return k;
  });
  const values: Dim[] = [];
  for (let o = 0; o < outer; o++) for (const k of picks) for (let j = 0; j < inner; j++) values.push(data.values[(o * n + k) * inner + j] as Dim);
  return { dims: [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)], values, type: data.type };
}

function concat(parts: readonly Known[], axisAttr: number, problem: Problem): Known {
  const first = parts[0];
  if (first === undefined) throw problem('has no inputs');
  const axis = axisOf(axisAttr, first.dims.length, problem);
  const outer = sizeOf(first.dims.slice(0, axis));
  const values: Dim[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = sizeOf(p.dims.slice(axis));
      values.push(...p.values.slice(o * chunk, (o + 1) * chunk));
    }
  }
  const dims = [...first.dims];
  dims[axis] = parts.reduce((s, p) => s + (p.dims[axis] ?? 0), 0);
  return { dims, values, type: first.type };
}

function slice1d(x: Known, starts: readonly number[], ends: readonly number[], axes: readonly number[] | undefined, steps: readonly number[] | undefined, problem: Problem): Known {
  if (x.dims.length !== 1 || (axes !== undefined && axes.some((a) => a !== 0 && a !== -1))) throw problem('slices a known value of rank other than 1');
  const n = x.values.length;
  const step = steps?.[0] ?? 1;
  if (step === 0) throw problem('has a zero step');
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v < 0 ? v + n : v));
  const values: Dim[] = [];
  if (step > 0) for (let i = clamp(starts[0] ?? 0, 0, n); i < clamp(ends[0] ?? n, 0, n); i += step) values.push(x.values[i] as Dim);
  else for (let i = clamp(starts[0] ?? n - 1, -1, n - 1); i > clamp(ends[0] ?? -1, -1, n - 1); i += step) values.push(x.values[i] as Dim);
  return { dims: [values.length], values, type: x.type };
}

function cast(x: Known, to: number, problem: Problem): Known {
  // TensorProto.DataType: 1 float, 10 float16, 11 double; 2–7 and 12–13 integers; 9 bool.
  if (to === 1 || to === 10 || to === 11) return { ...x, type: 'float' };
  if (to === 9) return { ...x, values: x.values.map((d) => (typeof d === 'number' ? (d !== 0 ? 1 : 0) : 1)), type: 'bool' };
  if ([2, 3, 4, 5, 6, 7, 12, 13].includes(to)) return { ...x, values: x.values.map((d) => (typeof d === 'number' ? Math.trunc(d) : d)), type: 'int' };
  throw problem(`casts to element type ${to}`);
}

function reshapeKnown(x: Known, target: readonly number[], problem: Problem): Known {
  const n = x.values.length;
  const dims = target.map((t, i) => (t === 0 ? (x.dims[i] ?? 0) : t));
  const hole = dims.indexOf(-1);
  if (hole >= 0) {
    const rest = sizeOf(dims.filter((_, i) => i !== hole));
    dims[hole] = rest === 0 ? 0 : n / rest;
  }
  if (sizeOf(dims) !== n || !dims.every((d) => Number.isInteger(d) && d >= 0)) throw problem(`cannot reshape a known value of ${n} elements to [${target.join(',')}]`);
  return { ...x, dims };
}

function elementAt(k: Known, i: number, n: number, problem: Problem): Dim {
  if (k.values.length === n) return k.values[i] as Dim;
  if (k.values.length === 1) return k.values[0] as Dim;
  throw problem('broadcasts known values of other shapes than equal or scalar');
}

function binary(op: 'Add' | 'Sub' | 'Mul' | 'Div' | 'Equal', a: Known, b: Known, problem: Problem): Known {
  const n = Math.max(a.values.length, b.values.length);
  const big = a.values.length !== b.values.length ? (a.values.length === n ? a : b) : a.dims.length >= b.dims.length ? a : b;
  const float = a.type === 'float' || b.type === 'float';
  const values = Array.from({ length: n }, (_, i) => dimArith(op, elementAt(a, i, n, problem), elementAt(b, i, n, problem), float, problem));
  return { dims: big.dims, values, type: op === 'Equal' ? 'bool' : float ? 'float' : 'int' };
}

/** One element of Add/Sub/Mul/Div/Equal, where either side may be the batch symbol (times a factor). */
function dimArith(op: 'Add' | 'Sub' | 'Mul' | 'Div' | 'Equal', x: Dim, y: Dim, float: boolean, problem: Problem): Dim {
  if (typeof x === 'number' && typeof y === 'number') {
    switch (op) {
      case 'Add':
        return x + y;
      case 'Sub':
        return x - y;
      case 'Mul':
        return x * y;
      case 'Div':
        if (y === 0) throw problem('divides by zero');
        // ONNX integer division truncates, as C does.
        return float ? x / y : Math.trunc(x / y);
      case 'Equal':
        return x === y ? 1 : 0;
    }
  }
  const unsupported = (): ImportProblem => problem(`computes ${x} ${op} ${y} from the batch size, which Minima cannot express in a static shape`);
  if (op === 'Equal') {
    if (x === y) return 1;
    // A batch is at least 1 example: exporters test dims against -1 and 0 (Where(Equal(shape, -1), …)).
    const other = typeof x === 'number' ? x : y;
    if (typeof other === 'number' && other <= 0) return 0;
    throw unsupported();
  }
  if ((op === 'Add' || op === 'Sub') && (y === 0 || (op === 'Add' && x === 0))) return y === 0 ? x : y;
  if (op === 'Mul') {
    const [s, k] = typeof x === 'string' ? [x, y] : [y, x];
    if (typeof s !== 'string' || typeof k !== 'number') throw unsupported();
    if (k === 0) return 0;
    if (!Number.isInteger(k) || k < 0) throw unsupported();
    const { base, factor } = symbolParts(s);
    return scaledSymbol(base, factor * k);
  }
  if (op === 'Div' && typeof x === 'string' && typeof y === 'number') {
    const { base, factor } = symbolParts(x);
    if (y > 0 && factor % y === 0) return scaledSymbol(base, factor / y);
  }
  throw unsupported();
}

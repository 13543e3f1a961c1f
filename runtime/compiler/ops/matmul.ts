// MatMul (numpy semantics for rank >= 2, batch dims broadcast) and Gemm (2-D, alpha/beta/transA/transB).

import { type Attrs, type Node, type OnnxEmitter, type OpDef, type Value, intAttr, shapeError } from '../ir';
import { broadcastShapes, dimAt, showShape } from '../shape';
import { type Tensor, at, broadcastConcrete, broadcastIndex, sizeOf } from '../tensor';
import { mul, present } from './binary';
import { sumToShape } from './expand';
import { transpose } from './reshape';

export const MatMul: OpDef = {
  name: 'MatMul',
  attrTypes: {},
  inferShape: ([a, b]) => {
    if (a === undefined || b === undefined) return shapeError('MatMul', 'needs two inputs');
    const mismatch = shapeError('MatMul', `cannot multiply ${showShape(a.shape)} by ${showShape(b.shape)}`);
    if (a.dtype !== b.dtype) return shapeError('MatMul', `dtypes differ: ${a.dtype} and ${b.dtype}`);
    if (a.shape.length < 2 || b.shape.length < 2) return shapeError('MatMul', `1-D operands are not supported yet: ${showShape(a.shape)} by ${showShape(b.shape)}`);
    if (dimAt(a.shape, a.shape.length - 1) !== dimAt(b.shape, b.shape.length - 2)) return mismatch;
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (typeof batch === 'string') return mismatch;
    return [{ shape: [...batch, dimAt(a.shape, a.shape.length - 2), dimAt(b.shape, b.shape.length - 1)], dtype: a.dtype }];
  },
  // dA = g·Bᵀ, dB = Aᵀ·g, each summed over broadcast batch dims.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b] = node.inputs;
    if (g === undefined || a === undefined || b === undefined) return [undefined, undefined];
    return [
      needs[0] ? sumToShape(matmul(g, swapLast(b)), a.shape) : undefined,
      needs[1] ? (b.shape.length === 2 && a.shape.length > 2 && b.shape.every((d) => typeof d === 'number') ? contractRows(a, g) : sumToShape(matmul(swapLast(a), g), b.shape)) : undefined,
    ];
  },
  emitOnnx: (e, node) => e.asIs(node),
  evaluate: ([a, b]) => [evaluateMatMul(present(a), present(b))],
};

/**
 * Σ over every leading index of aᵀ·g, for a [..., K] and g [..., N] with the same leading dims:
 * the gradient of a 2-D weight B in MatMul(A, B) with a batched A (our own op). Emitted as one GEMM
 * over all rows, Reshape(A, [-1, K])ᵀ · Reshape(g, [-1, N]), where a batched MatMul and a
 * ReduceSum would run one small GEMM per batch entry.
 */
export const ContractRows: OpDef = {
  name: 'ContractRows',
  attrTypes: {},
  inferShape: ([a, g]) => {
    if (a === undefined || g === undefined) return shapeError('ContractRows', 'needs (A, g)');
    const [ra, rg] = [a.shape.length, g.shape.length];
    const leading = ra === rg && ra >= 2 && a.shape.slice(0, -1).every((d, i) => d === g.shape[i]);
    if (!leading || a.dtype !== g.dtype) return shapeError('ContractRows', `leading dims of ${showShape(a.shape)} and ${showShape(g.shape)} differ`);
    const [k, n] = [dimAt(a.shape, ra - 1), dimAt(g.shape, rg - 1)];
    if (typeof k !== 'number' || typeof n !== 'number') return shapeError('ContractRows', `the last dims of ${showShape(a.shape)} and ${showShape(g.shape)} must be static`);
    return [{ shape: [k, n], dtype: a.dtype }];
  },
  // Bilinear: with u the gradient of the [K, N] result, dA = g·uᵀ and dg = A·u, row by row.
  backward: ({ node, gradOutputs: [u], needs }) => {
    const [a, g] = node.inputs;
    if (u === undefined || a === undefined || g === undefined) return [undefined, undefined];
    return [needs[0] ? matmul(g, transpose(u, [1, 0])) : undefined, needs[1] ? matmul(a, u) : undefined];
  },
  emitOnnx: (e, node) => {
    const [k, n] = present(node.outputs[0]).shape;
    const rowsA = e.temp('rows_a');
    const rowsG = e.temp('rows_g');
    e.node('Reshape', [e.input(0), e.int64s([-1, Number(k)])], [rowsA]);
    e.node('Reshape', [e.input(1), e.int64s([-1, Number(n)])], [rowsG]);
    e.node('Gemm', [rowsA, rowsG], [e.output(0)], { transA: { type: 'int', value: 1 } });
  },
  evaluate: ([a, g]) => {
    const [ta, tg] = [present(a), present(g)];
    const k = at(ta.shape, ta.shape.length - 1);
    const n = at(tg.shape, tg.shape.length - 1);
    const rows = ta.data.length / k;
    const data = new Float64Array(k * n);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) {
        const x = at(ta.data, r * k + i);
        for (let j = 0; j < n; j++) data[i * n + j] = (data[i * n + j] ?? 0) + x * at(tg.data, r * n + j);
      }
    }
    return [{ dtype: ta.dtype, shape: [k, n], data }];
  },
};

/**
 * Gemm's left operand as emitted: A itself, or for a transposed A [K, M] with M ≥ 256 and N ≥ 512
 * (static; a dense layer's weight gradient dYᵀ·X) an explicit transpose of it, so that the Gemm
 * runs without transA.
 * NOTE: onnxruntime 1.30's CPU GEMM (MLAS) re-transposes a transA operand for every block of N;
 * measured at one thread, dW of 784-1024-1024-10 layers (B 256): 9-15 % off the Adam MLP's
 * train step, 5 % off SAM's, 3.5-4.5 % off the 784-256-10 MLP's (the wasm build 2-8 %). Smaller
 * M or N gained nothing (a [64, 128] dY with N = 3136: −0.6 %; K = 2048, M = 256, N = 64 lost
 * 37 %). The transpose goes through a 3-D Reshape, because onnxruntime's Gemm-Transpose fusion
 * would fold a plain 2-D Transpose straight back into transA.
 */
function leftOperand(e: OnnxEmitter, node: Node): { name: string; transA: number } {
  const transA = intAttr(node.attrs, 'transA', 0);
  const [a, b] = node.inputs;
  const m = a === undefined ? undefined : dimAt(a.shape, 1);
  const n = b === undefined ? undefined : dimAt(b.shape, intAttr(node.attrs, 'transB', 0) !== 0 ? 0 : 1);
  if (transA === 0 || typeof m !== 'number' || typeof n !== 'number' || m < EXPLICIT_TRANSPOSE.m || n < EXPLICIT_TRANSPOSE.n) return { name: e.input(0), transA };
  const split = e.temp('a_3d');
  e.node('Reshape', [e.input(0), e.int64s([0, m, 1])], [split]);
  const swapped = e.temp('a_t');
  e.node('Transpose', [split], [swapped], { perm: { type: 'ints', value: [1, 0, 2] } });
  const rows = e.temp('a_rows');
  e.node('Reshape', [swapped, e.int64s([m, -1])], [rows]);
  return { name: rows, transA: 0 };
}

/** The smallest static M and N of a transA Gemm whose A is transposed explicitly (leftOperand). */
export const EXPLICIT_TRANSPOSE = { m: 256, n: 512 } as const;

export function contractRows(a: Value, g: Value): Value {
  return a.graph.apply1(ContractRows, [a, g]);
}

export const Gemm: OpDef = {
  name: 'Gemm',
  attrTypes: { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' },
  inferShape: ([a, b, c], attrs) => {
    if (a === undefined || b === undefined) return shapeError('Gemm', 'needs (A, B[, C])');
    if (a.shape.length !== 2 || b.shape.length !== 2) return shapeError('Gemm', `needs 2-D operands, got ${showShape(a.shape)} and ${showShape(b.shape)}`);
    const [m, k] = intAttr(attrs, 'transA', 0) ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [k2, n] = intAttr(attrs, 'transB', 0) ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (m === undefined || n === undefined || k !== k2) return shapeError('Gemm', `cannot multiply ${showShape(a.shape)} by ${showShape(b.shape)} (transA=${intAttr(attrs, 'transA', 0)}, transB=${intAttr(attrs, 'transB', 0)})`);
    if (c !== undefined) {
      const bc = broadcastShapes(c.shape, [m, n]);
      if (typeof bc === 'string' || bc.length !== 2 || bc[0] !== m || bc[1] !== n) return shapeError('Gemm', `C ${showShape(c.shape)} does not broadcast to ${showShape([m, n])}`);
    }
    return [{ shape: [m, n], dtype: a.dtype }];
  },
  // With A' = op(A), B' = op(B): dA' = α·g·B'ᵀ and dB' = α·A'ᵀ·g, each expressed as one Gemm.
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [a, b, c] = node.inputs;
    if (g === undefined || a === undefined || b === undefined) return [undefined, undefined, undefined];
    const alpha = num(node.attrs, 'alpha', 1);
    const ta = intAttr(node.attrs, 'transA', 0) !== 0;
    const tb = intAttr(node.attrs, 'transB', 0) !== 0;
    const da = (): Value => (ta ? gemm(b, g, { alpha, transA: tb, transB: true }) : gemm(g, b, { alpha, transB: !tb }));
    const db = (): Value => (tb ? gemm(g, a, { alpha, transA: true, transB: ta }) : gemm(a, g, { alpha, transA: !ta }));
    const beta = num(node.attrs, 'beta', 1);
    const grads = [needs[0] ? da() : undefined, needs[1] ? db() : undefined];
    return c ? [...grads, needs[2] ? sumToShape(beta === 1 ? g : mul(g, beta), c.shape) : undefined] : grads;
  },
  emitOnnx: (e, node) => {
    const alpha = num(node.attrs, 'alpha', 1);
    const beta = num(node.attrs, 'beta', 1);
    const transB = intAttr(node.attrs, 'transB', 0);
    const left = leftOperand(e, node);
    const hasC = node.inputs.length > 2;
    const exact = Math.fround(alpha) === alpha && Math.fround(beta) === beta;
    if (exact || e.dtypeOf(present(node.inputs[0])) !== 'float64') {
      if (left.name === e.input(0)) return e.asIs(node);
      const attrs = { alpha: { type: 'float', value: alpha }, beta: { type: 'float', value: beta }, transA: { type: 'int', value: left.transA }, transB: { type: 'int', value: transB } } as const;
      e.node('Gemm', [left.name, e.input(1), ...(hasC ? [e.input(2)] : [])], [e.output(0)], attrs);
      return;
    }
    // NOTE: ONNX float attributes are float32; a float64 Gemm whose alpha or beta float32 cannot
    // hold exactly multiplies by float64 scalars instead.
    const product = e.temp('ab');
    const attrs = { transA: { type: 'int', value: left.transA }, transB: { type: 'int', value: transB } } as const;
    e.node('Gemm', [left.name, e.input(1)], [product], attrs);
    const scaledProduct = hasC ? e.temp('alpha_ab') : e.output(0);
    e.node('Mul', [product, e.scalar(alpha, 'float64')], [scaledProduct]);
    if (!hasC) return;
    const scaledC = e.temp('beta_c');
    e.node('Mul', [e.input(2), e.scalar(beta, 'float64')], [scaledC]);
    e.node('Add', [scaledProduct, scaledC], [e.output(0)]);
  },
  evaluate: ([a, b, c], attrs) => {
    const A = present(a);
    const B = present(b);
    const at2 = intAttr(attrs, 'transA', 0) ? evaluateTranspose2(A) : A;
    const bt2 = intAttr(attrs, 'transB', 0) ? evaluateTranspose2(B) : B;
    const ab = evaluateMatMul(at2, bt2);
    const alpha = num(attrs, 'alpha', 1);
    const beta = num(attrs, 'beta', 1);
    const cmap = c ? broadcastIndex(ab.shape, c.shape) : undefined;
    const data = ab.data.map((v, i) => alpha * v + (c && cmap ? beta * at(c.data, at(cmap, i)) : 0));
    return [{ ...ab, data }];
  },
};

export function matmul(a: Value, b: Value): Value {
  return a.graph.apply1(MatMul, [a, b]);
}

export interface GemmOptions {
  readonly alpha?: number;
  readonly beta?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

export function gemm(a: Value, b: Value, o: GemmOptions = {}, c?: Value): Value {
  const attrs = { alpha: o.alpha ?? 1, beta: o.beta ?? 1, transA: o.transA ? 1 : 0, transB: o.transB ? 1 : 0 };
  return a.graph.apply1(Gemm, c ? [a, b, c] : [a, b], attrs);
}

function swapLast(x: Value): Value {
  const r = x.shape.length;
  return transpose(x, Array.from({ length: r }, (_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2)));
}

function num(attrs: Attrs, name: string, fallback: number): number {
  const v = attrs[name];
  return typeof v === 'number' ? v : fallback;
}

function evaluateMatMul(a: Tensor, b: Tensor): Tensor {
  const m = at(a.shape, a.shape.length - 2);
  const k = at(a.shape, a.shape.length - 1);
  const n = at(b.shape, b.shape.length - 1);
  const batch = broadcastConcrete(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const amap = broadcastIndex(batch, a.shape.slice(0, -2));
  const bmap = broadcastIndex(batch, b.shape.slice(0, -2));
  const data = new Float64Array(sizeOf(batch) * m * n);
  for (let t = 0; t < sizeOf(batch); t++) {
    const ao = at(amap, t) * m * k;
    const bo = at(bmap, t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(a.data, ao + i * k + p) * at(b.data, bo + p * n + j);
        data[t * m * n + i * n + j] = s;
      }
    }
  }
  return { dtype: a.dtype, shape: [...batch, m, n], data };
}

function evaluateTranspose2(x: Tensor): Tensor {
  const [r, c] = [at(x.shape, 0), at(x.shape, 1)];
  const data = new Float64Array(x.data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = at(x.data, i * c + j);
  return { dtype: x.dtype, shape: [c, r], data };
}

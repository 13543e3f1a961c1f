// Factored export of the lowrank block's layers (catalog svd, trp; A57). After training each
// target is truncated to rank k (the rank of its last projection) and split into two factors
// from the SVD of its matrix view M (lowrank.ts matrixOf), M ≈ A·B with A = U_k√S_k (rows × k) and
// B = √S_k V_kᵀ (k × cols), the singular values shared evenly so both factors have similar ranges
// (which 8-bit storage of the factors needs):
//   dense [out, in]          M = W:              Gemm(x, B [k, in]) then Gemm(·, A [out, k])
//   conv, svd                M = W as [out, C·kh·kw]: kh×kw conv to k channels, then 1×1 conv
//   conv, trp                M = TRP's [C·kh, N·kw]: kh×1 conv to k channels, then 1×kw conv
// A layer stays dense when k·(rows + cols) ≥ rows·cols (the factors would not be smaller). The
// projected weight W_k = reshape(A·B) is what the dense model computes with: the factored export
// and the dense model with W_k compute the same function (A57's oracle).

import type { FactoredWeight } from '../../compiler/step';
import type { ParamInfo } from '../../compiler/model';
import { matrixOf } from './lowrank';
import { svd } from './svd';

export interface Factorization {
  /** All parameters; factored targets replaced by their rank-k projection W_k. */
  readonly weights: Float32Array[];
  readonly factored: ReadonlyMap<number, FactoredWeight>;
  /** Parameters of the exported weights: factored ones count k·(rows + cols). */
  readonly parameters: number;
  /** One line per target: what was exported. */
  readonly details: readonly string[];
}

/**
 * Factors the targets with a known rank (skipping `exclude`, e.g. pruned weights, whose zeros a
 * factorization would not keep).
 */
export function factorize(method: 'svd' | 'trp', infos: readonly ParamInfo[], params: readonly Float32Array[], ranks: ReadonlyMap<number, number>, exclude: ReadonlySet<number> = new Set(), rowWeights?: ReadonlyMap<number, ArrayLike<number>>): Factorization {
  const weights = [...params];
  const factored = new Map<number, FactoredWeight>();
  const details: string[] = [];
  for (const [i, k] of ranks) {
    const info = infos[i];
    const w = params[i];
    if (!info || !w) continue;
    const m = matrixOf(info.shape, method);
    const dense = m.rows * m.cols;
    if (exclude.has(i)) {
      details.push(`${info.layer} dense (pruned)`);
      continue;
    }
    if (k * (m.rows + m.cols) >= dense) {
      details.push(`${info.layer} dense (rank ${k}: ${k * (m.rows + m.cols)} factor parameters ≥ ${dense})`);
      continue;
    }
    const f = factorOf(w, info.shape, method, k, rowWeights?.get(i));
    weights[i] = f.projected;
    factored.set(i, f.weight);
    details.push(`${info.layer} rank ${k} as ${f.weight.layout === 'gemm' ? 'two Gemms' : f.weight.layout === 'conv-trp' ? `a ${info.shape[2]}×1 and a 1×${info.shape[3]} conv` : `a ${info.shape[2]}×${info.shape[3]} and a 1×1 conv`} (${dense} → ${k * (m.rows + m.cols)} parameters)`);
  }
  const parameters = params.reduce((s, p, i) => s + (factored.has(i) ? (factored.get(i)?.rank ?? 0) * matrixSides(infos[i]?.shape ?? [], method) : p.length), 0);
  return { weights, factored, parameters, details };
}

/**
 * The two factors of one weight at rank k and the weight they multiply to. With row weights Î
 * (fwsvd) the SVD is of ÎM and A's rows are divided by them again: M ≈ (Î⁻¹U_k√S_k)(√S_kV_kᵀ).
 */
export function factorOf(w: ArrayLike<number>, shape: readonly number[], method: 'svd' | 'trp', k: number, rowWeights?: ArrayLike<number>): { weight: FactoredWeight; projected: Float32Array } {
  const m = matrixOf(shape, method);
  const a = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) a[r * m.cols + c] = (rowWeights?.[r] ?? 1) * (w[m.index(r, c)] ?? 0);
  const d = svd(a, m.rows, m.cols);
  const rank = Math.min(k, d.s.length);
  // A [rows, k] and B [k, cols], row-major, rounded to float32 as they are stored.
  const left = new Float32Array(m.rows * rank);
  const right = new Float32Array(rank * m.cols);
  for (let j = 0; j < rank; j++) {
    const root = Math.sqrt(d.s[j] ?? 0);
    for (let r = 0; r < m.rows; r++) left[r * rank + j] = (root * (d.u[j]?.[r] ?? 0)) / (rowWeights?.[r] ?? 1);
    for (let c = 0; c < m.cols; c++) right[j * m.cols + c] = root * (d.v[j]?.[c] ?? 0);
  }
  // W_k from the stored (float32) factors, so the dense model and the factored one agree to rounding.
  const projected = new Float32Array(w.length);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      let acc = 0;
      for (let j = 0; j < rank; j++) acc += (left[r * rank + j] ?? 0) * (right[j * m.cols + c] ?? 0);
      projected[m.index(r, c)] = acc;
    }
  }
  return { weight: layoutOf(shape, method, rank, left, right), projected };
}

function layoutOf(shape: readonly number[], method: 'svd' | 'trp', k: number, left: Float32Array, right: Float32Array): FactoredWeight {
  if (shape.length !== 4) {
    const [out = 1, inFeatures = 1] = shape;
    return { layout: 'gemm', rank: k, first: { shape: [k, inFeatures], values: right }, second: { shape: [out, k], values: left } };
  }
  const [n = 1, c = 1, kh = 1, kw = 1] = shape;
  if (method === 'svd') {
    // B's rows are kernels over (C, kh, kw) in W's order; A's rows mix the k channels per output.
    return { layout: 'conv-svd', rank: k, first: { shape: [k, c, kh, kw], values: right }, second: { shape: [n, k, 1, 1], values: left } };
  }
  // M[(ci·kh + y), (o·kw + x)] = W[o, ci, y, x]: the vertical kernel j is column j of A over (ci, y),
  // the horizontal kernel (o, j) is row j of B over x at output o.
  const vertical = new Float32Array(k * c * kh);
  for (let j = 0; j < k; j++) for (let r = 0; r < c * kh; r++) vertical[j * c * kh + r] = left[r * k + j] ?? 0;
  const horizontal = new Float32Array(n * k * kw);
  for (let o = 0; o < n; o++) for (let j = 0; j < k; j++) for (let x = 0; x < kw; x++) horizontal[(o * k + j) * kw + x] = right[j * n * kw + o * kw + x] ?? 0;
  return { layout: 'conv-trp', rank: k, first: { shape: [k, c, kh, 1], values: vertical }, second: { shape: [n, k, 1, kw], values: horizontal } };
}

function matrixSides(shape: readonly number[], method: 'svd' | 'trp'): number {
  const m = matrixOf(shape, method);
  return m.rows + m.cols;
}

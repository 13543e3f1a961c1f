// Pruning masks computed on the host (catalog A42, A43): magnitude masks with one threshold over
// all pruned weights or one per weight, N:M masks along the input dimension, the Zhu & Gupta
// sparsity schedule, and the statistics the run reports. Masks are {0,1} Float32Arrays with the
// weight's layout; weights are viewed as rows [out, in·kh·kw] (dense [out, in], conv [out, in, kh, kw]).

import type { ParamInfo } from '../../compiler/model';

/**
 * Magnitude masks that zero exactly ⌊s·N⌋ weights: over all weights together (`global`, so the
 * threshold is the same in every weight) or ⌊s·N_l⌋ in each weight (`layer`). Ties are broken by
 * position (earlier weight, then earlier index, is pruned first), so the mask is deterministic.
 */
export function magnitudeMasks(weights: readonly Float32Array[], sparsity: number, scope: 'global' | 'layer'): Float32Array[] {
  if (scope === 'layer') return weights.map((w) => selectSmallest([w], Math.floor(sparsity * w.length))[0] ?? new Float32Array());
  const total = weights.reduce((s, w) => s + w.length, 0);
  return selectSmallest(weights, Math.floor(sparsity * total));
}

/** Keeps the N largest |w| of every M consecutive entries of each row (ties: the earlier entry is kept). */
export function nmMask(w: Float32Array, rowLength: number, n: number, m: number): Float32Array {
  if (rowLength % m !== 0) throw new Error(`nmMask: row length ${rowLength} is not a multiple of ${m}`);
  const mask = new Float32Array(w.length);
  const order = Array.from({ length: m }, (_, i) => i);
  for (let g = 0; g < w.length; g += m) {
    order.sort((a, b) => Math.abs(w[g + b] ?? 0) - Math.abs(w[g + a] ?? 0) || a - b);
    for (let k = 0; k < n; k++) mask[g + (order[k] ?? 0)] = 1;
    order.sort((a, b) => a - b);
  }
  return mask;
}

export interface SparsitySchedule {
  readonly from: number;
  readonly to: number;
  readonly initial: number;
  readonly final: number;
  readonly exponent: number;
}

/** Zhu & Gupta: s(t) = s_f + (s_i − s_f)(1 − (t − t₀)/(t₁ − t₀))^e on [t₀, t₁]; 0 before, s_f after. */
export function scheduledSparsity(t: number, s: SparsitySchedule): number {
  if (t < s.from) return 0;
  if (t >= s.to || s.to <= s.from) return s.final;
  return s.final + (s.initial - s.final) * Math.pow(1 - (t - s.from) / (s.to - s.from), s.exponent);
}

/** Share of exact zeros. */
export function zeroShare(w: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < w.length; i++) if (w[i] === 0) zeros++;
  return w.length === 0 ? 0 : zeros / w.length;
}

/** Share of M-groups (along each row) with at most N nonzeros. */
export function nmConformance(w: ArrayLike<number>, rowLength: number, n: number, m: number): number {
  if (rowLength % m !== 0 || w.length === 0) return 0;
  let ok = 0;
  let groups = 0;
  for (let g = 0; g < w.length; g += m) {
    let nonzero = 0;
    for (let k = 0; k < m; k++) if ((w[g + k] ?? 0) !== 0) nonzero++;
    if (nonzero <= n) ok++;
    groups++;
  }
  return ok / groups;
}

/**
 * The N:M mask of a weight as its ParamInfo describes it: groups run along the input dimension,
 * which is dim 0 of a transposed ([in, out]) imported matrix, so that one is masked as its
 * [out, in] transpose.
 */
export function nmMaskFor(w: Float32Array, info: Pick<ParamInfo, 'shape' | 'transposed'>, n: number, m: number): Float32Array {
  if (info.transposed !== true) return nmMask(w, rowLengthOf(info.shape), n, m);
  const [rows = 1, cols = 1] = info.shape;
  return transpose2d(nmMask(transpose2d(w, rows, cols), rows, n, m), cols, rows);
}

/** nmConformance along the weight's input dimension (see nmMaskFor). */
export function nmConformanceFor(w: ArrayLike<number>, info: Pick<ParamInfo, 'shape' | 'transposed'>, n: number, m: number): number {
  if (info.transposed !== true) return nmConformance(w, rowLengthOf(info.shape), n, m);
  const [rows = 1, cols = 1] = info.shape;
  return nmConformance(transpose2d(w, rows, cols), rows, n, m);
}

/** Row length of a weight viewed as [out, in·kh·kw]. */
export function rowLengthOf(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Masks zeroing the `count` smallest |w| over all arrays together (position breaks ties). */
function selectSmallest(weights: readonly Float32Array[], count: number): Float32Array[] {
  const masks = weights.map((w) => new Float32Array(w.length).fill(1));
  if (count <= 0) return masks;
  const where: [number, number][] = [];
  weights.forEach((w, l) => {
    for (let i = 0; i < w.length; i++) where.push([l, i]);
  });
  const mag = ([l, i]: [number, number]) => Math.abs(weights[l]?.[i] ?? 0);
  // `where` is built in position order and Array.prototype.sort is stable, so equal magnitudes keep that order.
  where.sort((a, b) => mag(a) - mag(b));
  for (let k = 0; k < Math.min(count, where.length); k++) {
    const [l, i] = where[k] ?? [0, 0];
    const mask = masks[l];
    if (mask) mask[i] = 0;
  }
  return masks;
}

/** The [cols, rows] transpose of a row-major [rows, cols] matrix. */
function transpose2d(w: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c] ?? 0;
  return out;
}

// Bi-Mask's masks on the host (catalog A44; zyxxmu/Bi-Mask CnnModels/utils/conv_type.py:
// get_n_m_sparse_matrix, get_n_m_backward_matrix, get_best_permutation). A weight is viewed as
// [rows = out, cols = in·kh·kw]. The forward mask m_f is N:M along each row (the input dimension).
// The backward mask is N:M along the output dimension of W⊙m_f after permuting its rows by P:
// within each column, rows P[0..M−1], P[M..2M−1], … form the groups; m_b = m_f ⊙ that mask,
// back in the original row order. P is chosen among random candidates as the one keeping the most
// entries (Σ m_b), the first best on ties, as the official search does.

import { nmMask } from './prune-masks';

export interface BiMaskShape {
  readonly rows: number;
  readonly cols: number;
  readonly n: number;
  readonly m: number;
}

/** The forward mask m_f: the N largest |w| of every M consecutive entries of each row. */
export function biMaskForward(w: ArrayLike<number>, s: BiMaskShape): Float32Array {
  return nmMask(Float32Array.from(w), s.cols, s.n, s.m);
}

/** The backward mask m_b for row permutation `perm` (perm[i] is the original row at position i). */
export function biMaskBackward(w: ArrayLike<number>, forward: ArrayLike<number>, perm: ArrayLike<number>, s: BiMaskShape): Float32Array {
  if (s.rows % s.m !== 0) throw new Error(`biMaskBackward: ${s.rows} rows are not a multiple of ${s.m}`);
  const out = new Float32Array(s.rows * s.cols);
  const order = Array.from({ length: s.m }, (_, i) => i);
  const mag = new Float64Array(s.m);
  for (let c = 0; c < s.cols; c++) {
    for (let g = 0; g < s.rows; g += s.m) {
      for (let k = 0; k < s.m; k++) {
        const r = perm[g + k] ?? 0;
        mag[k] = Math.abs((w[r * s.cols + c] ?? 0) * (forward[r * s.cols + c] ?? 0));
      }
      // Keep the N largest |W⊙m_f| of the group (ties: the earlier position).
      order.sort((a, b) => (mag[b] ?? 0) - (mag[a] ?? 0) || a - b);
      for (let k = 0; k < s.n; k++) {
        const r = perm[g + (order[k] ?? 0)] ?? 0;
        out[r * s.cols + c] = forward[r * s.cols + c] ?? 0;
      }
      order.sort((a, b) => a - b);
    }
  }
  return out;
}

/** The candidate keeping the most entries of m_b (the first on ties), with its m_b. */
export function bestPermutation(w: ArrayLike<number>, forward: ArrayLike<number>, candidates: readonly ArrayLike<number>[], s: BiMaskShape): { readonly perm: ArrayLike<number>; readonly backward: Float32Array } | undefined {
  let best: { perm: ArrayLike<number>; backward: Float32Array; kept: number } | undefined;
  for (const perm of candidates) {
    const backward = biMaskBackward(w, forward, perm, s);
    const kept = backward.reduce((a, v) => a + v, 0);
    if (!best || kept > best.kept) best = { perm, backward, kept };
  }
  return best;
}

// Singular value decomposition of small dense matrices by one-sided Jacobi (Hestenes): rotate pairs
// of columns until all are orthogonal; the column norms are then the singular values. Float64,
// deterministic, and accurate to a few ulps for the layer sizes Minima trains (≤ a few thousand
// columns would be slow; conv and dense layers here have at most a few hundred).

export interface Svd {
  readonly rows: number;
  readonly cols: number;
  /** Singular values, descending (length min(rows, cols)). */
  readonly s: Float64Array;
  /** Left singular vectors: u[j] is column j (length rows). */
  readonly u: readonly Float64Array[];
  /** Right singular vectors: v[j] is column j (length cols). */
  readonly v: readonly Float64Array[];
}

const MAX_SWEEPS = 60;

/** SVD of the row-major rows × cols matrix a: a = Σ_j s_j u_j v_jᵀ. */
export function svd(a: ArrayLike<number>, rows: number, cols: number): Svd {
  if (cols > rows) {
    // Jacobi orthogonalizes columns: work on the transpose when it has fewer of them.
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c] ?? 0;
    const st = svd(t, cols, rows);
    return { rows, cols, s: st.s, u: st.v, v: st.u };
  }
  const u = Array.from({ length: cols }, (_, c) => Float64Array.from({ length: rows }, (_, r) => a[r * cols + c] ?? 0));
  const v = Array.from({ length: cols }, (_, c) => Float64Array.from({ length: cols }, (_, r) => (r === c ? 1 : 0)));
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const up = u[p]!;
        const uq = u[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < rows; r++) {
          alpha += up[r]! * up[r]!;
          beta += uq[r]! * uq[r]!;
          gamma += up[r]! * uq[r]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(up, uq, c, s);
        rotate(v[p]!, v[q]!, c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = u.map((col) => Math.sqrt(col.reduce((acc, x) => acc + x * x, 0)));
  const order = norms.map((_, j) => j).sort((i, j) => norms[j]! - norms[i]! || i - j);
  return {
    rows,
    cols,
    s: Float64Array.from(order, (j) => norms[j]!),
    u: order.map((j) => (norms[j]! > 0 ? u[j]!.map((x) => x / norms[j]!) : u[j]!)),
    v: order.map((j) => v[j]!),
  };
}

/** The smallest k whose Σ_{j<k} s_j² reaches `energy` of Σ s_j² (at least 1). */
export function rankForEnergy(s: ArrayLike<number>, energy: number): number {
  let total = 0;
  for (let j = 0; j < s.length; j++) total += (s[j] ?? 0) ** 2;
  if (total === 0) return 1;
  let acc = 0;
  for (let j = 0; j < s.length; j++) {
    acc += (s[j] ?? 0) ** 2;
    // A relative tolerance so that energy = 1 keeps exactly the nonzero spectrum, not fewer by rounding.
    if (acc >= energy * total * (1 - 1e-12)) return j + 1;
  }
  return s.length;
}

/** Share of Σ s² kept by the first k singular values. */
export function retainedEnergy(s: ArrayLike<number>, k: number): number {
  let total = 0;
  let kept = 0;
  for (let j = 0; j < s.length; j++) {
    total += (s[j] ?? 0) ** 2;
    if (j < k) kept += (s[j] ?? 0) ** 2;
  }
  return total === 0 ? 1 : kept / total;
}

/** Σ_{j<k} w_j u_j v_jᵀ as a row-major rows × cols matrix, with weights w_j = s_j (reconstruction) or 1 (U_kV_kᵀ). */
export function lowRank(d: Svd, k: number, weights: 'singular' | 'unit' = 'singular'): Float64Array {
  const out = new Float64Array(d.rows * d.cols);
  for (let j = 0; j < Math.min(k, d.s.length); j++) {
    const w = weights === 'singular' ? (d.s[j] ?? 0) : 1;
    const uj = d.u[j]!;
    const vj = d.v[j]!;
    for (let r = 0; r < d.rows; r++) {
      const a = w * uj[r]!;
      if (a === 0) continue;
      for (let c = 0; c < d.cols; c++) out[r * d.cols + c] = out[r * d.cols + c]! + a * vj[c]!;
    }
  }
  return out;
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let r = 0; r < x.length; r++) {
    const a = x[r]!;
    const b = y[r]!;
    x[r] = c * a - s * b;
    y[r] = s * a + c * b;
  }
}

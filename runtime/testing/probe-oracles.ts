// Closed forms for the probe tests (runtime/compiler/step/test/probes.test.ts and
// runtime/engine/test/probes.test.ts): the gradient and Hessian of mse for a linear model, and the
// eigenvalues of a small symmetric matrix, all in float64 by hand.

/**
 * mse of the linear model ŷ = x·w + b over n rows, L = (1/n)‖Aθ − y‖² with A = [X, 1] and
 * θ = [w, b]: H = (2/n)AᵀA, g = (2/n)Aᵀ(Aθ − y). x is n × d row-major; one target per row.
 */
export function linearMse(x: ArrayLike<number>, y: ArrayLike<number>, n: number, theta: readonly number[]): { H: number[][]; g: number[]; loss: number } {
  const d = theta.length - 1;
  const rows = Array.from({ length: n }, (_, i) => [...Array.from({ length: d }, (_, j) => x[i * d + j] ?? NaN), 1]);
  const residual = rows.map((r, i) => dot(r, theta) - (y[i] ?? NaN));
  const H = theta.map((_, a) => theta.map((__, b) => (2 / n) * rows.reduce((s, r) => s + (r[a] ?? 0) * (r[b] ?? 0), 0)));
  const g = theta.map((_, a) => (2 / n) * rows.reduce((s, r, i) => s + (r[a] ?? 0) * (residual[i] ?? 0), 0));
  return { H, g, loss: residual.reduce((s, r) => s + r * r, 0) / n };
}

/** m-sharpness of a quadratic: L(w + ρĝ) − L(w) = ρ‖g‖ + (ρ²/2)ĝᵀHĝ with ĝ = g/(‖g‖ + 1e-12). */
export function quadraticSharpness(H: readonly (readonly number[])[], g: readonly number[], rho: number): number {
  const size = Math.sqrt(dot(g, g));
  const unit = g.map((x) => x / (size + 1e-12));
  return rho * dot(g, unit) + ((rho * rho) / 2) * dot(unit, H.map((row) => dot(row, unit)));
}

/** Eigenvalues of a symmetric matrix, in decreasing order (cyclic Jacobi rotations). */
export function symmetricEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const at = (i: number, j: number): number => a[i]?.[j] ?? NaN;
  const set = (i: number, j: number, v: number): void => {
    const row = a[i];
    if (row) row[j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += at(p, q) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (at(p, q) === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * at(p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const kp = at(k, p);
          const kq = at(k, q);
          set(k, p, c * kp - s * kq);
          set(k, q, s * kp + c * kq);
        }
        for (let k = 0; k < n; k++) {
          const pk = at(p, k);
          const qk = at(q, k);
          set(p, k, c * pk - s * qk);
          set(q, k, s * pk + c * qk);
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => at(i, i)).sort((x, y) => y - x);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * (b[i] ?? NaN), 0);
}

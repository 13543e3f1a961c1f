// Small dense linear algebra for initialization, on row-major Float64Arrays: Householder QR,
// the Jacobi eigensolver for symmetric matrices, and a real inverse 2-D FFT (numpy irfft2).

/**
 * Q of the thin QR of A (rows × cols, rows ≥ cols) with the column signs fixed so that diag(R) > 0,
 * as torch.nn.init.orthogonal_ does with `q *= sign(diag(r))`. Returns Q, rows × cols.
 */
export function orthonormalColumns(a: Float64Array, rows: number, cols: number): Float64Array {
  if (rows < cols) throw new Error('orthonormalColumns: needs rows ≥ cols');
  const r = Float64Array.from(a);
  const reflectors: Float64Array[] = [];
  const signs = new Float64Array(cols);
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += (r[i * cols + k] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    const x0 = r[k * cols + k] ?? 0;
    const alpha = x0 > 0 ? -norm : norm; // diag(R)[k], chosen to avoid cancellation
    const v = new Float64Array(rows - k);
    for (let i = k; i < rows; i++) v[i - k] = r[i * cols + k] ?? 0;
    v[0] = x0 - alpha;
    let vn = 0;
    for (const e of v) vn += e * e;
    vn = Math.sqrt(vn);
    if (vn > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / vn;
    reflectRows(r, v, k, cols, k);
    reflectors.push(v);
    signs[k] = alpha < 0 ? -1 : 1;
  }
  // Q = H0·H1·…·H(cols−1)·I[:, :cols], applied right to left.
  const q = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) q[j * cols + j] = 1;
  for (let k = cols - 1; k >= 0; k--) reflectRows(q, reflectors[k] as Float64Array, k, cols, 0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) q[i * cols + j] = (q[i * cols + j] ?? 0) * (signs[j] ?? 1);
  return q;
}

/** m[k:, from:] ← (I − 2vvᵀ)·m[k:, from:], for a unit v of length rows − k. */
function reflectRows(m: Float64Array, v: Float64Array, k: number, cols: number, from: number): void {
  for (let j = from; j < cols; j++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += (v[i] ?? 0) * (m[(k + i) * cols + j] ?? 0);
    for (let i = 0; i < v.length; i++) m[(k + i) * cols + j] = (m[(k + i) * cols + j] ?? 0) - 2 * dot * (v[i] ?? 0);
  }
}

/**
 * Eigenvectors of a symmetric n×n matrix as rows, ordered by |eigenvalue| descending: for a
 * symmetric matrix these are the rows of Uᵀ of its SVD (up to signs). Cyclic Jacobi rotations.
 */
export function symmetricEigenvectors(a: Float64Array, n: number): Float64Array[] {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const get = (x: Float64Array, i: number, j: number): number => x[i * n + j] ?? 0;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += get(m, p, q) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = get(m, p, q);
        if (apq === 0) continue;
        const theta = (get(m, q, q) - get(m, p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // m ← Jᵀ m J and v ← v J, with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const mkp = get(m, k, p);
          const mkq = get(m, k, q);
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = get(m, p, k);
          const mqk = get(m, q, k);
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = get(v, k, p);
          const vkq = get(v, k, q);
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => Math.abs(get(m, j, j)) - Math.abs(get(m, i, i)));
  return order.map((j) => Float64Array.from({ length: n }, (_, i) => get(v, i, j)));
}

/**
 * numpy.fft.irfft2(x, s=(h, w)) of a real half spectrum x (h × (⌊w/2⌋ + 1)) whose imaginary parts
 * are zero: an inverse complex DFT over rows, then a Hermitian inverse DFT over columns.
 */
export function irfft2(x: Float64Array, h: number, w: number): Float64Array {
  const half = Math.floor(w / 2) + 1;
  // Rows: Y[m, q] = (1/h) Σ_p X[p, q] e^{2πi·p·m/h}.
  const re = new Float64Array(h * half);
  const im = new Float64Array(h * half);
  for (let m = 0; m < h; m++) {
    for (let q = 0; q < half; q++) {
      let sr = 0;
      let si = 0;
      for (let p = 0; p < h; p++) {
        const angle = (2 * Math.PI * p * m) / h;
        const value = x[p * half + q] ?? 0;
        sr += value * Math.cos(angle);
        si += value * Math.sin(angle);
      }
      re[m * half + q] = sr / h;
      im[m * half + q] = si / h;
    }
  }
  // Columns (c2r): the DC term and, for even w, the Nyquist term contribute their real parts only.
  const out = new Float64Array(h * w);
  for (let m = 0; m < h; m++) {
    for (let n = 0; n < w; n++) {
      let s = re[m * half] ?? 0;
      for (let q = 1; q < half; q++) {
        const angle = (2 * Math.PI * q * n) / w;
        const yr = re[m * half + q] ?? 0;
        const yi = im[m * half + q] ?? 0;
        const nyquist = w % 2 === 0 && q === w / 2;
        s += nyquist ? yr * Math.cos(angle) : 2 * (yr * Math.cos(angle) - yi * Math.sin(angle));
      }
      out[m * w + n] = s / w;
    }
  }
  return out;
}

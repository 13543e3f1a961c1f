// Optimal Brain Compression (catalog A56; official IST-DASLab/OBC, trueobs.py) on the host, in
// float64: per targeted layer, the Hessian of the layer's squared reconstruction error from
// calibration inputs, H = (2/n)·ΣxxᵀX, then row by row the OBS step — remove (or quantize) the
// weight whose loss w_j²/[H⁻¹]_jj is smallest, update the rest of the row by −(w_j/[H⁻¹]_jj)·H⁻¹[:, j]
// and downdate H⁻¹. Three procedures, as in the official code:
//   unstructured  every row's whole trace (prepare_unstr), then one allocation per layer that takes
//                 the ⌈rows·cols·s⌉ smallest step losses over all rows (prune_blocked);
//   N:M           nmprune: groups that already hold M − N pruned entries are skipped, and each row
//                 stops at cols·(M − N)/M;
//   quantization  quantize: the score is (w_j − q(w_j))²/[H⁻¹]_jj, and the entry with the largest
//                 error goes first when some error exceeds ¼·scale² (the outlier rule); the grid is
//                 the official Quantizer's per-row min–max grid q ∈ [0, 2^b − 1], x̂ = s·(q − z).
// Dead inputs (H_ii = 0) get H_ii = 1 and a zero weight column. H⁻¹ comes from a Cholesky factor;
// when H is not positive definite, from H + I (the official fallback).
//
// Choices of Minima where the official code leaves one open (documented in the catalog entry):
// a row's existing zeros (dead columns; pruned weights before quantization) are all taken out of
// H before its trace starts (prepare_sparse does this for the fewest zeros of 32 rows at a time);
// N:M groups are M consecutive weights of W's rows [out, in·kh·kw], as for every N:M technique
// here (the official code permutes conv columns to (kh, kw, in) first). Only dense layers: conv
// inputs would need unfolding.

export interface ObcPlan {
  /** Indices into the model's params (dense weights [out, in]). */
  readonly targets: readonly number[];
  /** Unstructured share of zeros per layer (0: no pruning). */
  readonly sparsity: number;
  /** N:M: keep n of every m. */
  readonly pattern?: { readonly n: number; readonly m: number };
  /** Quantize the kept weights to this many bits after pruning. */
  readonly bits?: number;
  readonly symmetric: boolean;
  /** Calibration batches: the last ones of training. */
  readonly batches: number;
}

export interface ObcLayerResult {
  readonly weights: Float64Array;
  /** Σ of the recorded step losses of the kept steps, over rows: ½ΣΔwᵀHΔw, the layer's squared error on the calibration inputs. */
  readonly error: number;
  /** Per row, the recorded losses of the steps taken. */
  readonly rowLosses: readonly number[];
  /** Whether H needed the +I fallback. */
  readonly damped: boolean;
  /** The quantization grid, when quantized (per row). */
  readonly grid?: { readonly scale: Float64Array; readonly zero: Float64Array; readonly maxq: number };
}

/** H = (2/n)·Σ_k x_k x_kᵀ over the n rows of inputs [n, cols], accumulated in float64. */
export function obcHessian(inputs: ArrayLike<number>, n: number, cols: number): Float64Array {
  const h = new Float64Array(cols * cols);
  for (let k = 0; k < n; k++) {
    const o = k * cols;
    for (let a = 0; a < cols; a++) {
      const xa = inputs[o + a] ?? 0;
      if (xa === 0) continue;
      for (let b = 0; b < cols; b++) h[a * cols + b] = h[a * cols + b]! + xa * (inputs[o + b] ?? 0);
    }
  }
  const s = n > 0 ? 2 / n : 0;
  for (let i = 0; i < h.length; i++) h[i] = h[i]! * s;
  return h;
}

/** (Lᵀ)⁻¹L⁻¹ from the Cholesky factor L of a symmetric n×n matrix; undefined when it is not positive definite. */
export function choleskyInverse(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] ?? 0;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > 0)) return undefined;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  // L⁻¹ (lower triangular), then (L⁻¹)ᵀL⁻¹.
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * inv[k * n + j]!;
      inv[i * n + j] = s / l[i * n + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += inv[k * n + i]! * inv[k * n + j]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** invert(): H⁻¹, or (H + I)⁻¹ when H is not positive definite. */
function invert(h: Float64Array, n: number): { inv: Float64Array; damped: boolean } {
  const inv = choleskyInverse(h, n);
  if (inv) return { inv, damped: false };
  const d = Float64Array.from(h);
  for (let i = 0; i < n; i++) d[i * n + i] = d[i * n + i]! + 1;
  const damped = choleskyInverse(d, n);
  if (!damped) throw new Error('obc: H + I is not positive definite');
  return { inv: damped, damped: true };
}

/** prepare(): dead inputs get H_ii = 1 and a zero weight column. */
function prepare(w: ArrayLike<number>, h: ArrayLike<number>, rows: number, cols: number): { w: Float64Array; h: Float64Array } {
  const W = Float64Array.from(w as ArrayLike<number>);
  const H = Float64Array.from(h as ArrayLike<number>);
  for (let i = 0; i < cols; i++) {
    if (H[i * cols + i] !== 0) continue;
    H[i * cols + i] = 1;
    for (let r = 0; r < rows; r++) W[r * cols + i] = 0;
  }
  return { w: W, h: H };
}

/** A row's H⁻¹ with its zero entries taken out of H (prepare_sparse), and the mask of those entries. */
function rowStart(w: Float64Array, h: Float64Array, hinv: Float64Array, cols: number): { hinv: Float64Array; mask: Uint8Array; zeros: number; damped: boolean } {
  const mask = new Uint8Array(cols);
  let zeros = 0;
  for (let j = 0; j < cols; j++) if (w[j] === 0) (mask[j] = 1), zeros++;
  if (zeros === 0) return { hinv: Float64Array.from(hinv), mask, zeros, damped: false };
  const h1 = Float64Array.from(h);
  for (let j = 0; j < cols; j++) {
    if (!mask[j]) continue;
    for (let k = 0; k < cols; k++) (h1[j * cols + k] = 0), (h1[k * cols + j] = 0);
  }
  for (let j = 0; j < cols; j++) if (mask[j]) h1[j * cols + j] = 1;
  const r = invert(h1, cols);
  return { hinv: r.inv, mask, zeros, damped: r.damped };
}

/** One OBS step on row w: w -= (δ/d)·H⁻¹[j, :]; then H⁻¹ -= H⁻¹[:, j]H⁻¹[j, :]/d unless `last`. */
function obsStep(w: Float64Array, hinv: Float64Array, cols: number, j: number, delta: number, last: boolean): void {
  const d = hinv[j * cols + j]!;
  const row = hinv.slice(j * cols, (j + 1) * cols);
  const f = delta / d;
  for (let k = 0; k < cols; k++) w[k] = w[k]! - row[k]! * f;
  if (last) return;
  for (let a = 0; a < cols; a++) {
    const ra = row[a]! / d;
    if (ra === 0) continue;
    for (let b = 0; b < cols; b++) hinv[a * cols + b] = hinv[a * cols + b]! - ra * row[b]!;
  }
}

/** The index of the smallest score (the first on ties, as torch.argmin). */
function argmin(scores: Float64Array): number {
  let best = 0;
  for (let j = 1; j < scores.length; j++) if (scores[j]! < scores[best]!) best = j;
  return best;
}

/** Unstructured OBC of one layer [rows, cols] to `sparsity` (prepare_unstr + prune_blocked). */
export function obcPrune(w: ArrayLike<number>, h: ArrayLike<number>, rows: number, cols: number, sparsity: number): ObcLayerResult {
  const p = prepare(w, h, rows, cols);
  const base = invert(p.h, cols);
  let damped = base.damped;
  const traces: Float64Array[] = [];
  const losses = new Float64Array(rows * (cols + 1));
  for (let r = 0; r < rows; r++) {
    const row = p.w.slice(r * cols, (r + 1) * cols);
    const s = rowStart(row, p.h, base.inv, cols);
    damped ||= s.damped;
    const trace = new Float64Array((cols + 1) * cols);
    for (let z = 0; z <= s.zeros; z++) trace.set(row, z * cols);
    const hinv = s.hinv;
    for (let zeros = s.zeros + 1; zeros <= cols; zeros++) {
      const scores = new Float64Array(cols);
      for (let j = 0; j < cols; j++) scores[j] = s.mask[j] ? Infinity : row[j]! ** 2 / hinv[j * cols + j]!;
      const j = argmin(scores);
      losses[r * (cols + 1) + zeros] = scores[j]! / 2;
      obsStep(row, hinv, cols, j, row[j]!, zeros === cols);
      s.mask[j] = 1;
      for (let k = 0; k < cols; k++) if (s.mask[k]) row[k] = 0;
      trace.set(row, zeros * cols);
    }
    traces.push(trace);
  }
  // prune_blocked: the ⌈rows·cols·s⌉ smallest step losses over the layer decide each row's count.
  const order = Array.from({ length: rows * cols }, (_, k) => k);
  const stepLoss = (k: number) => losses[Math.floor(k / cols) * (cols + 1) + (k % cols) + 1]!;
  order.sort((a, b) => stepLoss(a) - stepLoss(b) || a - b);
  const count = Math.ceil(rows * cols * sparsity);
  const perRow = new Array<number>(rows).fill(0);
  for (let k = 0; k < count; k++) perRow[Math.floor(order[k]! / cols)]!++;
  const out = new Float64Array(rows * cols);
  const rowLosses: number[] = [];
  for (let r = 0; r < rows; r++) {
    out.set(traces[r]!.subarray(perRow[r]! * cols, (perRow[r]! + 1) * cols), r * cols);
    let l = 0;
    for (let k = 0; k <= perRow[r]!; k++) l += losses[r * (cols + 1) + k]!;
    rowLosses.push(l);
  }
  return { weights: out, error: rowLosses.reduce((a, b) => a + b, 0), rowLosses, damped };
}

/** N:M OBC of one layer (nmprune): `n` kept of every `m` consecutive weights of each row. */
export function obcNm(w: ArrayLike<number>, h: ArrayLike<number>, rows: number, cols: number, n: number, m: number): ObcLayerResult {
  if (cols % m !== 0) throw new Error(`obc: row length ${cols} is not a multiple of ${m}`);
  const p = prepare(w, h, rows, cols);
  const base = invert(p.h, cols);
  const pruned = m - n;
  const out = new Float64Array(rows * cols);
  const rowLosses: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = p.w.slice(r * cols, (r + 1) * cols);
    const hinv = Float64Array.from(base.inv);
    const mask = new Uint8Array(cols);
    const buckets = new Uint32Array(cols / m);
    let total = 0;
    if (pruned > 0) {
      for (let zeros = 1; zeros <= cols; zeros++) {
        const scores = new Float64Array(cols);
        for (let j = 0; j < cols; j++) scores[j] = mask[j] || buckets[Math.floor(j / m)]! >= pruned ? Infinity : row[j]! ** 2 / hinv[j * cols + j]!;
        const j = argmin(scores);
        total += scores[j]! / 2;
        const last = zeros === (cols * pruned) / m;
        obsStep(row, hinv, cols, j, row[j]!, last);
        mask[j] = 1;
        buckets[Math.floor(j / m)]!++;
        if (last) break;
      }
    }
    for (let k = 0; k < cols; k++) if (mask[k]) row[k] = 0;
    out.set(row, r * cols);
    rowLosses.push(total);
  }
  return { weights: out, error: rowLosses.reduce((a, b) => a + b, 0), rowLosses, damped: base.damped };
}

/** The official Quantizer's per-row grid (find_params with perchannel, weight=True): q ∈ [0, 2^b − 1], x̂ = s·(q − z). */
export function obcGrid(w: ArrayLike<number>, rows: number, cols: number, bits: number, symmetric: boolean): { scale: Float64Array; zero: Float64Array; maxq: number } {
  const maxq = 2 ** bits - 1;
  const scale = new Float64Array(rows);
  const zero = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let lo = 0;
    let hi = 0;
    for (let c = 0; c < cols; c++) {
      const v = w[r * cols + c] ?? 0;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (symmetric) {
      hi = Math.max(Math.abs(lo), hi);
      if (lo < 0) lo = -hi;
    }
    if (lo === 0 && hi === 0) (lo = -1), (hi = 1);
    scale[r] = (hi - lo) / maxq;
    zero[r] = symmetric ? (maxq + 1) / 2 : Math.round(-lo / scale[r]!);
  }
  return { scale, zero, maxq };
}

/** quantize(x, scale, zero, maxq) of the official code: s·(clamp(round(x/s) + z, 0, maxq) − z). */
export function obcQuantize(x: number, scale: number, zero: number, maxq: number): number {
  return scale * (Math.min(maxq, Math.max(0, roundHalfEven(x / scale) + zero)) - zero);
}

/** torch.round rounds half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** OBC quantization of one layer (quantize): every weight onto its row's grid; zeros stay zero. */
export function obcQuant(w: ArrayLike<number>, h: ArrayLike<number>, rows: number, cols: number, bits: number, symmetric: boolean): ObcLayerResult {
  const p = prepare(w, h, rows, cols);
  const base = invert(p.h, cols);
  let damped = base.damped;
  const grid = obcGrid(p.w, rows, cols, bits, symmetric);
  const out = new Float64Array(rows * cols);
  const rowLosses: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = p.w.slice(r * cols, (r + 1) * cols);
    const s = rowStart(row, p.h, base.inv, cols);
    damped ||= s.damped;
    const hinv = s.hinv;
    const [scale, zero] = [grid.scale[r]!, grid.zero[r]!];
    const outlier = 0.25 * scale ** 2;
    let total = 0;
    for (let quant = s.zeros + 1; quant <= cols; quant++) {
      const q = Float64Array.from(row, (v) => obcQuantize(v, scale, zero, grid.maxq));
      const err = Float64Array.from(row, (v, j) => (s.mask[j] ? 0 : (v - q[j]!) ** 2));
      const scores = Float64Array.from(err, (e, j) => (s.mask[j] ? Infinity : e / hinv[j * cols + j]!));
      let j = argmin(scores);
      if (err.some((e) => e > outlier) && row[j] !== 0) {
        j = 0;
        for (let k = 1; k < cols; k++) if (err[k]! > err[j]!) j = k;
      }
      total += scores[j]! / 2;
      out[r * cols + j] = q[j]!;
      obsStep(row, hinv, cols, j, row[j]! - q[j]!, quant === cols);
      s.mask[j] = 1;
    }
    rowLosses.push(total);
  }
  return { weights: out, error: rowLosses.reduce((a, b) => a + b, 0), rowLosses, damped, grid };
}

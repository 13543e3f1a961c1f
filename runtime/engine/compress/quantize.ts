// Weight quantization on the host (catalog ptq, minmax, percentile, mse; A62): the scale and zero
// point of each channel (dim 0) or of the whole tensor, and the quantize–dequantize round trip.
//   symmetric:  s = α/(2^{b−1} − 1), z = 0, q ∈ [−(2^{b−1} − 1), 2^{b−1} − 1]   (stored as int8 for b ≤ 8)
//   asymmetric: s = (β − α)/(2^b − 1), z = round(−α/s), q ∈ [0, 2^b − 1]        (stored as uint8 for b ≤ 8)
//   x̂ = s·(clamp(round(x/s) + z, q_min, q_max) − z)

export interface QuantSpec {
  readonly bits: number;
  readonly symmetric: boolean;
  readonly perChannel: boolean;
  readonly range: { readonly kind: 'minmax' } | { readonly kind: 'percentile'; readonly p: number } | { readonly kind: 'mse' };
}

/** One scale and zero point per channel (or one for the tensor), with the integer range. */
export interface QuantParams {
  readonly scale: Float64Array;
  readonly zeroPoint: Float64Array;
  readonly qmin: number;
  readonly qmax: number;
  readonly perChannel: boolean;
}

export function quantParams(w: ArrayLike<number>, shape: readonly number[], spec: QuantSpec): QuantParams {
  const channels = spec.perChannel ? (shape[0] ?? 1) : 1;
  const size = w.length / channels;
  const [qmin, qmax] = spec.symmetric ? [-(2 ** (spec.bits - 1) - 1), 2 ** (spec.bits - 1) - 1] : [0, 2 ** spec.bits - 1];
  const scale = new Float64Array(channels);
  const zeroPoint = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const xs = Array.from({ length: size }, (_, k) => w[c * size + k] ?? 0);
    const [lo, hi] = rangeOf(xs, spec, qmin, qmax);
    const p = paramsFor(lo, hi, spec.symmetric, qmin, qmax);
    scale[c] = p.scale;
    zeroPoint[c] = p.zeroPoint;
  }
  return { scale, zeroPoint, qmin, qmax, perChannel: spec.perChannel };
}

/** Q(x): quantize then dequantize with the given parameters (channel = dim 0). */
export function fakeQuantize(w: ArrayLike<number>, p: QuantParams): Float32Array {
  const channels = p.scale.length;
  const size = w.length / channels;
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / size);
    out[i] = roundTrip(w[i] ?? 0, p.scale[c] ?? 1, p.zeroPoint[c] ?? 0, p.qmin, p.qmax);
  }
  return out;
}

export function roundTrip(x: number, s: number, z: number, qmin: number, qmax: number): number {
  // Math.round rounds .5 up; ONNX QuantizeLinear rounds half to even. Ties are measure-zero for
  // trained weights, and the exported values are already on the grid, so both agree on them.
  const q = Math.min(qmax, Math.max(qmin, roundHalfEven(x / s) + z));
  return s * (q - z);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function paramsFor(lo: number, hi: number, symmetric: boolean, qmin: number, qmax: number): { scale: number; zeroPoint: number } {
  if (symmetric) {
    const a = Math.max(Math.abs(lo), Math.abs(hi));
    return { scale: a > 0 ? a / qmax : 1, zeroPoint: 0 };
  }
  // The range must contain 0 so that zero (pruned weights, padding) is exact.
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const scale = b > a ? (b - a) / (qmax - qmin) : 1;
  return { scale, zeroPoint: Math.min(qmax, Math.max(qmin, Math.round(qmin - a / scale))) };
}

/** The clipping range [α, β] of one channel. */
function rangeOf(xs: readonly number[], spec: QuantSpec, qmin: number, qmax: number): [number, number] {
  // A loop, not Math.min(...xs): activation sets are far larger than the argument limit.
  let lo = 0;
  let hi = 0;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  switch (spec.range.kind) {
    case 'minmax':
      return spec.symmetric ? [-Math.max(-lo, hi), Math.max(-lo, hi)] : [lo, hi];
    case 'percentile': {
      const q = spec.range.p / 100;
      if (spec.symmetric) {
        const a = quantile(xs.map(Math.abs), q);
        return [-a, a];
      }
      return [quantile(xs, 1 - q), quantile(xs, q)];
    }
    case 'mse': {
      // Golden-section search of the factor f ∈ [0.01, 1] scaling the min–max range (A62).
      const err = (f: number) => {
        const p = paramsFor(lo * f, hi * f, spec.symmetric, qmin, qmax);
        return xs.reduce((s, x) => s + (x - roundTrip(x, p.scale, p.zeroPoint, qmin, qmax)) ** 2, 0);
      };
      const f = goldenSection(err, 0.01, 1, 40);
      // The search is over a locally convex but not globally convex error: never do worse than min–max.
      const best = err(f) <= err(1) ? f : 1;
      return spec.symmetric ? [-Math.max(-lo, hi) * best, Math.max(-lo, hi) * best] : [lo * best, hi * best];
    }
  }
}

/** Linear-interpolated quantile q ∈ [0, 1]. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  return (s[i] ?? 0) + ((s[Math.min(i + 1, s.length - 1)] ?? 0) - (s[i] ?? 0)) * (pos - i);
}

function goldenSection(f: (x: number) => number, a: number, b: number, iterations: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [a, b];
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let [f1, f2] = [f(x1), f(x2)];
  for (let k = 0; k < iterations; k++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    }
  }
  return (lo + hi) / 2;
}

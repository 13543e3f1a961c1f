// Resizing one channel of an image with Pillow's antialiased bilinear filter, the default of
// torchvision's Resize on PIL images, so that a folder of images reads here as it does there.
//
// Separable: rows first, then columns (Pillow's order). Along an axis of n input and m output
// pixels, scale = n / m and the triangle filter is stretched by max(scale, 1): output pixel i,
// centred at c = (i + 0.5)·scale, is Σ_j w(j)·in[j] / Σ_j w(j) with
// w(j) = max(0, 1 − |j + 0.5 − c| / max(scale, 1)), over the input pixels within the support.
// Shrinking therefore averages every input pixel under the output pixel instead of sampling
// two (no aliasing), and equal sizes are the identity. Pillow rounds to 8 bits after each pass;
// here values stay float, so results agree with Pillow's within about one grey level.

/** `plane` (height × width, row-major) resampled to outHeight × outWidth. */
export function resizePlane(plane: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (width === outWidth && height === outHeight) return plane;
  const cols = coefficients(width, outWidth);
  const rows = coefficients(height, outHeight);
  const wide = new Float32Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < outWidth; i++) {
      let s = 0;
      const start = cols.start[i] ?? 0;
      const k = cols.weights[i] ?? EMPTY;
      for (let j = 0; j < k.length; j++) s += (k[j] ?? 0) * (plane[y * width + start + j] ?? 0);
      wide[y * outWidth + i] = s;
    }
  }
  const out = new Float32Array(outHeight * outWidth);
  for (let i = 0; i < outHeight; i++) {
    const start = rows.start[i] ?? 0;
    const k = rows.weights[i] ?? EMPTY;
    for (let x = 0; x < outWidth; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += (k[j] ?? 0) * (wide[(start + j) * outWidth + x] ?? 0);
      out[i * outWidth + x] = s;
    }
  }
  return out;
}

const EMPTY = new Float64Array(0);

interface Coefficients {
  /** First input pixel of each output pixel's window. */
  readonly start: Int32Array;
  /** The normalized weights of the window's pixels. */
  readonly weights: readonly Float64Array[];
}

/** Pillow's precompute_coeffs for the bilinear filter (support 1) over the whole axis. */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const start = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    const k = new Float64Array(Math.max(0, hi - lo));
    let total = 0;
    for (let j = 0; j < k.length; j++) {
      const w = Math.max(0, 1 - Math.abs((j + lo - center + 0.5) / filterScale));
      k[j] = w;
      total += w;
    }
    if (total > 0) for (let j = 0; j < k.length; j++) k[j] = (k[j] ?? 0) / total;
    start[i] = lo;
    weights.push(k);
  }
  return { start, weights };
}

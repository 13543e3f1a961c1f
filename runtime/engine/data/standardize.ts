// Per-feature input scaling of the `data` block, fitted on the training split only and then
// applied unchanged to every split (and, later, baked into the exported model).
//
// Each feature becomes (x − offset) / scale:
// - none: offset 0, scale 1.
// - zscore: offset = mean, scale = population standard deviation (divisor N, as scikit-learn's
//   StandardScaler); a constant feature gets scale 1 so it becomes 0 rather than NaN.
// - minmax: offset = min, scale = max − min, so training values land in [0, 1]; a constant
//   feature gets scale 1 (scikit-learn's MinMaxScaler does the same).
// Statistics are accumulated in float64. Labels are never scaled.

import { featureSize, type Dataset } from './types';

export type StandardizeMethod = 'none' | 'zscore' | 'minmax';

export interface Standardizer {
  readonly method: StandardizeMethod;
  /** Per feature, subtracted first. */
  readonly offset: Float64Array;
  /** Per feature, divided by second; never 0. */
  readonly scale: Float64Array;
  /** `ds` with every feature scaled; `ds` itself is not changed. */
  apply(ds: Dataset): Dataset;
}

export function fitStandardizer(train: Dataset, method: StandardizeMethod): Standardizer {
  const width = featureSize(train);
  const offset = new Float64Array(width);
  const scale = new Float64Array(width).fill(1);
  if (method === 'zscore' && train.count > 0) {
    const sums = columnSums(train, width, (v) => v);
    for (let f = 0; f < width; f++) offset[f] = (sums[f] ?? 0) / train.count;
    const squares = columnSums(train, width, (v, f) => (v - (offset[f] ?? 0)) ** 2);
    for (let f = 0; f < width; f++) scale[f] = nonZero(Math.sqrt((squares[f] ?? 0) / train.count));
  } else if (method === 'minmax' && train.count > 0) {
    const lo = new Float64Array(width).fill(Infinity);
    const hi = new Float64Array(width).fill(-Infinity);
    forEachValue(train, width, (v, f) => {
      lo[f] = Math.min(lo[f] ?? v, v);
      hi[f] = Math.max(hi[f] ?? v, v);
    });
    for (let f = 0; f < width; f++) {
      offset[f] = lo[f] ?? 0;
      scale[f] = nonZero((hi[f] ?? 0) - (lo[f] ?? 0));
    }
  }
  return {
    method,
    offset,
    scale,
    apply: (ds) => {
      if (method === 'none') return ds;
      if (featureSize(ds) !== width) throw new Error(`standardizer fitted on ${width} features applied to ${featureSize(ds)}`);
      const x = new Float32Array(ds.x.length);
      for (let i = 0; i < ds.x.length; i++) x[i] = ((ds.x[i] ?? 0) - (offset[i % width] ?? 0)) / (scale[i % width] ?? 1);
      return { ...ds, x };
    },
  };
}

function nonZero(s: number): number {
  return s > 0 && Number.isFinite(s) ? s : 1;
}

function columnSums(ds: Dataset, width: number, term: (v: number, f: number) => number): Float64Array {
  const sums = new Float64Array(width);
  forEachValue(ds, width, (v, f) => {
    sums[f] = (sums[f] ?? 0) + term(v, f);
  });
  return sums;
}

function forEachValue(ds: Dataset, width: number, visit: (v: number, feature: number) => void): void {
  for (let i = 0; i < ds.x.length; i++) visit(ds.x[i] ?? 0, i % width);
}

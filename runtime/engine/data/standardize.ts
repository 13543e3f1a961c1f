// Per-feature input scaling of the `data` block, fitted on the training split only and then
// applied unchanged to every split (and, later, baked into the exported model).
//
// Each feature becomes (x − offset) / scale:
// - none: offset 0, scale 1.
// - zscore: offset = mean, scale = population standard deviation (divisor N, as scikit-learn's
//   StandardScaler); a constant feature gets scale 1 so it becomes 0 rather than NaN.
// - minmax: offset = min, scale = max − min, so training values land in [0, 1]; a constant
//   feature gets scale 1 (scikit-learn's MinMaxScaler does the same).
// - channel: for images (channels × height × width), one offset and scale per channel: the mean
//   and population standard deviation over every training example and pixel of that channel, or
//   the `mean` and `std` the recipe gives (torchvision's Normalize(mean, std)).
// Statistics are accumulated in float64. Labels are never scaled. Offsets and scales are kept per
// feature whatever the method, so that a consumer (the augmentations' padding) reads them alike.

import { featureSize, type Dataset } from './types';

export type StandardizeMethod = 'none' | 'zscore' | 'minmax' | 'channel';

/** The data block's standardization: a method and, for `channel`, optional fixed statistics. */
export interface StandardizeOptions {
  readonly method: StandardizeMethod;
  /** Per-channel means (channel only); fitted on the training split when absent. */
  readonly mean?: readonly number[];
  /** Per-channel standard deviations, each > 0 (channel only). */
  readonly std?: readonly number[];
}

export interface Standardizer {
  readonly method: StandardizeMethod;
  /** Per feature, subtracted first. */
  readonly offset: Float64Array;
  /** Per feature, divided by second; never 0. */
  readonly scale: Float64Array;
  /** `ds` with every feature scaled; `ds` itself is not changed. */
  apply(ds: Dataset): Dataset;
}

/**
 * The standardizer the options ask for, fitted on `train`. The options were checked against the
 * data (`dataOptions`), so `channel` statistics of the wrong length here are a bug.
 */
export function standardizerFor(train: Dataset, options: StandardizeOptions): Standardizer {
  const { method, mean, std } = options;
  if (method !== 'channel' || (mean === undefined && std === undefined)) return fitStandardizer(train, method);
  const channels = train.inputShape[0] ?? 1;
  if ((mean && mean.length !== channels) || (std && std.length !== channels)) throw new Error(`standardizerFor: ${channels} channels, mean/std of ${mean?.length}/${std?.length}`);
  const fitted = mean === undefined || std === undefined ? channelStatistics(train, channels) : undefined;
  return perChannel(featureSize(train), channels, mean ?? fitted?.mean ?? [], std ?? fitted?.std ?? []);
}

export function fitStandardizer(train: Dataset, method: StandardizeMethod): Standardizer {
  const width = featureSize(train);
  if (method === 'channel') {
    const channels = train.inputShape[0] ?? 1;
    const { mean, std } = channelStatistics(train, channels);
    return perChannel(width, channels, mean, std);
  }
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
  return standardizer(method, offset, scale);
}

function standardizer(method: StandardizeMethod, offset: Float64Array, scale: Float64Array): Standardizer {
  const width = offset.length;
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

/** Each channel's value spread over its plane of the example's features. */
function perChannel(width: number, channels: number, mean: readonly number[], std: readonly number[]): Standardizer {
  const plane = width / channels;
  const offset = new Float64Array(width);
  const scale = new Float64Array(width);
  for (let c = 0; c < channels; c++) {
    offset.fill(mean[c] ?? 0, c * plane, (c + 1) * plane);
    scale.fill(std[c] ?? 1, c * plane, (c + 1) * plane);
  }
  return standardizer('channel', offset, scale);
}

/** Mean and population standard deviation of each channel over every example and pixel (two passes, float64). */
function channelStatistics(ds: Dataset, channels: number): { mean: number[]; std: number[] } {
  const width = featureSize(ds);
  const plane = width / channels;
  const n = ds.count * plane;
  const sums = new Float64Array(channels);
  forEachValue(ds, width, (v, f) => {
    const c = Math.floor(f / plane);
    sums[c] = (sums[c] ?? 0) + v;
  });
  const mean = Array.from(sums, (s) => (n > 0 ? s / n : 0));
  const squares = new Float64Array(channels);
  forEachValue(ds, width, (v, f) => {
    const c = Math.floor(f / plane);
    squares[c] = (squares[c] ?? 0) + (v - (mean[c] ?? 0)) ** 2;
  });
  return { mean, std: Array.from(squares, (s) => nonZero(n > 0 ? Math.sqrt(s / n) : 0)) };
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

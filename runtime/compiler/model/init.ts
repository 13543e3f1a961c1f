// Seeded JS initialization of a model's parameters and buffers, following PyTorch's torch.nn.init
// (he = kaiming_*, xavier = xavier_*, orthogonal = orthogonal_) and keras-contrib's
// ConvolutionAware for conv_aware. Pure numerics: no graph, no engine.

import { stringArg, numberArg } from './recipe';
import { irfft2, orthonormalColumns, symmetricEigenvectors } from './linalg';
import { type Rng, normals, tensorRng, uniforms } from './random';
import type { BufferInfo, InitSpec, ModelGraph, ParamInfo } from './types';

export interface InitializedTensors {
  /** One array per `model.params`, row-major in the parameter's shape. */
  readonly params: Float64Array[];
  readonly buffers: Float64Array[];
}

/** Each tensor draws from its own stream (seed, name), so the result depends only on those. */
export function initTensors(model: Pick<ModelGraph, 'params' | 'buffers'>, seed: number): InitializedTensors {
  const draw = (t: ParamInfo | BufferInfo): Float64Array | undefined => (t.init.kind === 'norm_of' ? undefined : initOne(t.init, t.shape, tensorRng(seed, t.name)));
  const drawn = model.params.map(draw);
  const byName = new Map(model.params.map((p, i) => [p.name, { info: p, data: drawn[i] }]));
  // norm_of reads the initial value of another parameter (weight norm's g = ‖v‖), drawn above.
  const params = model.params.map((p, i) => {
    const data = drawn[i];
    if (data !== undefined) return data;
    const of = p.init.kind === 'norm_of' ? byName.get(p.init.param) : undefined;
    if (of?.data === undefined) throw new Error(`initTensors: ${p.name} needs the norm of a parameter the model does not draw`);
    return rowNorms(of.data, of.info.shape);
  });
  const buffers = model.buffers.map((b) => {
    const data = draw(b);
    if (data === undefined) throw new Error(`initTensors: buffer ${b.name} cannot be initialized from a parameter`);
    return data;
  });
  return { params, buffers };
}

function initOne(init: Exclude<InitSpec, { kind: 'norm_of' }>, shape: readonly number[], rng: Rng): Float64Array {
  const n = size(shape);
  switch (init.kind) {
    case 'zeros':
      return new Float64Array(n);
    case 'ones':
      return new Float64Array(n).fill(1);
    case 'unit_normal': {
      const v = normals(rng, n);
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return v.map((x) => x / norm);
    }
    case 'technique':
      return techniqueInit(init, shape, rng);
  }
}

type TechniqueInit = Extract<InitSpec, { kind: 'technique' }>;

function techniqueInit(init: TechniqueInit, shape: readonly number[], rng: Rng): Float64Array {
  const n = size(shape);
  const draw = (distribution: string, std: number): Float64Array => (distribution === 'uniform' ? uniforms(rng, n, Math.sqrt(3) * std) : normals(rng, n, std));
  switch (init.name) {
    case 'he': {
      // kaiming_normal_/kaiming_uniform_ with nonlinearity='relu': gain √2, std = gain/√fan.
      const fan = stringArg(init.args, 'mode', 'fan_in') === 'fan_out' ? init.fanOut : init.fanIn;
      return draw(stringArg(init.args, 'distribution', 'normal'), Math.SQRT2 / Math.sqrt(fan));
    }
    case 'xavier': {
      const std = numberArg(init.args, 'gain', 1) * Math.sqrt(2 / (init.fanIn + init.fanOut));
      return draw(stringArg(init.args, 'distribution', 'uniform'), std);
    }
    case 'orthogonal':
      return orthogonal(shape, rng, numberArg(init.args, 'gain', 1));
    case 'conv_aware':
      // Dense weights have no spatial kernel: orthogonal, rescaled to the same He variance.
      return shape.length === 4 ? convolutionAware(shape, rng, numberArg(init.args, 'eps_std', 0.05), init.fanIn) : scaleToVariance(orthogonal(shape, rng, 1), 2 / init.fanIn);
    default:
      throw new Error(`initTensors: unknown init ${init.name}`);
  }
}

/**
 * torch.nn.init.orthogonal_: the weight viewed as [rows, cols] = [out, rest]; a Gaussian matrix
 * (transposed when rows < cols) is QR-factored, Q's columns get the signs of diag(R), × gain.
 */
function orthogonal(shape: readonly number[], rng: Rng, gain: number): Float64Array {
  const rows = shape[0] ?? 1;
  const cols = size(shape) / rows;
  const tall = rows >= cols;
  const [r, c] = tall ? [rows, cols] : [cols, rows];
  const q = orthonormalColumns(normals(rng, r * c), r, c);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * ((tall ? q[i * cols + j] : q[j * rows + i]) ?? 0);
  return out;
}

/**
 * keras-contrib ConvolutionAware (Aghajanyan 2017) for a kernel [out, in, kh, kw]: per output
 * filter, `in` orthonormal basis vectors of the kh·(⌊kw/2⌋ + 1) real Fourier coefficients (rows of
 * Uᵀ from SVDs of symmetric Gaussian matrices), each mapped back with irfft2 and given
 * N(0, eps_std²) noise; finally the whole kernel is scaled to the variance 2/fan_in.
 */
function convolutionAware(shape: readonly number[], rng: Rng, epsStd: number, fanIn: number): Float64Array {
  const [out = 1, stack = 1, kh = 1, kw = 1] = shape;
  const fourier = kh * (Math.floor(kw / 2) + 1);
  const result = new Float64Array(size(shape));
  for (let o = 0; o < out; o++) {
    const basis = createBasis(stack, fourier, rng, epsStd);
    basis.forEach((row, s) => {
      const spatial = irfft2(row, kh, kw);
      spatial.forEach((v, i) => (result[((o * stack + s) * kh * kw) + i] = v + epsStd * rng.normal()));
    });
  }
  return scaleToVariance(result, 2 / fanIn);
}

function createBasis(filters: number, size: number, rng: Rng, epsStd: number): Float64Array[] {
  if (size === 1) return Array.from({ length: filters }, () => normals(rng, 1, epsStd));
  const rows: Float64Array[] = [];
  const blocks = Math.floor(filters / size) + 1;
  for (let b = 0; b < blocks; b++) {
    const a = normals(rng, size * size);
    // Symmetrize: A + Aᵀ − diag(A).
    const sym = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) sym[i * size + j] = (a[i * size + j] ?? 0) + (i === j ? 0 : a[j * size + i] ?? 0);
    rows.push(...symmetricEigenvectors(sym, size));
  }
  return rows.slice(0, filters);
}

/** Scales w so that its population variance (numpy np.var) equals `variance`. */
function scaleToVariance(w: Float64Array, variance: number): Float64Array {
  const mean = w.reduce((s, x) => s + x, 0) / w.length;
  const current = w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length;
  const p = Math.sqrt(variance / current);
  return w.map((x) => x * p);
}

/** Per row (dim 0), the L2 norm over the other dims. */
function rowNorms(w: Float64Array, shape: readonly number[]): Float64Array {
  const rows = shape[0] ?? 1;
  const cols = w.length / rows;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += (w[i * cols + j] ?? 0) ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

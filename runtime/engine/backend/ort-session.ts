// One Session implementation for every onnxruntime flavour: onnxruntime-web and onnxruntime-node
// expose the same onnxruntime-common API, but each bundles its own Tensor class, so tensors are
// always made with the module that runs them.

import type * as ort from 'onnxruntime-common';
import type { HostData, HostDType, HostTensor, Session } from './types';

/** The part of an onnxruntime module the backends use. */
export interface OrtModule {
  readonly InferenceSession: typeof ort.InferenceSession;
  readonly Tensor: typeof ort.Tensor;
  readonly env: ort.Env;
}

export function isOrtModule(m: unknown): m is OrtModule {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  const session = r['InferenceSession'];
  return typeof session === 'function' && typeof r['Tensor'] === 'function' && typeof r['env'] === 'object' && 'create' in session;
}

export async function createOrtSession(m: OrtModule, model: Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<Session> {
  const session = await m.InferenceSession.create(model, options);
  return {
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    run: async (feeds) => {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(m, t);
      const results = await session.run(ortFeeds);
      const out: Record<string, HostTensor> = {};
      for (const [name, v] of Object.entries(results)) out[name] = fromOrt(name, v);
      return out;
    },
    release: () => session.release(),
  };
}

/** The named package versions (env.versions is shared by every loaded onnxruntime package). */
export function pickVersions(m: OrtModule, keys: readonly string[]): Record<string, string> {
  const versions: Readonly<Record<string, string | undefined>> = m.env.versions;
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = versions[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const EXPECTED: Readonly<Record<HostDType, string>> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  int64: 'BigInt64Array',
  bool: 'Uint8Array',
};

export function toOrt(m: OrtModule, t: HostTensor): ort.Tensor {
  checkData(t.dtype, t.data, t.shape);
  // The constructor overloads are per dtype; the check above ties data to dtype.
  switch (t.dtype) {
    case 'float32':
      return new m.Tensor('float32', t.data as Float32Array, t.shape);
    case 'float64':
      return new m.Tensor('float64', t.data as Float64Array, t.shape);
    case 'int64':
      return new m.Tensor('int64', t.data as BigInt64Array, t.shape);
    case 'bool':
      return new m.Tensor('bool', t.data as Uint8Array, t.shape);
  }
}

export function fromOrt(name: string, v: ort.OnnxValue): HostTensor {
  const dtype = v.type;
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int64' && dtype !== 'bool') throw new Error(`output ${name}: unsupported type ${dtype}`);
  const data = v.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof BigInt64Array || data instanceof Uint8Array)) {
    throw new Error(`output ${name}: its data is not on the CPU`);
  }
  checkData(dtype, data, v.dims);
  return { dtype, shape: [...v.dims], data };
}

function checkData(dtype: HostDType, data: HostData, shape: readonly number[]): void {
  if (data.constructor.name !== EXPECTED[dtype]) throw new Error(`a ${dtype} tensor needs a ${EXPECTED[dtype]}, got ${data.constructor.name}`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new Error(`a tensor of shape [${shape.join(',')}] needs ${n} values, got ${data.length}`);
}

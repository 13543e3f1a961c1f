// The webgpu backend: onnxruntime-node's bundled WebGPU execution provider (native Dawn). Device
// tensors are GPU buffers (`preferredOutputLocation: 'gpu-buffer'`) that the next run is fed as
// they are; they reach the host only through `download`.
//
// NOTE: onnxruntime-node 1.30 aborts the process on `getData()` of a gpu-buffer tensor, so
// downloads run an Identity graph whose outputs come back to the CPU, and uploads one whose
// outputs stay on the GPU (runtime-facts §10). Those helper sessions are cached per signature.

import { encodeModel, type ValueInfoMsg } from '../../compiler/onnx';
import type { AdapterInfo, Backend, HostDType, Session } from './types';
import { type OrtModule, OrtDeviceTensor, TransferCounter, createOrtSession, pickVersions } from './ort-session';

/**
 * Ops onnxruntime's WebGPU EP has no kernel for, which it would run on the CPU inside every step
 * (`minima debug placement` lists them): the cross-entropy's LogSoftmax is written as
 * ReduceMax/Sub/Exp/ReduceSum/Log instead. QAT's Round stays (no exact replacement in other ops).
 */
export const WEBGPU_AVOIDED_OPS: readonly string[] = ['LogSoftmax'];

export async function openWebgpu(m: OrtModule, threads: number, adapter: AdapterInfo | undefined, note?: string): Promise<Backend> {
  // logSeverityLevel 3: onnxruntime's warning that shape ops run on the CPU is expected, not news.
  const options = { executionProviders: ['webgpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 } as const;
  const counter = new TransferCounter();
  const config = { module: m, options, counter, deviceLocation: 'gpu-buffer' } as const;
  const copies = new Map<string, Promise<Session>>();
  const copier = (specs: readonly Spec[], to: 'device' | 'host'): Promise<Session> => {
    const key = `${to}|${specs.map((s) => `${s.dtype}[${s.shape.join(',')}]`).join(';')}`;
    let s = copies.get(key);
    if (!s) {
      s = createOrtSession(config, identityModel(specs), to === 'device' ? { deviceOutputs: specs.map((_, i) => `o${i}`) } : {});
      copies.set(key, s);
    }
    return s;
  };
  // Opening checks that the provider really gets an adapter: a failure here is a clear error now,
  // not a C++ message at the first step.
  try {
    await copier([{ dtype: 'float32', shape: [1] }], 'device');
  } catch (e) {
    throw new Error(`the webgpu backend found no usable adapter: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  const backend: Backend = {
    name: 'webgpu',
    info: { backend: 'webgpu', threads, versions: pickVersions(m, ['common', 'node']), ...(adapter ? { adapter } : {}), ...(note !== undefined ? { note } : {}) },
    avoidOps: WEBGPU_AVOIDED_OPS,
    createSession: (model, sessionOptions) => createOrtSession(config, model, sessionOptions),
    upload: async (t) => {
      const s = await copier([t], 'device');
      const out = await s.execute({ i0: t });
      return out.device['o0']!;
    },
    download: async (ts) => {
      if (ts.length === 0) return [];
      for (const t of ts) if (!(t instanceof OrtDeviceTensor) || t.owner !== counter) throw new Error('download: a device tensor of another backend');
      const s = await copier(ts, 'host');
      const out = await s.execute(Object.fromEntries(ts.map((t, i) => [`i${i}`, t])));
      return ts.map((_, i) => out.host[`o${i}`]!);
    },
    transfers: () => counter.read(),
    release: async () => {
      for (const s of copies.values()) await (await s).release();
      copies.clear();
    },
  };
  return backend;
}

interface Spec {
  readonly dtype: HostDType;
  readonly shape: readonly number[];
}

/** i0…iN-1 → Identity → o0…oN-1. */
function identityModel(specs: readonly Spec[]): Uint8Array {
  const info = (name: string, s: Spec): ValueInfoMsg => ({ name, dtype: s.dtype, dims: [...s.shape] });
  return encodeModel({
    irVersion: 8,
    opset: 17,
    producerName: 'minima',
    graph: {
      name: 'copy',
      nodes: specs.map((_, i) => ({ opType: 'Identity', name: `copy_${i}`, inputs: [`i${i}`], outputs: [`o${i}`], attrs: {} })),
      initializers: [],
      inputs: specs.map((s, i) => info(`i${i}`, s)),
      outputs: specs.map((s, i) => info(`o${i}`, s)),
      valueInfo: [],
    },
  });
}


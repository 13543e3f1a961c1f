// One Session implementation for every onnxruntime flavour: onnxruntime-web and onnxruntime-node
// expose the same onnxruntime-common API, but each bundles its own Tensor class, so tensors are
// always made with the module that runs them. Device tensors are onnxruntime tensors the engine
// never reads: on the CPU providers they hold host memory, on webgpu a GPU buffer
// (`preferredOutputLocation: 'gpu-buffer'`).

import type * as ort from 'onnxruntime-common';
import { isDeviceTensor, type DeviceTensor, type Feed, type HostData, type HostDType, type HostTensor, type RunOutputs, type Session, type SessionOptions, type Transfers } from './types';

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

/** A backend's byte counter (see Transfers); one per opened backend. */
export class TransferCounter {
  private toDevice = 0;
  private toHost = 0;
  addToDevice(bytes: number): void {
    this.toDevice += bytes;
  }
  addToHost(bytes: number): void {
    this.toHost += bytes;
  }
  read(): Transfers {
    return { toDevice: this.toDevice, toHost: this.toHost };
  }
}

/** An onnxruntime tensor kept by the backend. `owner` ties it to the module (and counter) that made it. */
export class OrtDeviceTensor implements DeviceTensor {
  readonly location = 'device';
  constructor(
    readonly tensor: ort.Tensor,
    readonly owner: TransferCounter,
  ) {}
  get dtype(): HostDType {
    return this.tensor.type as HostDType;
  }
  get shape(): readonly number[] {
    return this.tensor.dims;
  }
  dispose(): void {
    this.tensor.dispose();
  }
}

export interface OrtSessionConfig {
  readonly module: OrtModule;
  readonly options: ort.InferenceSession.SessionOptions;
  readonly counter: TransferCounter;
  /** Where device outputs live: 'cpu' for the CPU providers, 'gpu-buffer' on webgpu. */
  readonly deviceLocation: 'cpu' | 'gpu-buffer';
}

export async function createOrtSession(config: OrtSessionConfig, model: Uint8Array, sessionOptions: SessionOptions = {}): Promise<Session> {
  const { module: m, counter } = config;
  const device = new Set(sessionOptions.deviceOutputs ?? []);
  // Outputs not named in preferredOutputLocation come back to the CPU.
  const options: ort.InferenceSession.SessionOptions =
    config.deviceLocation === 'gpu-buffer' && device.size > 0 ? { ...config.options, preferredOutputLocation: Object.fromEntries([...device].map((n) => [n, 'gpu-buffer' as const])) } : config.options;
  const session = await m.InferenceSession.create(model, options);
  for (const name of device) if (!session.outputNames.includes(name)) throw new Error(`createSession: ${name} is not an output of the model`);
  const execute = async (feeds: Readonly<Record<string, Feed>>): Promise<RunOutputs> => {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrtFeed(m, counter, name, t);
    const results = await session.run(ortFeeds);
    const host: Record<string, HostTensor> = {};
    const dev: Record<string, DeviceTensor> = {};
    for (const [name, v] of Object.entries(results)) {
      if (device.has(name)) dev[name] = new OrtDeviceTensor(v as ort.Tensor, counter);
      else {
        const t = fromOrt(name, v);
        counter.addToHost(t.data.byteLength);
        host[name] = t;
      }
    }
    return { host, device: dev };
  };
  return {
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    execute,
    run: async (feeds) => {
      if (device.size > 0) throw new Error('run: this session keeps outputs on the device; use execute');
      return { ...(await execute(feeds)).host };
    },
    release: () => session.release(),
  };
}

/** upload and download for the CPU providers, where a device tensor is an onnxruntime tensor in host memory. */
export function cpuTransfers(m: OrtModule, counter: TransferCounter): { upload(t: HostTensor): Promise<DeviceTensor>; download(ts: readonly DeviceTensor[]): Promise<HostTensor[]> } {
  return {
    upload: async (t) => {
      counter.addToDevice(t.data.byteLength);
      return new OrtDeviceTensor(toOrt(m, { ...t, data: copyData(t.data) }), counter);
    },
    download: async (ts) =>
      ts.map((t, i) => {
        if (!(t instanceof OrtDeviceTensor) || t.owner !== counter) throw new Error('download: a device tensor of another backend');
        const h = fromOrt(`download ${i}`, t.tensor);
        counter.addToHost(h.data.byteLength);
        return { ...h, data: copyData(h.data) };
      }),
  };
}

/** The package versions of the named onnxruntime packages (env.versions is shared by every loaded onnxruntime package). */
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

function toOrtFeed(m: OrtModule, counter: TransferCounter, name: string, t: Feed): ort.Tensor {
  if (isDeviceTensor(t)) {
    if (!(t instanceof OrtDeviceTensor) || t.owner !== counter) throw new Error(`input ${name}: a device tensor of another backend`);
    return t.tensor;
  }
  counter.addToDevice(t.data.byteLength);
  return toOrt(m, t);
}

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
  if ('location' in v && v.location !== 'cpu' && v.location !== 'cpu-pinned') throw new Error(`output ${name}: its data is on the device (${v.location}); download it`);
  const data = v.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof BigInt64Array || data instanceof Uint8Array)) {
    throw new Error(`output ${name}: its data is not on the CPU`);
  }
  checkData(dtype, data, v.dims);
  return { dtype, shape: [...v.dims], data };
}

/** A copy of host data (so that a device tensor never aliases memory the engine may change). */
export function copyData(data: HostData): HostData {
  return data.slice();
}

function checkData(dtype: HostDType, data: HostData, shape: readonly number[]): void {
  if (data.constructor.name !== EXPECTED[dtype]) throw new Error(`a ${dtype} tensor needs a ${EXPECTED[dtype]}, got ${data.constructor.name}`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new Error(`a tensor of shape [${shape.join(',')}] needs ${n} values, got ${data.length}`);
}

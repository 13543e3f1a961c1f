// The backend contract: something that turns ONNX bytes into sessions that map host tensors to
// host tensors. The engine talks only to this interface, so an execution provider (wasm, native,
// later webgpu) is a choice made once, in openBackend.

export type HostDType = 'float32' | 'float64' | 'int64' | 'bool';

export type HostData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** A tensor in JS memory: float32/float64 as their arrays, int64 as BigInt64Array, bool as 0/1 bytes. */
export interface HostTensor {
  readonly dtype: HostDType;
  readonly shape: readonly number[];
  readonly data: HostData;
}

/** The backends that exist. NOTE: a 'webgpu' kind joins here and in open.ts (see there). */
export type BackendName = 'wasm' | 'native';

export interface BackendInfo {
  readonly backend: BackendName;
  /** Intra-op threads the sessions run with. */
  readonly threads: number;
  /** Package versions, e.g. { common: '1.30.0', web: '1.30.0' }. */
  readonly versions: Readonly<Record<string, string>>;
  /** Why 'auto' did not pick the native backend, when it did not. */
  readonly note?: string;
}

export interface Backend {
  readonly name: BackendName;
  readonly info: BackendInfo;
  createSession(model: Uint8Array): Promise<Session>;
}

export interface Session {
  /** The model's input and output names, as the runtime read them. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on one feed per input; returns every output by name. */
  run(feeds: Readonly<Record<string, HostTensor>>): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

export interface OpenOptions {
  /** 'auto': native when onnxruntime-node loads, else wasm. */
  readonly kind: 'auto' | BackendName;
  /** Intra-op threads (default 1: deterministic and friendly to a shared editor host). */
  readonly threads?: number;
  /**
   * The folder holding onnxruntime-web's `ort-wasm-simd-threaded.{mjs,wasm}` (default: the installed
   * package's dist/). A bundle (the extension's run worker) copies them next to itself and says so here.
   */
  readonly wasmDir?: string;
}

// The backend contract: something that turns ONNX bytes into sessions. The engine talks only to
// this interface, so an execution provider (wasm, native CPU, WebGPU) is a choice made once, in
// openBackend.
//
// Tensors come in two kinds. A HostTensor is JS memory the engine reads and writes. A
// DeviceTensor is owned by the backend: on webgpu a GPU buffer, on the CPU backends host memory
// the engine never looks into. Training state lives in device tensors between steps; it reaches
// the host only through `download`, which every caller writes out explicitly, and the backend
// counts every byte that crosses (`transfers`), so tests can hold a step to its discipline.

export type HostDType = 'float32' | 'float64' | 'int64' | 'bool';

export type HostData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** A tensor in JS memory: float32/float64 as their arrays, int64 as BigInt64Array, bool as 0/1 bytes. */
export interface HostTensor {
  readonly dtype: HostDType;
  readonly shape: readonly number[];
  readonly data: HostData;
}

/** A tensor owned by a backend (opaque to the engine). Dispose it when no session will be fed it again. */
export interface DeviceTensor {
  readonly location: 'device';
  readonly dtype: HostDType;
  readonly shape: readonly number[];
  dispose(): void;
}

/** What a session may be fed: host data (copied in by the run) or a device tensor (used in place). */
export type Feed = HostTensor | DeviceTensor;

export function isDeviceTensor(t: Feed): t is DeviceTensor {
  return 'location' in t && t.location === 'device';
}

/** The backends that exist. */
export type BackendName = 'wasm' | 'native' | 'webgpu';

/** The GPU adapter a webgpu backend runs on, as WebGPU's GPUAdapterInfo names it. */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software adapter (lavapipe, llvmpipe, SwiftShader, WARP): correct, but no faster than the CPU. */
  readonly software: boolean;
}

export interface BackendInfo {
  readonly backend: BackendName;
  /** Intra-op threads the sessions run with (the CPU part of a webgpu session included). */
  readonly threads: number;
  /** Package versions, e.g. { common: '1.30.0', web: '1.30.0' }. */
  readonly versions: Readonly<Record<string, string>>;
  /** The adapter of a webgpu backend. */
  readonly adapter?: AdapterInfo;
  /** Why 'auto' picked this backend and not a faster one, when it did not. */
  readonly note?: string;
}

/** Bytes moved between JS memory and the backend's tensors, since the backend was opened. */
export interface Transfers {
  /** Host data fed to runs and uploads. */
  readonly toDevice: number;
  /** Outputs that came back as host data, and downloads. */
  readonly toHost: number;
}

export interface SessionOptions {
  /**
   * Outputs that stay on the device, to be fed to a later run (the next step's parameters and
   * optimizer state). Every other output comes back as a HostTensor.
   */
  readonly deviceOutputs?: readonly string[];
}

export interface Backend {
  readonly name: BackendName;
  readonly info: BackendInfo;
  /** ONNX ops its execution provider would run on the CPU: graphs for it are compiled without them (toOnnx's `avoid`). */
  readonly avoidOps: readonly string[];
  createSession(model: Uint8Array, options?: SessionOptions): Promise<Session>;
  /** Copies host data into a new device tensor. */
  upload(t: HostTensor): Promise<DeviceTensor>;
  /** Copies device tensors to the host: the one way weights reach JS, so every caller names it. */
  download(ts: readonly DeviceTensor[]): Promise<HostTensor[]>;
  /** A running count of bytes moved (see Transfers). */
  transfers(): Transfers;
  /** Releases the backend's own helper sessions. */
  release(): Promise<void>;
}

/** A run's outputs: the host ones (data to read) and the device ones (to feed back). */
export interface RunOutputs {
  readonly host: Readonly<Record<string, HostTensor>>;
  readonly device: Readonly<Record<string, DeviceTensor>>;
}

export interface Session {
  /** The model's input and output names, as the runtime read them. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on one feed per input; returns every output by name, on the host or the device as the session was created. */
  execute(feeds: Readonly<Record<string, Feed>>): Promise<RunOutputs>;
  /** `execute` for a session created without device outputs: every output, on the host. */
  run(feeds: Readonly<Record<string, Feed>>): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

export interface OpenOptions {
  /** 'auto': webgpu on a hardware adapter, else native when onnxruntime-node loads, else wasm. */
  readonly kind: 'auto' | BackendName;
  /**
   * Intra-op threads. Default: 1 on native and webgpu (friendly to a shared editor host); on wasm
   * `defaultWasmThreads()` (every core, at most 4: backend/wasm.ts).
   */
  readonly threads?: number;
  /**
   * The folder holding onnxruntime-web's `ort-wasm-simd-threaded.{mjs,wasm}` (default: the installed
   * package's dist/). A bundle (the extension's run worker) copies them next to itself and says so here.
   */
  readonly wasmDir?: string;
  /** Receives what 'auto' tried and why it chose as it did (also kept in `info.note`). */
  readonly log?: (message: string) => void;
}

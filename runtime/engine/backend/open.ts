// openBackend: picks and configures an execution backend.
// NOTE: to add WebGPU, add 'webgpu' to BackendName (types.ts), a webgpu.ts that loads
// 'onnxruntime-web/webgpu' with the shims of runtime-facts §5 and sessions with
// executionProviders ['webgpu'], and one case below; 'auto' should keep preferring native until
// the webgpu build's startup cost (§5) is solved.

import type { Backend, OpenOptions } from './types';
import { type NativeLoad, loadNative, openNative } from './native';
import { openWasm } from './wasm';

export async function openBackend(options: OpenOptions, load: () => NativeLoad = loadNative): Promise<Backend> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`openBackend: threads must be a positive integer, got ${threads}`);
  switch (options.kind) {
    case 'wasm':
      return openWasm(threads, undefined, options.wasmDir);
    case 'native': {
      const native = load();
      if (!native.ok) throw new Error(`the native backend is unavailable: ${native.reason}. Use kind 'wasm' (or 'auto') instead.`);
      return openNative(native.module, threads);
    }
    case 'auto': {
      const native = load();
      return native.ok ? openNative(native.module, threads) : openWasm(threads, `native backend unavailable, using wasm: ${native.reason}`, options.wasmDir);
    }
  }
}

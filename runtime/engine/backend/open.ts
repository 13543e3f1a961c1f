// openBackend: picks and configures an execution backend.
// 'auto' takes the fastest backend that is really there: webgpu on a hardware adapter, else
// native (onnxruntime-node's CPU build), else wasm (onnxruntime-web). It never picks a software
// adapter (lavapipe, SwiftShader): they compute right but far slower than the CPU backends. What
// it tried and why it chose is logged and kept in `info.note`.

import type { Backend, OpenOptions } from './types';
import { type AdapterProbe, adapterLabel, probeAdapter } from './adapter';
import { type NativeLoad, loadNative, openNative } from './native';
import { defaultWasmThreads, openWasm } from './wasm';
import { openWebgpu } from './webgpu';

/** What openBackend may load; tests replace them. */
export interface BackendLoaders {
  readonly native: () => NativeLoad;
  readonly adapter: () => Promise<AdapterProbe>;
}

const DEFAULT_LOADERS: BackendLoaders = { native: () => loadNative(), adapter: () => probeAdapter() };

export async function openBackend(options: OpenOptions, loaders: Partial<BackendLoaders> = {}): Promise<Backend> {
  const load = { ...DEFAULT_LOADERS, ...loaders };
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) throw new Error(`openBackend: threads must be a positive integer, got ${options.threads}`);
  // Unset: 1 for onnxruntime-node's providers, the measured wasm default for wasm (wasm.ts).
  const threads = options.threads ?? 1;
  const wasmThreads = options.threads ?? defaultWasmThreads();
  switch (options.kind) {
    case 'wasm':
      return openWasm(wasmThreads, undefined, options.wasmDir);
    case 'native': {
      const native = load.native();
      if (!native.ok) throw new Error(`the native backend is unavailable: ${native.reason}. Use kind 'wasm' (or 'auto') instead.`);
      return openNative(native.module, threads);
    }
    case 'webgpu': {
      const native = load.native();
      if (!native.ok) throw new Error(`the webgpu backend needs onnxruntime-node, which is unavailable: ${native.reason}`);
      if (!hasWebgpuProvider(native.module)) throw new Error('the webgpu backend is unavailable: this onnxruntime-node build has no WebGPU execution provider');
      const probe = await load.adapter();
      // The adapter is named when Dawn's bindings are there; the run works without them.
      return openWebgpu(native.module, threads, probe.ok ? probe.adapter : undefined, probe.ok ? undefined : `the adapter is not named: ${probe.reason}`);
    }
    case 'auto':
      return openAuto(options, threads, wasmThreads, load);
  }
}

async function openAuto(options: OpenOptions, threads: number, wasmThreads: number, load: BackendLoaders): Promise<Backend> {
  const tried: string[] = [];
  const native = load.native();
  if (native.ok && hasWebgpuProvider(native.module)) {
    const probe = await load.adapter();
    if (probe.ok && !probe.adapter.software) {
      try {
        const b = await openWebgpu(native.module, threads, probe.adapter, `auto: webgpu on ${adapterLabel(probe.adapter)}`);
        options.log?.(b.info.note ?? '');
        return b;
      } catch (e) {
        tried.push(`webgpu: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else tried.push(probe.ok ? `webgpu: ${adapterLabel(probe.adapter)} is a software adapter, slower than the CPU` : `webgpu: ${probe.reason}`);
  } else if (native.ok) tried.push('webgpu: this onnxruntime-node build has no WebGPU execution provider');
  if (native.ok) {
    const note = `auto: native (${tried.join('; ')})`;
    options.log?.(note);
    return openNative(native.module, threads, note);
  }
  const note = `native backend unavailable, using wasm: ${native.reason}`;
  options.log?.(note);
  return openWasm(wasmThreads, note, options.wasmDir);
}

function hasWebgpuProvider(m: unknown): boolean {
  const list = (m as { listSupportedBackends?: () => readonly { name: string }[] }).listSupportedBackends;
  if (typeof list !== 'function') return false;
  try {
    return list().some((b) => b.name === 'webgpu');
  } catch {
    return false;
  }
}

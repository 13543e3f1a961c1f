// The native backend: onnxruntime-node's bundled CPU build. It is an optional dependency, so it is
// loaded on demand and a failure to load is a value the caller can report or fall back from.

import type { Backend } from './types';
import { type OrtModule, TransferCounter, cpuTransfers, createOrtSession, isOrtModule, pickVersions } from './ort-session';

export type NativeLoad = { readonly ok: true; readonly module: OrtModule } | { readonly ok: false; readonly reason: string };

export function loadNative(spec = 'onnxruntime-node'): NativeLoad {
  try {
    const m: unknown = require(spec);
    return isOrtModule(m) ? { ok: true, module: m } : { ok: false, reason: `${spec} does not look like an onnxruntime module` };
  } catch (e) {
    return { ok: false, reason: `${spec} did not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

export function openNative(m: OrtModule, threads: number, note?: string): Backend {
  // NOTE: onnxruntime-node and onnxruntime-web share one onnxruntime-common (one registry, one
  // env). Both register the 'cpu' provider; onnxruntime-node's priority (100 over 10) wins, while
  // 'wasm' stays onnxruntime-web's.
  const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1 } as const;
  const counter = new TransferCounter();
  return {
    name: 'native',
    info: { backend: 'native', threads, versions: pickVersions(m, ['common', 'node']), ...(note !== undefined ? { note } : {}) },
    avoidOps: [],
    createSession: (model, sessionOptions) => createOrtSession({ module: m, options, counter, deviceLocation: 'cpu' }, model, sessionOptions),
    ...cpuTransfers(m, counter),
    transfers: () => counter.read(),
    release: async () => undefined,
  };
}

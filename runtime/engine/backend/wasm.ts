// The wasm backend: onnxruntime-web's CPU build (SIMD + threads) running in Node.

import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from './types';
import { TransferCounter, cpuTransfers, createOrtSession, isOrtModule, pickVersions } from './ort-session';

/**
 * The wasm backend's thread count when none is asked for: every core, at most 4 (onnxruntime-web's
 * own cap). Measured by `npm run bench:train` on a quiet 2-core machine (PyTorch's peer valid),
 * 2 threads against 1, ms per step: the 784-1024-1024-10 MLP with Adam 72 vs 108, with SAM 107 vs
 * 176, the 28×28 CNN 67 vs 98, the transformer 43 vs 66, the digits CNN 2.4 vs 2.6, the small MLP
 * 4.9 vs 4.8. (Under a heavy load of other processes the second thread only paid where a core was
 * free.) In Node the pool is worker threads; a browser would also need crossOriginIsolated for it.
 */
export function defaultWasmThreads(cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, cores));
}

/** The thread count the process-wide wasm runtime was configured with (it cannot change after init). */
const configured = new WeakMap<object, number>();

export function openWasm(threads: number, note?: string, wasmDir?: string): Backend {
  const m: unknown = require('onnxruntime-web');
  if (!isOrtModule(m)) throw new Error('onnxruntime-web does not look like an onnxruntime module');
  const before = configured.get(m);
  if (before !== undefined && before !== threads) {
    throw new Error(`the wasm runtime already runs with ${before} thread(s) in this process; it cannot switch to ${threads}`);
  }
  if (before === undefined) {
    m.env.wasm.numThreads = threads;
    // Load the .mjs/.wasm from a folder on disk, never from a URL: the installed package's dist/,
    // or the folder a bundle copied them to.
    m.env.wasm.wasmPaths = (wasmDir ?? path.dirname(require.resolve('onnxruntime-web'))) + path.sep;
    configured.set(m, threads);
  }
  const options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all', intraOpNumThreads: threads } as const;
  const counter = new TransferCounter();
  return {
    name: 'wasm',
    info: { backend: 'wasm', threads, versions: pickVersions(m, ['common', 'web']), ...(note !== undefined ? { note } : {}) },
    avoidOps: [],
    createSession: (model, sessionOptions) => createOrtSession({ module: m, options, counter, deviceLocation: 'cpu' }, model, sessionOptions),
    ...cpuTransfers(m, counter),
    transfers: () => counter.read(),
    release: async () => undefined,
  };
}

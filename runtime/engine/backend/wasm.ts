// The wasm backend: onnxruntime-web's CPU build (SIMD + threads) running in Node.

import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from './types';
import { TransferCounter, cpuTransfers, createOrtSession, isOrtModule, pickVersions } from './ort-session';

/**
 * The wasm backend's thread count when none is asked for: half the cores, at most 4 (as
 * onnxruntime-web's own default), so 1 on a 2-core machine. Measured with bench/train-engine.ts,
 * the two counts alternating in one session on a shared 2-core machine (load 12-19): 1 thread
 * took 373 ms/step on the 28×28 CNN against 726 ms with 2, and 1010 against 1204 ms on SAM over
 * the 784-1024-1024-10 MLP; the pool's second thread only paid where a core was free (an idle
 * 2-core machine ran the small MLP's step 1.66× faster with 2). Half the cores leaves the rest to
 * the editor and whatever else runs. In Node the pool is worker threads; a browser would also need
 * crossOriginIsolated for it.
 */
export function defaultWasmThreads(cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.ceil(cores / 2)));
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

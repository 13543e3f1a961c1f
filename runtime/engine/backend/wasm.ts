// The wasm backend: onnxruntime-web's CPU build (SIMD + threads) running in Node.

import * as path from 'node:path';
import type { Backend } from './types';
import { TransferCounter, cpuTransfers, createOrtSession, isOrtModule, pickVersions } from './ort-session';

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

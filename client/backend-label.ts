// How the editor names a run's backend: `native`, `wasm`, or for webgpu the adapter it ran on,
// `webgpu · llvmpipe (software)`. The run table, the status bar and the output channel use it;
// the names come from the `started` event (RunInfo) or summary.json, never from the engine itself.
// Knows nothing about `vscode` or the DOM, so the webview bundle and the tests import it.

import type { AdapterInfo } from './protocol';

/** The short label: the backend, and the adapter's name on webgpu. */
export function backendLabel(backend: string, adapter: AdapterInfo | undefined): string {
  return backend === 'webgpu' && adapter ? `webgpu · ${adapterName(adapter)}` : backend;
}

/**
 * The adapter's name as a user knows it: the description up to its first colon (Mesa writes
 * `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)`), else the device or architecture, marked when it is a
 * software adapter.
 */
export function adapterName(a: AdapterInfo): string {
  const full = a.description || a.device || a.architecture || a.vendor || 'unknown adapter';
  const name = full.split(':')[0]!.trim() || full;
  const short = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
  return a.software ? `${short} (software)` : short;
}

/** The whole description, for a tooltip: `mesa llvmpipe: Mesa 25.0.7 (LLVM 15.0.6), software adapter`. */
export function adapterDetail(a: AdapterInfo): string {
  const name = a.description || a.device || a.architecture || 'unknown adapter';
  const vendor = a.vendor && !name.toLowerCase().startsWith(a.vendor.toLowerCase()) ? `${a.vendor} ` : '';
  return `${vendor}${name}${a.software ? ', software adapter (no faster than the CPU backends)' : ''}`;
}

const MAX_NAME = 40;

// The `minima.*` settings that runs and the results panel read, parsed from whatever the editor
// returns (unknown) into one value with defaults. Knows nothing about `vscode`: extension code
// passes a getter.

import * as path from 'node:path';
import type { BackendSetting } from './protocol';

export interface RunSettings {
  readonly backend: BackendSetting;
  /** Threads for onnxruntime; undefined lets the engine pick (1 on native/webgpu, every core up to 4 on wasm). */
  readonly threads: number | undefined;
  /** Where run folders go, relative to the workspace folder unless absolute. */
  readonly runsFolder: string;
  readonly maxParallel: number;
  /** EMA weight of the charts, 0 (raw) to 0.99. */
  readonly smoothing: number;
}

export const SETTING_DEFAULTS: RunSettings = { backend: 'auto', threads: undefined, runsFolder: '.minima/runs', maxParallel: 2, smoothing: 0.6 };

/** `get('runs.backend')` returns the raw value of `minima.runs.backend`, or undefined. */
export function readSettings(get: (key: string) => unknown): RunSettings {
  const backend = get('runs.backend');
  const threads = get('runs.threads');
  const folder = get('runs.folder');
  const parallel = get('runs.maxParallel');
  const smoothing = get('chart.smoothing');
  return {
    backend: backend === 'auto' || backend === 'wasm' || backend === 'native' || backend === 'webgpu' ? backend : SETTING_DEFAULTS.backend,
    threads: typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 ? threads : undefined,
    runsFolder: typeof folder === 'string' && folder.trim() !== '' ? folder : SETTING_DEFAULTS.runsFolder,
    maxParallel: typeof parallel === 'number' && Number.isInteger(parallel) && parallel >= 1 ? parallel : SETTING_DEFAULTS.maxParallel,
    smoothing: typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1 ? smoothing : SETTING_DEFAULTS.smoothing,
  };
}

/**
 * Why `setting` cannot run in this installation, or undefined: native and webgpu need
 * onnxruntime-node, which the generic (wasm-only) VSIX does not carry; `auto` falls back to wasm.
 */
export function unavailableBackend(setting: BackendSetting, hasOnnxruntimeNode: boolean): string | undefined {
  if (hasOnnxruntimeNode || (setting !== 'native' && setting !== 'webgpu')) return undefined;
  return `the ${setting} backend needs onnxruntime-node, which this installation of Minima does not carry (the generic VSIX runs wasm only). Install the VSIX for your platform (minima-<platform>.vsix, e.g. minima-linux-x64.vsix), or set "minima.runs.backend" to "auto" or "wasm".`;
}

/** The absolute runs folder: relative settings are resolved against the workspace folder, else the recipe's folder. */
export function runsDirFor(settings: RunSettings, workspaceDir: string | undefined, recipePath: string): string {
  if (path.isAbsolute(settings.runsFolder)) return settings.runsFolder;
  return path.resolve(workspaceDir ?? path.dirname(recipePath), settings.runsFolder);
}

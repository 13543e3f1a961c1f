// The environment a run worker needs before it opens a backend. Knows nothing about `vscode`;
// run-worker.ts calls it first thing, and the tests call it with their own environment.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * On Linux, gives the process a private XDG_RUNTIME_DIR (a fresh 0700 temp folder) when it has
 * none, and returns that folder so the caller can remove it at exit; returns undefined when
 * nothing was changed.
 *
 * NOTE: Dawn (the WebGPU implementation inside onnxruntime-node and the `webgpu` package) expects
 * XDG_RUNTIME_DIR on Linux; its Vulkan loader complains without it. An editor started from a
 * desktop session has one; a remote or container extension host (code-server, SSH, dev
 * containers) often does not. 'auto' probes the adapter too, so this is done for every run,
 * before any backend is opened.
 */
export function ensureRuntimeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, tmp: string = os.tmpdir()): string | undefined {
  if (platform !== 'linux' || (env['XDG_RUNTIME_DIR'] ?? '') !== '') return undefined;
  // mkdtemp creates the folder with mode 0700, as the XDG spec asks of a runtime directory.
  const dir = fs.mkdtempSync(path.join(tmp, 'minima-xdg-runtime-'));
  env['XDG_RUNTIME_DIR'] = dir;
  return dir;
}

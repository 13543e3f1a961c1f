// The ModelResolver the checker is given by its hosts (the language server, `minima check`): an
// imported model's file, read with the project's importer (compiler/model: importFacts) and kept
// until the file changes. The IO itself is injected too (`ModelFiles`), so this module, like the
// checker, touches no file system; each host passes one backed by node:fs.

import type { ModelResolution, ModelResolver } from '../checker';
import { importFacts } from '../compiler/model';

/** How a host reads model files, by the path as the recipe writes it (relative to the recipe's folder). */
export interface ModelFiles {
  /**
   * What identifies the file's current contents without reading it: its resolved path, mtime and
   * size. A message when it cannot be stat'ed (`cannot read the model x.onnx: ENOENT`); undefined
   * when the host cannot resolve paths at all (an untitled document).
   */
  stat(path: string): { readonly version: string } | { readonly error: string } | undefined;
  read(path: string): Uint8Array | { readonly error: string };
}

/** A resolver with its own cache; the host creates one per session (server) or per command (CLI). */
export function createModelResolver(files: ModelFiles): ModelResolver {
  const cache = new Map<string, { readonly version: string; readonly resolution: ModelResolution }>();
  return (path) => {
    const stat = files.stat(path);
    if (stat === undefined) return undefined;
    if ('error' in stat) return { kind: 'error', message: stat.error };
    const hit = cache.get(path);
    if (hit !== undefined && hit.version === stat.version) return hit.resolution;
    const bytes = files.read(path);
    const resolution = 'error' in bytes ? { kind: 'error' as const, message: bytes.error } : resolutionOf(bytes);
    cache.set(path, { version: stat.version, resolution });
    return resolution;
  };
}

/** What the importer makes of the file: its facts, or why it does not import (with the nodes it cannot train through, if that is why). */
function resolutionOf(bytes: Uint8Array): ModelResolution {
  const facts = importFacts(bytes);
  if (facts.ok) return { kind: 'model', facts };
  return { kind: 'unsupported', message: facts.message, nodes: facts.unsupported };
}

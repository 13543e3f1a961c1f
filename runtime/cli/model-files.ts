// The file system side of the checker's model resolver (analysis/model-resolver.ts), for the hosts
// that run on Node: `minima check` and the language server. Paths are resolved against the
// recipe's folder, as the run resolves them; a file is identified by its path, mtime and size, so
// that an unchanged model is read once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createModelResolver, type ModelFiles } from '../analysis';
import type { ModelResolver } from '../checker';

/** Model files relative to `baseDir` (the recipe's folder). */
export function nodeModelFiles(baseDir: string): ModelFiles {
  const where = (p: string): string => path.resolve(baseDir, p);
  return {
    stat: (p) => {
      try {
        const s = fs.statSync(where(p));
        if (!s.isFile()) return { error: `the model ${p} is not a file` };
        return { version: `${where(p)}:${s.mtimeMs}:${s.size}` };
      } catch (e) {
        return { error: `cannot read the model ${p}: ${reason(e)}` };
      }
    },
    read: (p) => {
      try {
        return new Uint8Array(fs.readFileSync(where(p)));
      } catch (e) {
        return { error: `cannot read the model ${p}: ${reason(e)}` };
      }
    },
  };
}

/**
 * One resolver per recipe folder, sharing nothing between folders: the host keeps this function
 * (per command or per server session) and asks it for the folder of each recipe it checks.
 */
export function modelResolvers(): (baseDir: string) => ModelResolver {
  const byDir = new Map<string, ModelResolver>();
  return (baseDir) => {
    const dir = path.resolve(baseDir);
    let r = byDir.get(dir);
    if (r === undefined) {
      r = createModelResolver(nodeModelFiles(dir));
      byDir.set(dir, r);
    }
    return r;
  };
}

function reason(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code !== '' ? code : e instanceof Error ? e.message : String(e);
}

// Confinement: whether a path Minima is about to write lies inside a folder it may write to. The
// lexical test alone is fooled by a symbolic link inside the folder that points out of it, so the
// part of the path that exists is resolved through its links first.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when the absolute `target` is `root` or lies below it, by the names alone. */
export function isInside(target: string, root: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** True when the absolute `target` lies inside `root` both by its names and after following links. */
export function isInsideReal(target: string, root: string): boolean {
  return isInside(target, root) && isInside(realPath(target), realPath(root));
}

/** `p` with the links of its longest existing prefix resolved; the missing rest is kept as written. */
export function realPath(p: string): string {
  const missing: string[] = [];
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    try {
      return path.join(fs.realpathSync(at), ...missing);
    } catch {
      if (path.dirname(at) === at) return path.resolve(p);
      missing.unshift(path.basename(at));
    }
  }
}

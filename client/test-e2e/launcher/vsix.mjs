// @ts-check
// Packs the extension with @vscode/vsce, exactly as `npm run package` does (same flags, same
// .vscodeignore), for `--install-extension`: the UI scenario runs without the smoke-test driver,
// and only that driver makes the workbench honour extensionDevelopmentPath. The bundles in dist/
// are the ones run.mjs built.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './env.mjs';

/** Writes `target` and returns it. */
export function packVsix(target) {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', target], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return target;
}

// @ts-check
// Packs the extension with @vscode/vsce, exactly as `npm run package` does (same flags, same
// .vscodeignore), for `--install-extension`: the UI scenario runs without the smoke-test driver,
// and only that driver makes the workbench honour extensionDevelopmentPath. The bundles in dist/
// are the ones run.mjs built. The VSIX is checked like `npm run package` checks it.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './env.mjs';

/** Writes `target` and returns it. */
export function packVsix(target) {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', target], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  // The same check as `npm run package` (size budget, required files, nothing extra).
  const check = spawnSync(process.execPath, [path.join(ROOT, 'client', 'packaging', 'check-vsix.mjs'), target], { cwd: ROOT, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`the VSIX fails its check:\n${check.stdout}${check.stderr}`);
  console.log(`[vsix] ${check.stdout.trim().split('\n').slice(-2).join(' ')}`);
  return target;
}

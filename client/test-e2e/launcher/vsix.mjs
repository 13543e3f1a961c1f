// @ts-check
// Packs the VSIX the UI scenario installs, exactly as `npm run package` does (package.mjs: the
// same staging, vsce flags, .vscodeignore and check), for this machine's platform: the platform
// VSIX with onnxruntime-node and dawn.node when there is one (linux-x64 here), else the generic one.
// The UI scenario runs without the smoke-test driver, and only that driver makes the workbench
// honour extensionDevelopmentPath. The bundles in dist/ are the ones run.mjs built.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { packTarget } from '../../packaging/package.mjs';
import { PLATFORMS } from '../../packaging/platforms.mjs';

/** This machine's VSIX target: `linux-x64`, … or 'universal'. */
export function hostTarget() {
  const t = `${process.platform}-${process.arch}`;
  return PLATFORMS[t] ? t : 'universal';
}

/** Packs and checks the host's VSIX into `dir`; returns its path. */
export function packVsix(dir) {
  const target = hostTarget();
  const t0 = Date.now();
  const file = packTarget(target, dir);
  console.log(`[vsix] ${path.basename(file)} (${target}): ${(fs.statSync(file).size / 1024 / 1024).toFixed(2)} MiB, packed and checked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

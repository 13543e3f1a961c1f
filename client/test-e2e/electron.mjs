#!/usr/bin/env node
// @ts-check
// For machines that CAN download VS Code: runs the same extension-host suites with
// @vscode/test-electron's runTests (desktop VS Code, downloaded into .vscode-test/ by the package).
// Not used by `npm run test:e2e`: offline, runTests fails with ENOTFOUND update.code.visualstudio.com.
// @vscode/test-electron is installed on demand into .cache/e2e/te (not a project dependency).
// Usage: node client/test-e2e/electron.mjs [--suites=language,runs]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { CACHE, copyFixtures, ROOT, TESTS_INDEX } from './launcher/env.mjs';

const te = path.join(CACHE, 'te');
if (!fs.existsSync(path.join(te, 'node_modules', '@vscode', 'test-electron', 'package.json'))) {
  fs.mkdirSync(te, { recursive: true });
  if (!fs.existsSync(path.join(te, 'package.json'))) fs.writeFileSync(path.join(te, 'package.json'), '{"name":"e2e-test-electron","private":true}\n');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '@vscode/test-electron'], { cwd: te, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
for (const [cmd, args] of [['node', [path.join(ROOT, 'node_modules', '.bin', 'webpack'), '--mode', 'development', '--stats', 'errors-warnings']], ['node', [path.join(ROOT, 'node_modules', '.bin', 'tsc'), '-p', path.join(ROOT, 'client', 'test-e2e')]]]) {
  if (spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
}
/** @type {{ runTests: (o: { extensionDevelopmentPath: string, extensionTestsPath: string, launchArgs?: string[], extensionTestsEnv?: Record<string, string> }) => Promise<number> }} */
const { runTests } = createRequire(path.join(te, 'package.json'))('@vscode/test-electron');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-e2e-electron-'));
copyFixtures(ws);
const suites = process.argv.find((a) => a.startsWith('--suites='))?.slice('--suites='.length) ?? '';
try {
  const code = await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: TESTS_INDEX,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { MINIMA_E2E_SUITES: suites },
  });
  process.exitCode = code;
} catch (e) {
  console.error(`runTests failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}

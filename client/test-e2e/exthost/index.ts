// The extensionTestsPath module: the workbench loads it in the extension host after activating the
// extension under development, and calls `run()`; a rejection becomes exit code 1.
// MINIMA_E2E_SUITES (comma-separated suite names, inherited from the launcher through the server)
// picks suites; all run by default.

import * as vscode from 'vscode';
import { runSuite, type Suite, type SuiteResult } from './harness';
import { activationSuite } from './activation';
import { languageSuite } from './language';
import { runsSuite } from './runs';

const SUITES: readonly Suite[] = [activationSuite, languageSuite, runsSuite];

export async function run(): Promise<void> {
  const wanted = (process.env['MINIMA_E2E_SUITES'] ?? '').split(',').filter((s) => s !== '');
  const suites = wanted.length > 0 ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  if (suites.length === 0) throw new Error(`no suite matches MINIMA_E2E_SUITES=${wanted.join(',')}`);
  const ext = vscode.extensions.getExtension('minima.minima');
  if (!ext) throw new Error('the extension under development (minima.minima) is not loaded');
  await ext.activate();
  console.log(`extension host: node ${process.versions.node}, ${vscode.env.appName} ${vscode.version}`);
  const results: SuiteResult[] = [];
  for (const s of suites) results.push(await runSuite(s));
  const failed = results.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} case(s) failed`);
}

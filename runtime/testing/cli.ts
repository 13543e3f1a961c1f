// Test support: the compiled CLI run in its own process, as the `minima` command runs it, in a
// chosen folder and (for permission tests under root) as another user.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const MAIN = path.join(__dirname, '..', 'cli', 'main.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** The working folder (default: this process's, the repository). */
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

export function runCli(args: readonly string[], options: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, ...args], { encoding: 'utf8', timeout: 120_000, ...options });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

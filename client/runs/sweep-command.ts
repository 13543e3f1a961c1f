// The ▶ Sweep lens and command without vscode (tested in plain Node): where a recipe's sweep block
// starts, and how to start `minima sweep` for a file in a terminal. The terminal runs the CLI's
// own process (no shell, so no quoting): the extension's bin/minima.js when the extension carries
// the compiled CLI (a checkout, the development host), else the workspace's
// node_modules/.bin/minima (`npm install minima`), else `minima` on PATH.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The line of the first `sweep grid` / `sweep random` block header, or undefined. */
export function sweepBlockLine(lines: readonly string[]): number | undefined {
  const i = lines.findIndex((l) => /^\s*sweep\s+[A-Za-z_]\w*\s*\{/.test(l));
  return i < 0 ? undefined : i;
}

export interface SweepTerminal {
  /** The program the terminal runs, and its arguments. */
  readonly shellPath: string;
  readonly shellArgs: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** What is shown in the terminal's tab and the output channel. */
  readonly name: string;
  readonly description: string;
}

export interface CliPlaces {
  readonly extensionDir: string;
  readonly workspaceDir?: string;
  /** A Node binary; in the editor `process.execPath` is Electron's, which runs as Node with ELECTRON_RUN_AS_NODE=1. */
  readonly node: string;
  readonly nodeIsElectron: boolean;
  readonly exists?: (p: string) => boolean;
}

/** How to run `minima sweep <file>` in a terminal. */
export function sweepTerminal(file: string, places: CliPlaces): SweepTerminal {
  const exists = places.exists ?? fs.existsSync;
  const cwd = path.dirname(file);
  const args = ['sweep', path.basename(file)];
  const name = `Minima sweep: ${path.basename(file)}`;
  const own = path.join(places.extensionDir, 'bin', 'minima.js');
  if (exists(own) && exists(path.join(places.extensionDir, 'out', 'runtime', 'cli', 'main.js'))) {
    return { shellPath: places.node, shellArgs: [own, ...args], cwd, env: places.nodeIsElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {}, name, description: `${path.basename(places.node)} ${own} ${args.join(' ')}` };
  }
  const local = places.workspaceDir ? path.join(places.workspaceDir, 'node_modules', '.bin', 'minima') : undefined;
  if (local && exists(local)) return { shellPath: local, shellArgs: args, cwd, env: {}, name, description: `${local} ${args.join(' ')}` };
  return { shellPath: 'minima', shellArgs: args, cwd, env: {}, name, description: `minima ${args.join(' ')}` };
}

/** Whether `command` is an executable file in one of PATH's folders. */
export function onPath(command: string, pathVariable = process.env['PATH'] ?? '', exists: (p: string) => boolean = fs.existsSync): boolean {
  return pathVariable.split(path.delimiter).some((dir) => dir !== '' && exists(path.join(dir, command)));
}

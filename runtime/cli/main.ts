// `minima <command> …`: argument dispatch and the one place where an unexpected exception is caught.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentError } from '../engine';
import { checkCommand } from './check';
import { debugCommand } from './debug';
import { EXIT } from './exit-codes';
import { reportCommand } from './report-command';
import { runCommand } from './run';
import { sweepCommand } from './sweep';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly cwd: string;
}

const HELP = `Usage: minima <command> [options]

Commands:
  check <files or folders…> [--json]   Check recipes and print compiler-style diagnostics.
                                       Folders are searched recursively for *.minima files.
                                       Exit code: 0 clean (warnings allowed), 1 errors,
                                       2 unreadable files or bad usage.
  run <recipe> [--backend auto|wasm|native|webgpu] [--threads N] [--epochs N]
               [--json] [--report out.html] [--runs DIR]
                                       Train a recipe with a live progress bar, print the
                                       final metrics, the run folder (.minima/runs/<id>
                                       next to the recipe unless --runs) and the exported
                                       model. Ctrl-C or SIGTERM stops the run within one
                                       step and keeps what was written.
                                       Exit code: 0 finished, 1 failed, 2 bad usage,
                                       73 a folder or file could not be written, 130 stopped
                                       (Ctrl-C), 143 stopped by SIGTERM.
  sweep <recipe> [--parallel N] [--rerun failed|all] [--on local|slurm|kubernetes]
                 [--status] [--collect] [--json]
                                       Run every trial of the recipe's sweep block in a
                                       pool of processes (.minima/sweeps/<recipe>/ next
                                       to the recipe), on Slurm as a job array, or write
                                       a Kubernetes Indexed Job (--emit job.yaml); then
                                       print a table sorted by the sweep's metric.
                                       Finished trials are skipped on a rerun; Ctrl-C
                                       stops every trial within a second. Exit code: 0
                                       all finished, 1 a trial failed, 130 stopped.
  report <run or sweep folders…> -o out.html [--title TEXT]
                                       Write one self-contained HTML page of existing runs:
                                       the results panel's charts, run table, compare and
                                       compression views, offline. A sweep folder stands for
                                       its trials. Exit code: 0 written, 1 no run found,
                                       2 bad usage, 73 the file could not be written.
  debug placement <recipe> [--backend webgpu|native] [--json]
                                       List which execution provider runs each node of
                                       the recipe's train and evaluation graphs.
  lsp --stdio                          Start the language server on stdin/stdout.

Options:
  -h, --help       Show this help (\`minima <command> --help\` for one command's).
  -v, --version    Show the version.

Exit code 70 is an internal error (a bug in Minima).

Set MINIMA_DEBUG=1 to print stack traces of internal errors.
`;

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  cwd: process.cwd(),
};

/** Runs the CLI and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // The file system refusing a write is not a bug: say which path and what to do.
    const env = environmentError(e, 'write a file', '');
    if (env) {
      io.err(`minima: ${env.message}\n`);
      return EXIT.cannotWrite;
    }
    // A throw is a bug in Minima, not in the recipe: say so once, without a stack trace.
    const message = e instanceof Error ? e.message : String(e);
    io.err(`minima: internal error: ${message}\n`);
    if (process.env['MINIMA_DEBUG'] === '1' && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    else io.err('Set MINIMA_DEBUG=1 to see the stack trace, and please report the issue.\n');
    return EXIT.internal;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(HELP);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      io.out(`minima ${version()}\n`);
      return 0;
    case 'check':
      return checkCommand(rest, io);
    case 'run': {
      // Ctrl-C (SIGINT) and SIGTERM (a service manager, `kill`, a CI timeout) stop the run within
      // one step: the summary says cancelled, and the exit code names the signal (130, 143). A
      // second signal exits at once.
      const controller = new AbortController();
      const stopped: { by?: NodeJS.Signals } = {};
      const stop = (signal: NodeJS.Signals) => {
        if (controller.signal.aborted) process.exit(exitFor(stopped.by ?? signal));
        stopped.by = signal;
        controller.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        const code = await runCommand(rest, io, controller.signal);
        return code === EXIT.stopped && stopped.by !== undefined ? exitFor(stopped.by) : code;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    }
    case 'sweep': {
      // Ctrl-C stops every running trial; finished ones are kept and skipped by the next run.
      const controller = new AbortController();
      const stop = () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        return await sweepCommand(rest, io, controller.signal);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    }
    case 'report':
      return reportCommand(rest, io);
    case 'debug':
      return debugCommand(rest, io);
    case 'lsp':
      io.err('minima: start the language server through bin/minima.js (`npx minima lsp --stdio`).\n');
      return 2;
    default:
      io.err(`minima: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

/** The exit code of a run stopped by `signal`: 128 + its number, as shells report it. */
function exitFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.stopped;
}

/** The version in the package.json above this file (source and compiled output sit at different depths). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg: unknown = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'minima' && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

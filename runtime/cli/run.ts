// `minima run <recipe> [--backend auto|wasm|native|webgpu] [--threads N] [--epochs N] [--json] [--report out.html] [--runs DIR]`:
// checks the recipe (diagnostics as `minima check` prints them), trains it with a live progress
// bar, prints a final table, the run folder and where the model and the report went. Ctrl-C or
// SIGTERM (through `signal`, from main.ts) stops the run within one step and keeps every metric
// written so far.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { CATALOG } from '../catalog';
import { printable } from '../language';
import { isEnvironmentError, readSummary, runRecipe, type RunEvent } from '../engine';
import { parseCommandArgs } from './args';
import { formatDiagnostic } from './check';
import { EXIT } from './exit-codes';
import type { Io } from './main';
import { modelResolvers } from './model-files';
import { outputPathProblem } from './outputs';
import { progressSink } from './progress';
import { reportFile } from './report-command';

export const RUN_USAGE = `usage: minima run <recipe.minima> [options]

Trains a recipe with a live progress bar, then prints the final metrics, the run folder,
the exported model (\`model: …\`, from report { export }) and the report (\`report: …\`).

Options:
  --backend auto|wasm|native|webgpu   Where to train (default auto).
  --threads N                         Threads for the backend.
  --epochs N                          Train N epochs instead of the recipe's (a quick run).
  --json                              Print the run's events as JSON lines instead.
  --report FILE.html                  Write a self-contained HTML report of the run (the
                                      page \`minima report <run folder>\` makes).
  --runs DIR                          Keep the run folder under DIR (default: .minima/runs
                                      next to the recipe).
  -h, --help                          Show this help.

--runs and --report must lie inside the current folder or the recipe's folder. A file that
Minima did not write is never replaced: the report then goes to name-2.html.
Ctrl-C or SIGTERM stops the run within one step and keeps what was written; a second one
exits at once.
Exit code: 0 finished, 1 failed, 2 bad usage, 73 a folder or file could not be written,
130 stopped (Ctrl-C), 143 stopped by SIGTERM.
`;

const BACKENDS = ['auto', 'wasm', 'native', 'webgpu'] as const;

export async function runCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseRunArgs(args);
  if (parsed === 'help') {
    io.out(RUN_USAGE);
    return EXIT.ok;
  }
  if (typeof parsed === 'string') {
    io.err(`minima run: ${parsed}; see \`minima run --help\`\n`);
    return EXIT.usage;
  }
  const file = path.resolve(io.cwd, parsed.file);
  const roots = { cwd: path.resolve(io.cwd), recipeDir: path.dirname(file) };
  for (const [flag, given] of [['--runs', parsed.runs], ['--report', parsed.report]] as const) {
    const problem = given === undefined ? undefined : outputPathProblem(flag, given, roots);
    if (problem) {
      io.err(`minima run: ${problem}\n`);
      return EXIT.usage;
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`minima run: cannot read ${printable(parsed.file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return EXIT.usage;
  }
  // The same check as `minima check`, imported model included (read relative to the recipe).
  const analysis = analyze(text, CATALOG, { resolveModel: modelResolvers()(path.dirname(file)) });
  for (const d of analysis.diagnostics) io.err(`${formatDiagnostic(parsed.file, analysis.lines, d)}\n`);
  if (!analysis.recipe) {
    io.err(`minima run: ${printable(parsed.file)} has errors; fix them first (\`minima check ${printable(parsed.file)}\`).\n`);
    return EXIT.failed;
  }
  if (analysis.tree.blocks.some((b) => b.keyword.name === 'sweep')) io.err(`note: minima run trains the recipe as written and ignores its sweep block; \`minima sweep ${parsed.file}\` runs the trials\n`);
  const show = (p: string) => path.relative(io.cwd, p) || p;
  const live = parsed.json ? (e: RunEvent) => io.out(`${JSON.stringify(e)}\n`) : progressSink(io);
  const result = await runRecipe(analysis.recipe, {
    baseDir: path.dirname(file),
    recipeText: text,
    recipePath: file,
    runsDir: path.resolve(io.cwd, parsed.runs ?? path.join(path.dirname(file), '.minima', 'runs')),
    backend: parsed.backend,
    ...(parsed.threads !== undefined ? { threads: parsed.threads } : {}),
    ...(parsed.epochs !== undefined ? { epochs: parsed.epochs } : {}),
    ...(signal ? { signal } : {}),
    onEvent: live,
  });
  if (!parsed.json) {
    if (result.runDir) io.out(`run folder: ${show(result.runDir)}\n`);
    if (result.exportPath) io.out(`model: ${show(result.exportPath)}\n`);
  }
  if (result.environment) {
    // The progress sink has printed the message (a `failed` event); say how to choose elsewhere.
    if (result.environment.action === 'create the run folder' && parsed.runs === undefined) io.err('minima run: keep runs in another folder with --runs DIR\n');
    return EXIT.cannotWrite;
  }
  if (parsed.report) {
    // The report is drawn from the run folder, as `minima report` draws it.
    const summary = result.runDir ? readSummary(result.runDir) : undefined;
    if (!result.runDir || !summary) {
      io.err('minima run: no run folder was written, so there is no report\n');
      return EXIT.cannotWrite;
    }
    const written = reportFile([{ dir: result.runDir, summary }], path.resolve(io.cwd, parsed.report), show);
    if (typeof written === 'string') {
      io.err(`minima run: ${written}\n`);
      return EXIT.failed;
    }
    if (isEnvironmentError(written)) {
      io.err(`minima run: ${written.message}\n`);
      return EXIT.cannotWrite;
    }
    if (written.note) io.err(`warning: ${written.note}\n`);
    if (!parsed.json) io.out(`report: ${show(written.path)}\n`);
  }
  return result.status === 'finished' ? EXIT.ok : result.status === 'cancelled' ? EXIT.stopped : EXIT.failed;
}

interface RunArgs {
  readonly file: string;
  readonly backend: (typeof BACKENDS)[number];
  readonly threads?: number;
  readonly epochs?: number;
  readonly json: boolean;
  readonly report?: string;
  readonly runs?: string;
}

function parseRunArgs(args: readonly string[]): RunArgs | 'help' | string {
  const parsed = parseCommandArgs(args, {
    backend: { type: 'string' },
    threads: { type: 'string' },
    epochs: { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
    runs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'string') return parsed;
  const v = parsed.values;
  if (v['help'] === true) return 'help';
  const str = (name: string) => (typeof v[name] === 'string' ? v[name] : undefined);
  const backend = str('backend') ?? 'auto';
  if (!isBackend(backend)) return `--backend takes ${BACKENDS.join(', ')}, not ${backend || 'nothing'}`;
  const counts: { threads?: number; epochs?: number } = {};
  for (const name of ['threads', 'epochs'] as const) {
    const given = str(name);
    if (given === undefined) continue;
    const n = Number(given);
    if (given.trim() === '' || !Number.isInteger(n) || n < 1) return `--${name} takes a positive integer, not ${given || 'nothing'}`;
    counts[name] = n;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return 'give a recipe file';
  if (extra.length > 0) return `give one recipe, found ${parsed.positionals.length}`;
  const report = str('report');
  const runs = str('runs');
  return { file, backend, json: v['json'] === true, ...counts, ...(report !== undefined ? { report } : {}), ...(runs !== undefined ? { runs } : {}) };
}

function isBackend(s: string): s is RunArgs['backend'] {
  return (BACKENDS as readonly string[]).includes(s);
}

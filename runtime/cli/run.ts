// `minima run <recipe> [--backend auto|wasm|native] [--threads N] [--epochs N] [--json] [--report out.html] [--runs DIR]`:
// checks the recipe (diagnostics as `minima check` prints them), trains it with a live progress
// bar, prints a final table and the run folder. Ctrl-C stops the run within one step and keeps
// every metric written so far.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { runRecipe, type RunEvent } from '../engine';
import { formatDiagnostic } from './check';
import type { Io } from './main';
import { progressSink } from './progress';
import { renderReport } from './report';

const USAGE = 'usage: minima run <recipe.minima> [--backend auto|wasm|native] [--threads N] [--epochs N] [--json] [--report out.html] [--runs DIR]\n';

export async function runCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`minima run: ${parsed}\n${USAGE}`);
    return 2;
  }
  const file = path.resolve(io.cwd, parsed.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`minima run: cannot read ${parsed.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  const analysis = analyze(text);
  for (const d of analysis.diagnostics) io.err(`${formatDiagnostic(parsed.file, analysis.lines, d)}\n`);
  if (!analysis.recipe) {
    io.err(`minima run: ${parsed.file} has errors; fix them first (\`minima check ${parsed.file}\`).\n`);
    return 1;
  }
  const events: RunEvent[] = [];
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
    onEvent: (e) => {
      events.push(e);
      live(e);
    },
  });
  if (result.runDir && !parsed.json) io.out(`run folder: ${path.relative(io.cwd, result.runDir) || result.runDir}\n`);
  if (parsed.report) {
    const out = path.resolve(io.cwd, parsed.report);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, renderReport(analysis.recipe.name, events));
    if (!parsed.json) io.out(`report: ${path.relative(io.cwd, out) || out}\n`);
  }
  return result.status === 'finished' ? 0 : result.status === 'cancelled' ? 130 : 1;
}

interface RunArgs {
  readonly file: string;
  readonly backend: 'auto' | 'wasm' | 'native';
  readonly threads?: number;
  readonly epochs?: number;
  readonly json: boolean;
  readonly report?: string;
  readonly runs?: string;
}

function parseArgs(args: readonly string[]): RunArgs | string {
  let file: string | undefined;
  let backend: RunArgs['backend'] = 'auto';
  let threads: number | undefined;
  let epochs: number | undefined;
  let json = false;
  let report: string | undefined;
  let runs: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => args[++i];
    if (a === '--json') json = true;
    else if (a === '--backend') {
      const v = value();
      if (v !== 'auto' && v !== 'wasm' && v !== 'native') return `--backend takes auto, wasm or native, not ${v ?? 'nothing'}`;
      backend = v;
    } else if (a === '--threads' || a === '--epochs') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) return `${a} takes a positive integer`;
      if (a === '--threads') threads = n;
      else epochs = n;
    } else if (a === '--report') report = value();
    else if (a === '--runs') runs = value();
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return 'give one recipe';
  }
  if (file === undefined) return 'give a recipe file';
  return { file, backend, json, ...(threads !== undefined ? { threads } : {}), ...(epochs !== undefined ? { epochs } : {}), ...(report !== undefined ? { report } : {}), ...(runs !== undefined ? { runs } : {}) };
}

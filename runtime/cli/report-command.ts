// `minima report <run folder | sweep folder | runs folder>… -o out.html [--title TEXT]`: one HTML
// page of existing runs, the results panel's views (several runs overlaid, with the run table's
// hyper-parameter diff and the compare view's metric-vs-hyper-parameter scatter). A sweep folder
// (.minima/sweeps/<recipe>/<id>/, with sweep.json) stands for its trials' runs, a folder of runs
// (.minima/runs) for every run in it. `minima run --report` makes its page here too (reportFile).
// The page goes inside the current folder, as an .html file, and never replaces a file that is not
// Minima's report.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isEnvironmentError, listRuns, readEvents, readSummary, type EnvironmentError, type RunEvent, type RunSummary } from '../engine';
import { printable } from '../language';
import { parseCommandArgs } from './args';
import { EXIT } from './exit-codes';
import type { Io } from './main';
import { outputPathProblem, writeReportFile } from './outputs';
import { CSV_GZIP_BUDGET, drawBuckets, reportRun, stepMetricNames, type ReportPayload, type ReportRun } from './report-data';
import { packageRoot, readReportBundle, renderReportPage } from './report-page';

export const REPORT_USAGE = `usage: minima report <run folder | sweep folder | runs folder>… -o FILE.html [--title TEXT]

Writes one self-contained HTML page (it opens offline in any browser) with the results panel's
views of existing runs: run info and the recipe, every recorded metric's chart grouped as in the
panel, phases as bands, the run table, the compression chart and table, and for several runs the
curves overlaid with the hyper-parameter diff and the metric-vs-hyper-parameter scatter.
Long runs are downsampled for drawing; each run's metrics are in the page as a CSV download
(every step when it fits, else every k-th step, and the page says so).

  <run folder>     .minima/runs/<id>/ (summary.json, metrics.jsonl, recipe.minima)
  <sweep folder>   .minima/sweeps/<recipe>/<id>/ (sweep.json): its trials' runs
  <runs folder>    a folder of run folders, e.g. .minima/runs: every run in it

Options:
  -o, --output FILE.html   The page to write, inside the current folder.
  --title TEXT             The page's title (default: the recipe's name, or the sweep's).
  -h, --help               Show this help.

A file that Minima did not write is never replaced: the report then goes to name-2.html.
Exit code: 0 written, 1 a folder holds no run (or the page's script is not built: run
\`npm run build\`), 2 bad usage, 73 the file could not be written.
`;

export async function reportCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs(args, { output: { type: 'string', short: 'o' }, title: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const fail = (msg: string, code: number) => {
    io.err(`minima report: ${msg}\n`);
    return code;
  };
  if (typeof parsed === 'string') return fail(`${parsed}; see \`minima report --help\``, EXIT.usage);
  if (parsed.values['help'] === true) {
    io.out(REPORT_USAGE);
    return EXIT.ok;
  }
  if (parsed.positionals.length === 0) return fail('give one or more run or sweep folders; see `minima report --help`', EXIT.usage);
  const output = typeof parsed.values['output'] === 'string' ? parsed.values['output'] : undefined;
  if (output === undefined) return fail('give the page to write with -o FILE.html; see `minima report --help`', EXIT.usage);
  const cwd = path.resolve(io.cwd);
  const problem = outputPathProblem('-o', output, { cwd, recipeDir: cwd });
  if (problem) return fail(problem, EXIT.usage);

  const show = (p: string) => path.relative(io.cwd, p) || p;
  const sources: RunSource[] = [];
  let sweepTitle: string | undefined;
  for (const given of parsed.positionals) {
    const found = expandFolder(path.resolve(io.cwd, given));
    if (typeof found === 'string') return fail(`${printable(given)}: ${found}`, EXIT.failed);
    if (found.sweep) sweepTitle ??= found.sweep;
    sources.push(...found.runs);
  }
  const title = typeof parsed.values['title'] === 'string' ? parsed.values['title'] : sweepTitle && parsed.positionals.length === 1 ? sweepTitle : undefined;
  const written = reportFile(uniqueSources(sources), path.resolve(io.cwd, output), show, title);
  if (typeof written === 'string') return fail(written, EXIT.failed);
  if (isEnvironmentError(written)) return fail(written.message, EXIT.cannotWrite);
  if (written.note) io.err(`warning: ${written.note}\n`);
  io.out(`report: ${show(written.path)} (${written.runs} run${written.runs === 1 ? '' : 's'}, ${formatBytes(written.bytes)})\n`);
  return EXIT.ok;
}

/** A run folder to put in a report, with its summary. */
export interface RunSource {
  readonly dir: string;
  readonly summary: RunSummary;
}

/**
 * Renders the report of `sources` and writes it to `target` (as writeReportFile does: beside it
 * when a file there is not Minima's report). A string when the page's bundle is missing.
 */
export function reportFile(sources: readonly RunSource[], target: string, show: (p: string) => string, title?: string): { path: string; note?: string; runs: number; bytes: number } | EnvironmentError | string {
  const bundle = readReportBundle();
  if (typeof bundle === 'string') return bundle;
  const payload = reportPayload(sources, show, title);
  const html = renderReportPage(payload, bundle);
  const written = writeReportFile(target, html, show);
  if (isEnvironmentError(written)) return written;
  return { ...written, runs: payload.runs.length, bytes: Buffer.byteLength(html) };
}

/**
 * The page's data: each run read one at a time (a long run's events are dropped once its drawn
 * steps and CSV are made), the drawing budget shared by every run's step metrics, the CSV
 * budget shared equally.
 */
export function reportPayload(sources: readonly RunSource[], show: (p: string) => string, title?: string): ReportPayload {
  // The number of step series decides the buckets: each run's step metrics, from the first lines
  // of its metrics.jsonl (a run is read in full once, below, and never two at a time).
  let series = 0;
  for (const s of sources) series += stepMetricNames(headEvents(s.dir)).length;
  const buckets = drawBuckets(series);
  const csvBudget = Math.floor(CSV_GZIP_BUDGET / Math.max(1, sources.length));
  const runs: ReportRun[] = sources.map((s) => {
    const events = eventsOf(s.dir);
    return reportRun(s.summary, show(s.dir), events, buckets, csvBudget, recipeTextOf(s.dir));
  });
  const recipes = [...new Set(sources.map((s) => s.summary.recipe).filter((r) => r !== ''))];
  return {
    version: 1,
    title: title ?? (recipes.length === 1 ? recipes[0]! : recipes.length === 0 ? 'Minima runs' : `${sources.length} runs`),
    generated: new Date().toISOString(),
    minima: minimaVersion(),
    runs,
  };
}

/** The runs a folder given on the command line stands for, or why it stands for none. */
export function expandFolder(dir: string): { runs: RunSource[]; sweep?: string } | string {
  let isDir = false;
  try {
    isDir = fs.statSync(dir).isDirectory();
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  if (!isDir) return 'is not a folder; give a run folder (.minima/runs/<id>) or a sweep folder (.minima/sweeps/<recipe>/<id>)';
  const sweepFile = path.join(dir, 'sweep.json');
  if (fs.existsSync(sweepFile)) return sweepRuns(dir, sweepFile);
  const summary = readSummary(dir);
  if (summary) return { runs: [{ dir, summary }] };
  const runs = listRuns(dir).map((s) => ({ dir: path.join(dir, s.id), summary: s }));
  if (runs.length > 0) return { runs: runs.reverse() };
  return 'holds no run: give a run folder (summary.json, metrics.jsonl), a sweep folder (sweep.json) or a folder of runs';
}

/** A sweep's trials in sweep.json's order: each trial's finished run, else its newest. */
function sweepRuns(dir: string, file: string): { runs: RunSource[]; sweep: string } | string {
  let record: unknown;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return `sweep.json cannot be read (${e instanceof SyntaxError ? 'not JSON' : ((e as NodeJS.ErrnoException).code ?? String(e))})`;
  }
  const trials = typeof record === 'object' && record !== null && 'trials' in record && Array.isArray(record.trials) ? (record.trials as unknown[]) : undefined;
  if (!trials) return 'sweep.json has no trials';
  const runs: RunSource[] = [];
  for (const t of trials) {
    if (typeof t !== 'object' || t === null || !('id' in t) || typeof t.id !== 'string' || t.id.includes('/') || t.id.includes('\\') || t.id.startsWith('.')) continue;
    const trialDir = path.join(dir, t.id);
    const found = listRuns(trialDir);
    const pick = found.find((s) => s.status === 'finished') ?? found[0];
    if (pick) runs.push({ dir: path.join(trialDir, pick.id), summary: pick });
  }
  if (runs.length === 0) return 'the sweep has no trial run yet (`minima sweep` runs them)';
  const id = typeof record === 'object' && record !== null && 'id' in record && typeof record.id === 'string' ? record.id : path.basename(dir);
  return { runs, sweep: `sweep ${id}` };
}

/** Each folder once; runs whose folders share a name (two sweeps' trials) get distinct ids in the page. */
function uniqueSources(sources: readonly RunSource[]): RunSource[] {
  const seenDirs = new Set<string>();
  const ids = new Map<string, number>();
  const out: RunSource[] = [];
  for (const s of sources) {
    const key = path.resolve(s.dir);
    if (seenDirs.has(key)) continue;
    seenDirs.add(key);
    const n = (ids.get(s.summary.id) ?? 0) + 1;
    ids.set(s.summary.id, n);
    out.push(n === 1 ? s : { dir: s.dir, summary: { ...s.summary, id: `${s.summary.id} (${n})` } });
  }
  return out;
}

function eventsOf(dir: string): RunEvent[] {
  try {
    return readEvents(dir);
  } catch {
    return []; // No metrics.jsonl: the run's summary is still shown, without curves.
  }
}

/** The events in the first 256 KB of a run's metrics.jsonl. */
function headEvents(dir: string): RunEvent[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'r');
    const buf = Buffer.alloc(256 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const out: RunEvent[] = [];
    for (const line of buf.subarray(0, n).toString('utf8').split('\n')) {
      try {
        const e: unknown = JSON.parse(line);
        if (typeof e === 'object' && e !== null && 'type' in e && e.type === 'step' && 'metrics' in e && typeof e.metrics === 'object' && e.metrics !== null) out.push(e as RunEvent);
      } catch {
        // A line cut by the 256 KB or torn: skipped.
      }
    }
    return out;
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function recipeTextOf(dir: string): string | undefined {
  for (const name of ['recipe.minima', 'trial.minima']) {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      // Try the next name.
    }
  }
  return undefined;
}

function minimaVersion(): string {
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
    return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;
}

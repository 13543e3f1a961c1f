// The run store: every run keeps a folder `.minima/runs/<id>/` with a copy of the recipe,
// `metrics.jsonl` (one event per line, written synchronously as the run goes, so a killed
// process leaves every completed step readable), `summary.json` and the exported `model.onnx`.
// A run whose summary still says "running" but whose process is gone was interrupted. A folder
// whose summary cannot be read (missing, cut short, not a summary) is listed as damaged with the
// reason, so one bad folder never hides the others or breaks the listing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentError, type EnvironmentError } from './environment';
import type { AdapterInfo, LayerCompression, Metrics, RunEvent, RunInfo } from './events';
import { isRunEvent, summaryProblem } from './store-guards';

/**
 * `interrupted`: the summary says running but its process is gone. `damaged`: the folder's
 * summary.json is missing or unreadable; `message` says why. Both are only derived when reading.
 */
export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted' | 'damaged';

export interface RunSummary {
  readonly id: string;
  readonly recipe: string;
  readonly status: RunStatus;
  readonly pid: number;
  readonly started: string;
  readonly ended?: string;
  readonly seconds?: number;
  readonly steps?: number;
  readonly backend?: string;
  readonly adapter?: AdapterInfo;
  readonly threads?: number;
  readonly versions?: Readonly<Record<string, string>>;
  readonly final?: Metrics;
  readonly message?: string;
  readonly model?: string;
  readonly hyper?: Readonly<Record<string, string>>;
  /** The recipe file the run was started from (the folder also keeps a copy). */
  readonly recipePath?: string;
  /** Per compressed weight, from the `finished` event (compression-report.ts). */
  readonly compression?: readonly LayerCompression[];
}

export interface RunFolder {
  readonly id: string;
  readonly dir: string;
  /** Appends one event to metrics.jsonl and updates summary.json on start and end. */
  write(event: RunEvent): void;
  /** Writes a file into the run folder (e.g. model.onnx). */
  writeFile(name: string, data: Uint8Array | string): string;
  close(): void;
}

/**
 * Creates a new run folder under `root` (usually `<workspace>/.minima/runs`), or says why the file
 * system refused (a read-only folder, a file where the folder should be, a full disk). The id is
 * the time and the recipe's name; each folder is created exclusively, and a name another process
 * took first gets the next suffix (`-2`, `-3`, …), so concurrent runs never share a folder.
 */
export function createRun(root: string, recipeName: string, recipeText: string, now: Date = new Date()): RunFolder | EnvironmentError {
  let dir: string | undefined;
  let fd: number | undefined;
  try {
    fs.mkdirSync(root, { recursive: true });
    const id = claimFolder(root, `${stamp(now)}-${slug(recipeName)}`);
    dir = path.join(root, id);
    fs.writeFileSync(path.join(dir, 'recipe.minima'), recipeText);
    fd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'a');
    return openFolder(id, dir, fd, recipeName, now);
  } catch (e) {
    const env = environmentError(e, 'create the run folder', dir ?? root);
    if (!env) throw e;
    // What was created of a folder that cannot be written is of no use to anyone.
    try {
      if (fd !== undefined) fs.closeSync(fd);
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the file system that refused the write may refuse the removal too.
    }
    return env;
  }
}

/** Creates `root/base` (or `base-2`, `base-3`, … when taken) with an exclusive mkdir and returns its name. */
function claimFolder(root: string, base: string): string {
  for (let k = 1; ; k++) {
    const id = k === 1 ? base : `${base}-${k}`;
    try {
      fs.mkdirSync(path.join(root, id));
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function openFolder(id: string, dir: string, fd: number, recipeName: string, now: Date): RunFolder {
  let summary: RunSummary = { id, recipe: recipeName, status: 'running', pid: process.pid, started: now.toISOString() };
  const saveSummary = () => writeAtomic(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  saveSummary();
  let open = true;
  return {
    id,
    dir,
    write(event) {
      if (!open) return;
      // NOTE: a synchronous write per event; the OS keeps it even if this process is killed next.
      fs.writeSync(fd, JSON.stringify(event) + '\n');
      summary = summarize(summary, event);
      if (event.type !== 'step' && event.type !== 'epoch') saveSummary();
      else if (event.type === 'epoch') saveSummary();
    },
    writeFile(name, data) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, data);
      return file;
    },
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}

/**
 * Reads every run folder under `root`, newest first. Runs left "running" by a dead process are
 * reported as interrupted, folders without a readable summary as damaged with the reason; files
 * hidden entries and folders without any run file beside them are not runs. An unreadable `root` lists nothing.
 */
export function listRuns(root: string): RunSummary[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: RunSummary[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const s = readSummary(path.join(root, e.name));
    if (s) out.push(s);
  }
  return out.sort((a, b) => b.started.localeCompare(a.started) || a.id.localeCompare(b.id));
}

/**
 * The summary of the run folder `dir`, or undefined when `dir` is not a run's folder (there is no
 * such folder, or it holds none of a run's files). The id is the
 * folder's name, whatever the file says, since that is where the run's files are read from.
 */
export function readSummary(dir: string): RunSummary | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'summary.json'), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A folder without any of a run's files is not a run (the runs folder may hold others).
    if (!isFolder(dir) || (code === 'ENOENT' && !RUN_FILES.some((f) => fs.existsSync(path.join(dir, f))))) return undefined;
    return damaged(dir, undefined, code === 'ENOENT' ? 'summary.json is missing' : `summary.json cannot be read (${code ?? String(e)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return damaged(dir, undefined, text.trim() === '' ? 'summary.json is empty' : 'summary.json is cut short or not JSON');
  }
  const problem = summaryProblem(raw);
  if (problem !== undefined) return damaged(dir, raw, problem);
  const s = { ...(raw as RunSummary), id: path.basename(dir) };
  return s.status === 'running' && !alive(s.pid) ? { ...s, status: 'interrupted' } : s;
}

/**
 * Every event of metrics.jsonl that has an event's shape. A torn last line from a killed process
 * is skipped, and so is any line that is not an event (`null`, `42`, an unknown type), so the
 * charts only ever receive events.
 */
export function readEvents(dir: string): RunEvent[] {
  const text = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // A partial line at the end: the process died while writing it.
      continue;
    }
    if (isRunEvent(parsed)) events.push(parsed);
  }
  return events;
}

/**
 * A folder listed as damaged: what the broken summary still says of its recipe and start, else
 * the folder's name and time, so it sorts among the others.
 */
function damaged(dir: string, partial: unknown, message: string): RunSummary {
  const field = (k: string): unknown => (typeof partial === 'object' && partial !== null && !Array.isArray(partial) ? (partial as Record<string, unknown>)[k] : undefined);
  const recipe = field('recipe');
  const started = field('started');
  return {
    id: path.basename(dir),
    recipe: typeof recipe === 'string' ? recipe : '',
    status: 'damaged',
    pid: 0,
    started: typeof started === 'string' && Number.isFinite(Date.parse(started)) ? new Date(started).toISOString() : folderTime(dir),
    message,
  };
}

/** The files createRun writes before summary.json: one of them marks a folder as a run's. */
const RUN_FILES = ['recipe.minima', 'metrics.jsonl'];

function folderTime(dir: string): string {
  try {
    return fs.statSync(dir).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function summarize(s: RunSummary, e: RunEvent): RunSummary {
  switch (e.type) {
    case 'started':
      return { ...s, backend: e.run.backend, ...(e.run.adapter ? { adapter: e.run.adapter } : {}), threads: e.run.threads, versions: e.run.versions, ...(e.run.hyper ? { hyper: e.run.hyper } : {}), ...(e.run.recipePath ? { recipePath: e.run.recipePath } : {}) };
    case 'epoch':
      return { ...s, final: { ...s.final, ...e.metrics }, steps: e.step };
    case 'finished':
      return { ...s, status: 'finished', ended: new Date(e.time).toISOString(), seconds: e.seconds, steps: e.steps, final: { ...s.final, ...e.metrics }, ...(e.compression && e.compression.length > 0 ? { compression: e.compression } : {}) };
    case 'failed':
      return { ...s, status: e.reason === 'cancelled' ? 'cancelled' : 'failed', ended: new Date(e.time).toISOString(), message: e.message };
    default:
      return s;
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
}

export type { RunInfo };

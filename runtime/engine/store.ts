// The run store: every run keeps a folder `.minima/runs/<id>/` with a copy of the recipe,
// `metrics.jsonl` (one event per line, written synchronously as the run goes, so a killed
// process leaves every completed step readable), `summary.json` and the exported `model.onnx`.
// A run whose summary still says "running" but whose process is gone was interrupted.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentError, type EnvironmentError } from './environment';
import type { AdapterInfo, LayerCompression, Metrics, RunEvent, RunInfo } from './events';

export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

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

/** Reads every run under `root`, newest first; runs left "running" by a dead process are reported as interrupted. */
export function listRuns(root: string): RunSummary[] {
  if (!fs.existsSync(root)) return [];
  const out: RunSummary[] = [];
  for (const id of fs.readdirSync(root)) {
    const s = readSummary(path.join(root, id));
    if (s) out.push(s);
  }
  return out.sort((a, b) => b.started.localeCompare(a.started));
}

export function readSummary(dir: string): RunSummary | undefined {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    if (!isSummary(raw)) return undefined;
    return raw.status === 'running' && !alive(raw.pid) ? { ...raw, status: 'interrupted' } : raw;
  } catch {
    return undefined;
  }
}

/** Every complete line of metrics.jsonl (a torn last line from a killed process is skipped). */
export function readEvents(dir: string): RunEvent[] {
  const text = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      // A partial line at the end: the process died while writing it.
    }
  }
  return events;
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

function isSummary(x: unknown): x is RunSummary {
  return typeof x === 'object' && x !== null && typeof (x as RunSummary).id === 'string' && typeof (x as RunSummary).status === 'string' && typeof (x as RunSummary).pid === 'number';
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
}

export type { RunInfo };

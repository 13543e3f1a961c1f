// One sweep trial: trains the trial's recipe into the trial's run folder and says how it ended.
// Locally it runs in its own process, forked by `minima sweep` with IPC (a trial that fails,
// diverges or crashes ends only this process, never the sweep); on a cluster, `minima sweep
// --trial <id>` runs it in the scheduler's task. With early stopping, the trial decides at each
// rung against the sweep's rung table (sweep-asha.ts) and, when it trails, stops right after that
// epoch: its folder then holds `stopped-early.json` saying at which rung, so that a resumed sweep
// keeps the decision.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyze } from '../analysis';
import { runRecipe, type RunEvent } from '../engine';
import { ashaRungs, RungBoard, type AshaSettings } from './sweep-asha';

/** What the sweep sends a worker. */
export interface TrialJob {
  readonly text: string;
  readonly baseDir: string;
  readonly recipePath: string;
  readonly runsDir: string;
  readonly threads?: number;
  /** Early stopping: the settings, the sweep's rung table and this trial's id. */
  readonly asha?: AshaSettings & { readonly boardDir: string; readonly trialId: string };
}

/** What a worker sends back. */
export interface TrialOutcome {
  readonly status: 'finished' | 'failed' | 'cancelled' | 'stopped';
  readonly metrics: Readonly<Record<string, number>>;
  readonly message?: string;
  readonly runDir?: string;
  /** A trial stopped early: the rung (1-based) and the epochs it had completed there. */
  readonly rung?: number;
  readonly epochs?: number;
}

/** Progress a worker sends while it trains (after each epoch). */
export interface TrialProgress {
  readonly type: 'progress';
  readonly epoch: number;
  readonly epochs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** `stopped-early.json` in a trial's folder. */
export interface StoppedEarly {
  readonly rung: number;
  readonly epochs: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly runDir?: string;
}

export const STOPPED_EARLY = 'stopped-early.json';

/** The message a trial stopped at `rung` carries (sweep.json, the table). */
export function stoppedMessage(rung: number): string {
  return `stopped early (rung ${rung})`;
}

export async function runTrial(job: TrialJob, signal?: AbortSignal, onProgress?: (p: TrialProgress) => void): Promise<TrialOutcome> {
  const a = analyze(job.text);
  if (!a.recipe) return { status: 'failed', metrics: {}, message: a.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the trial recipe has errors' };
  const controller = new AbortController();
  const forward = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const marker = path.join(job.runsDir, STOPPED_EARLY);
  fs.rmSync(marker, { force: true });
  let rungs: number[] = [];
  let epochs = 0;
  let stopped: { rung: number; epochs: number; metrics: Readonly<Record<string, number>> } | undefined;
  const board = job.asha ? new RungBoard(job.asha.boardDir) : undefined;
  const onEvent = (e: RunEvent) => {
    if (e.type === 'started') {
      epochs = e.run.epochs;
      if (job.asha) rungs = ashaRungs(job.asha.minEpochs, job.asha.reduction, epochs);
    }
    if (e.type !== 'epoch') return;
    onProgress?.({ type: 'progress', epoch: e.epoch + 1, epochs, metrics: e.metrics });
    const done = e.epoch + 1;
    const k = rungs.indexOf(done);
    if (!job.asha || !board || k < 0 || controller.signal.aborted) return;
    const value = e.metrics[job.asha.metric] ?? Number.NaN;
    if (!board.decide(done, job.asha.trialId, value, job.asha)) {
      stopped = { rung: k + 1, epochs: done, metrics: e.metrics };
      controller.abort(stoppedMessage(k + 1));
    }
  };
  try {
    const r = await runRecipe(a.recipe, {
      baseDir: job.baseDir,
      recipeText: job.text,
      recipePath: job.recipePath,
      runsDir: job.runsDir,
      ...(job.threads !== undefined ? { threads: job.threads } : {}),
      signal: controller.signal,
      onEvent,
    });
    if (stopped && r.status === 'cancelled' && !signal?.aborted) {
      const record: StoppedEarly = { ...stopped, ...(r.runDir ? { runDir: r.runDir } : {}) };
      fs.writeFileSync(marker, `${JSON.stringify(record, null, 2)}\n`);
      return { status: 'stopped', metrics: stopped.metrics, message: stoppedMessage(stopped.rung), rung: stopped.rung, epochs: stopped.epochs, ...(r.runDir ? { runDir: r.runDir } : {}) };
    }
    return { status: r.status, metrics: r.metrics, ...(r.message !== undefined ? { message: r.message } : {}), ...(r.runDir ? { runDir: r.runDir } : {}) };
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

/** A trial folder's early-stop record, when the trial was stopped early. */
export function readStoppedEarly(runsDir: string): StoppedEarly | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(runsDir, STOPPED_EARLY), 'utf8')) as StoppedEarly;
    return typeof v.rung === 'number' && typeof v.epochs === 'number' && typeof v.metrics === 'object' && v.metrics !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

/** How long a trial whose sweep is gone may take to end on its own (its folder then says cancelled) before its watchdog kills it. */
export const ORPHAN_GRACE_MS = 600;

/**
 * A watchdog thread: when the parent process is gone (this process is re-parented) for `graceMs`,
 * it kills this process, even while the main thread is busy in a step or compiling a session,
 * which 'disconnect' alone cannot do.
 */
function watchParent(parent: number, graceMs: number): void {
  const code = `const { workerData } = require('node:worker_threads');
let gone = 0;
setInterval(() => {
  if (process.ppid !== workerData.parent) gone += 100; else gone = 0;
  if (gone >= workerData.graceMs) process.kill(process.pid, 'SIGKILL');
}, 100);`;
  new Worker(code, { eval: true, workerData: { parent, graceMs } }).unref();
}

if (require.main === module) {
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  // The sweep's process is gone (killed with -9, say): stop too, rather than train unwatched. The
  // run writes its folder as cancelled after the current step; then (or after 500 ms at most) the
  // process ends itself with SIGKILL, since a plain exit waits for onnxruntime's threads.
  const die = () => process.kill(process.pid, 'SIGKILL');
  process.on('disconnect', () => {
    controller.abort();
    setTimeout(die, 500).unref();
  });
  watchParent(process.ppid, ORPHAN_GRACE_MS);
  process.once('message', (job: TrialJob) => {
    void runTrial(job, controller.signal, (p) => {
      if (process.connected) process.send?.(p);
    })
      .catch((e: unknown): TrialOutcome => ({ status: 'failed', metrics: {}, message: `internal error: ${e instanceof Error ? e.message : String(e)}` }))
      .then((outcome) => {
        if (process.connected) process.send?.(outcome, () => process.exit(0));
        else die();
      });
  });
}

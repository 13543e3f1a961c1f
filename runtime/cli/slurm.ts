// `minima sweep --on slurm`: the trials as a Slurm job array. One batch script in the sweep's
// folder (`slurm/sweep.sbatch`) lists the trial ids to run; `sbatch --array=0-(N-1)%P` submits it,
// and each array task runs `minima sweep <recipe> --trial <id>` for the id at
// MINIMA_TRIAL_OFFSET + SLURM_ARRAY_TASK_ID. More trials than the cluster's MaxArraySize (from
// `scontrol show config`) are split over several arrays, each with its offset. The sweep's folder
// must be one the compute nodes share (the recipe's folder on a shared file system), since the
// trials write their run folders there and the follower reads them: progress comes from the run
// folders' own files, and `squeue` says when the jobs are gone. Task output goes to
// `slurm/<job>_<task>.out`; a task that ends without a run says why from there.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, readEvents } from '../engine';
import { printable } from '../language';
import type { LoadedSweep } from './sweep';
import type { TrialProgress } from './sweep-worker';

export interface SlurmJob {
  readonly id: string;
  /** The index into the script's trial list of this array's task 0. */
  readonly offset: number;
  readonly count: number;
}

export interface Submitted {
  readonly jobs: readonly SlurmJob[];
  /** The trials' newest run before submission, so that an old run is not taken for the new one. */
  readonly before: ReadonlyMap<string, string | undefined>;
  readonly trials: readonly string[];
}

export interface SubmitOptions {
  readonly trials: readonly string[];
  readonly parallel: number;
  readonly partition?: string;
  readonly time?: string;
  /** The commands (tests point these at fakes); default: sbatch, scontrol, squeue, scancel on PATH. */
  readonly commands?: Partial<SlurmCommands>;
}

export interface SlurmCommands {
  readonly sbatch: string;
  readonly scontrol: string;
  readonly squeue: string;
  readonly scancel: string;
}

/** How long Ctrl-C waits for cancelled tasks to leave the queue before the sweep is recorded. */
const CANCEL_WAIT_MS = 5000;

const DEFAULT_COMMANDS: SlurmCommands = { sbatch: 'sbatch', scontrol: 'scontrol', squeue: 'squeue', scancel: 'scancel' };

/** The array size limit of the cluster: MaxArraySize from `scontrol show config` (Slurm's default 1001 when it says none). */
export function maxArraySize(configText: string): number {
  const m = /^\s*MaxArraySize\s*=\s*(\d+)/m.exec(configText);
  const n = m ? Number(m[1]) : 1001;
  return Number.isInteger(n) && n >= 1 ? n : 1001;
}

/** The arrays for `count` trials: task indexes must stay below MaxArraySize, so each array holds at most that many. */
export function splitArrays(count: number, max: number): { offset: number; count: number }[] {
  const out: { offset: number; count: number }[] = [];
  for (let offset = 0; offset < count; offset += max) out.push({ offset, count: Math.min(max, count - offset) });
  return out;
}

/** The batch script: the trial ids, then one `minima sweep --trial` for this task's id. */
export function batchScript(o: { readonly sweepId: string; readonly sweepDir: string; readonly recipeDir: string; readonly recipe: string; readonly node: string; readonly cli: string; readonly trials: readonly string[]; readonly partition?: string; readonly time?: string }): string {
  const q = shellQuote;
  return [
    '#!/bin/bash',
    `# minima sweep ${o.sweepId}: one trial per array task (written by \`minima sweep --on slurm\`).`,
    `#SBATCH --job-name=${`minima-${o.sweepId}`.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
    `#SBATCH --output=${path.join(o.sweepDir, 'slurm', '%A_%a.out')}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    ...(o.partition !== undefined ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time !== undefined ? [`#SBATCH --time=${o.time}`] : []),
    'set -euo pipefail',
    `TRIALS=(${o.trials.join(' ')})`,
    'i=$(( ${MINIMA_TRIAL_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))',
    `cd ${q(o.recipeDir)}`,
    `exec ${q(o.node)} ${q(o.cli)} sweep ${q(o.recipe)} --trial "\${TRIALS[$i]}"`,
    '',
  ].join('\n');
}

/** Writes the batch script and submits it; the jobs, or a message saying why Slurm did not take them. */
export function submitSlurm(loaded: LoadedSweep, o: SubmitOptions): Submitted | string {
  const cmd = { ...DEFAULT_COMMANDS, ...o.commands };
  const before = new Map(loaded.trials.map((t) => [t.record.id, listRuns(t.job.runsDir)[0]?.id]));
  if (o.trials.length === 0) return { jobs: [], before, trials: [] };
  const probe = spawnSync(cmd.sbatch, ['--version'], { encoding: 'utf8' });
  if (probe.error) return `--on slurm needs Slurm's sbatch, which is not on PATH here (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); run this on a login node of the cluster, or start a local cluster with \`npm run slurm:up\``;
  const config = spawnSync(cmd.scontrol, ['show', 'config'], { encoding: 'utf8' });
  if (config.status !== 0) return `Slurm's controller does not answer (\`scontrol show config\`: ${oneLine(config.stderr || config.error?.message || 'no output')}); is slurmctld running? (\`npm run slurm:up\` starts a local one)`;
  const max = maxArraySize(config.stdout);
  const dir = path.join(loaded.sweepDir, 'slurm');
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'sweep.sbatch');
  fs.writeFileSync(
    script,
    batchScript({ sweepId: loaded.sweepId, sweepDir: loaded.sweepDir, recipeDir: path.dirname(loaded.file), recipe: path.basename(loaded.file), node: process.execPath, cli: cliPath(), trials: o.trials, ...(o.partition !== undefined ? { partition: o.partition } : {}), ...(o.time !== undefined ? { time: o.time } : {}) }),
    { mode: 0o755 },
  );
  const jobs: SlurmJob[] = [];
  for (const chunk of splitArrays(o.trials.length, max)) {
    const throttle = Math.max(1, Math.min(o.parallel, chunk.count));
    const r = spawnSync(cmd.sbatch, ['--parsable', `--array=0-${chunk.count - 1}%${throttle}`, `--export=ALL,MINIMA_TRIAL_OFFSET=${chunk.offset}`, script], { encoding: 'utf8', cwd: path.dirname(loaded.file) });
    const id = /^(\d+)/.exec(r.stdout.trim())?.[1];
    if (r.status !== 0 || id === undefined) {
      if (jobs.length > 0) spawnSync(cmd.scancel, jobs.map((j) => j.id));
      const why = oneLine((r.stderr || r.stdout || r.error?.message || `exit code ${r.status ?? '?'}`).replace(/^sbatch: error: /gm, ''));
      const partition = o.partition !== undefined && /partition/i.test(why) ? ` (--partition ${printable(o.partition)}; \`sinfo -s\` lists the partitions)` : '';
      return `Slurm refused the job array: ${why}${partition}`;
    }
    jobs.push({ id, offset: chunk.offset, count: chunk.count });
  }
  fs.writeFileSync(path.join(dir, 'jobs.json'), `${JSON.stringify({ submitted: new Date().toISOString(), maxArraySize: max, trials: o.trials, jobs }, null, 2)}\n`);
  return { jobs, before, trials: o.trials };
}

export interface FollowHandlers {
  readonly signal?: AbortSignal;
  readonly progress: (index: number, p: TrialProgress) => void;
  /** The trial's new run has ended (its folder says how). */
  readonly ended: (index: number) => void;
  /** The jobs are gone and the trial has no ended run: why, from the task's output. */
  readonly lost: (index: number, message: string) => void;
  readonly commands?: Partial<SlurmCommands>;
  readonly pollMs?: number;
}

/** Follows the submitted trials until every one has ended or the jobs are gone; an abort cancels the jobs (scancel). */
export async function followSlurm(loaded: LoadedSweep, submitted: Submitted, h: FollowHandlers): Promise<void> {
  const cmd = { ...DEFAULT_COMMANDS, ...h.commands };
  const open = new Map<string, number>(submitted.trials.map((id) => [id, loaded.trials.find((t) => t.record.id === id)!.record.index]));
  const lastEpoch = new Map<string, number>();
  const check = () => {
    for (const [id, index] of [...open]) {
      const t = loaded.trials[index]!;
      const newest = listRuns(t.job.runsDir)[0];
      if (!newest || newest.id === submitted.before.get(id)) continue;
      // A run on another node looks interrupted here (its pid is not ours): it runs while its task is queued.
      if (newest.status === 'running' || newest.status === 'interrupted') {
        const p = progressOf(path.join(t.job.runsDir, newest.id));
        if (p && lastEpoch.get(id) !== p.epoch) {
          lastEpoch.set(id, p.epoch);
          h.progress(index, p);
        }
        continue;
      }
      open.delete(id);
      h.ended(index);
    }
  };
  let failures = 0;
  while (open.size > 0) {
    if (h.signal?.aborted) {
      // The tasks get SIGTERM and end their runs as cancelled; wait (a few seconds at most) until they have left the queue.
      spawnSync(cmd.scancel, submitted.jobs.map((j) => j.id));
      for (let waited = 0; waited < CANCEL_WAIT_MS && jobsActive(submitted.jobs, cmd.squeue); waited += 200) await sleep(200);
      return;
    }
    check();
    if (open.size === 0) return;
    const queue = queueState(submitted.jobs, cmd.squeue);
    failures = queue === 'unknown' ? failures + 1 : 0;
    if (queue === 'gone' || failures > QUEUE_FAILURES) {
      check();
      for (const [id, index] of open) {
        const t = loaded.trials[index]!;
        const newest = listRuns(t.job.runsDir)[0];
        if (newest && newest.id !== submitted.before.get(id) && newest.status === 'interrupted') {
          // Its task is gone and the run never said how it ended (a node lost, a task killed with -9).
          h.ended(index);
          continue;
        }
        const pos = submitted.trials.indexOf(id);
        const job = submitted.jobs.find((j) => pos >= j.offset && pos < j.offset + j.count);
        const out = job ? path.join(loaded.sweepDir, 'slurm', `${job.id}_${pos - job.offset}.out`) : undefined;
        h.lost(index, `the Slurm task${job ? ` ${job.id}_${pos - job.offset}` : ''} ended without a finished run${out ? `: ${tail(out)}` : ''}`);
      }
      return;
    }
    await sleep(h.pollMs ?? 500, h.signal);
  }
}

/** Whether any task of `jobs` is still pending or running, by `squeue`. */
export function jobsActive(jobs: readonly SlurmJob[], squeue = 'squeue'): boolean {
  return queueState(jobs, squeue) === 'active';
}

/**
 * What `squeue` says of `jobs`: some task still pending or running, none (the jobs ended, or
 * were purged from the controller: "Invalid job id"), or unknown (squeue failed otherwise: a
 * controller that is slow to answer on a busy cluster).
 */
export function queueState(jobs: readonly SlurmJob[], squeue = 'squeue'): 'active' | 'gone' | 'unknown' {
  if (jobs.length === 0) return 'gone';
  const r = spawnSync(squeue, ['-h', '-j', jobs.map((j) => j.id).join(','), '-o', '%i %T'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) return /invalid job id/i.test(r.stderr ?? '') ? 'gone' : 'unknown';
  return r.stdout.split('\n').some((l) => /\s(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED|RESIZING|SIGNALING|STAGE_OUT)\s*$/.test(l)) ? 'active' : 'gone';
}

/** How many times in a row `squeue` may fail before the follower takes the jobs as gone. */
const QUEUE_FAILURES = 20;

/** Whether the jobs recorded in the sweep's `slurm/jobs.json` still have tasks in the queue. */
export function slurmTasksActive(sweepDir: string, squeue = 'squeue'): boolean {
  const jobs = recordedJobs(sweepDir);
  return jobs.length > 0 && jobsActive(jobs, squeue);
}

/** The ids of the sweep's recorded jobs that still have tasks in the queue (none without squeue). */
export function slurmQueuedJobs(sweepDir: string, squeue = 'squeue'): string[] {
  return recordedJobs(sweepDir).filter((j) => queueState([j], squeue) === 'active').map((j) => j.id);
}

function recordedJobs(sweepDir: string): SlurmJob[] {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(sweepDir, 'slurm', 'jobs.json'), 'utf8')) as { jobs?: unknown };
    return Array.isArray(v.jobs) ? (v.jobs as SlurmJob[]).filter((j) => typeof j?.id === 'string') : [];
  } catch {
    return [];
  }
}

/** `--status`'s Slurm line: the recorded jobs and what `squeue` says of them (nothing when the sweep was not submitted). */
export function slurmStatusLines(sweepDir: string, squeue = 'squeue'): string {
  const jobs = recordedJobs(sweepDir);
  if (jobs.length === 0) return '';
  const r = spawnSync(squeue, ['-h', '-j', jobs.map((j) => j.id).join(','), '-o', '%i %T'], { encoding: 'utf8' });
  if (r.error) return `slurm: jobs ${jobs.map((j) => j.id).join(', ')} (squeue is not on PATH here)\n`;
  const states = new Map<string, number>();
  for (const l of r.stdout.split('\n')) {
    const s = l.trim().split(/\s+/)[1];
    if (s) states.set(s, (states.get(s) ?? 0) + 1);
  }
  const text = [...states].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
  return `slurm: jobs ${jobs.map((j) => j.id).join(', ')}: ${text || 'none in the queue'}\n`;
}

function progressOf(runDir: string): TrialProgress | undefined {
  try {
    const events = readEvents(runDir);
    const started = events.find((e) => e.type === 'started');
    let last: (typeof events)[number] | undefined;
    for (const e of events) if (e.type === 'epoch') last = e;
    if (started?.type !== 'started') return undefined;
    return { type: 'progress', epoch: last?.type === 'epoch' ? last.epoch + 1 : 0, epochs: started.run.epochs, metrics: last?.type === 'epoch' ? last.metrics : {} };
  } catch {
    return undefined;
  }
}

/** bin/minima.js of this installation (out/runtime/cli → the package root). */
function cliPath(): string {
  return path.resolve(__dirname, '..', '..', '..', 'bin', 'minima.js');
}

function tail(file: string): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    return printable(lines.slice(-1)[0] ?? '') || 'its output is empty';
  } catch {
    return `no output (${path.basename(file)} was not written)`;
  }
}

function oneLine(s: string): string {
  return printable(s.trim().split('\n').filter((l) => l.trim() !== '').join('; '));
}

/** Single-quoted for bash. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// `minima sweep <recipe>`: expands the recipe's sweep block into trials (the checker's own
// expansion, so what validates is what runs) and runs them: locally in a pool of child processes,
// on Slurm as a job array (slurm.ts), or on Kubernetes as an Indexed Job written to a file
// (kubernetes.ts). Each trial is an ordinary run folder under `.minima/sweeps/<sweep-id>/<trial-id>/`
// and `sweep.json` beside the trials holds the spec, every trial's values, status and metrics,
// and the best trial. A trial's id is a hash of its resolved recipe, so a rerun skips the trials
// that finished (or were stopped early), and the state of a sweep is always what its folders say:
// `--status` and `--collect` read them from any machine that sees the folder, and `--trial <id>`
// is how a scheduler's task runs one trial.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { planSweep, type SweepPlan } from '../checker';
import { listRuns, readEvents } from '../engine';
import { printable } from '../language';
import { parseCommandArgs } from './args';
import { formatDiagnostic } from './check';
import { EXIT } from './exit-codes';
import { emitKubernetesJob } from './kubernetes';
import type { Io } from './main';
import { RungBoard } from './sweep-asha';
import { runPool } from './sweep-pool';
import { fmt, SweepProgress } from './sweep-progress';
import { readStoppedEarly, runTrial, type TrialJob, type TrialOutcome } from './sweep-worker';
import { followSlurm, slurmQueuedJobs, slurmStatusLines, slurmTasksActive, submitSlurm } from './slurm';
import { trialId } from './trial-id';

export const SWEEP_USAGE = `usage: minima sweep <recipe.minima> [options]

Runs every trial of the recipe's sweep block, each in its own process and its own run folder
under .minima/sweeps/<recipe>/<trial-id>/ next to the recipe, and prints a table sorted by the
sweep's metric. Trials that finished (or were stopped early) before are skipped; failed,
cancelled and interrupted ones run again.

Options:
  --parallel N         Trials at once (default: the block's parallel, else half the cores
                       locally and every trial on Slurm or Kubernetes).
  --rerun failed|all   failed (the default): run the trials that did not finish again;
                       all: run every trial from scratch.
  --on local|slurm|kubernetes
                       Where the trials run (default local). slurm submits a job array with
                       sbatch and follows it; kubernetes writes an Indexed Job (needs --emit).
  --partition P        Slurm: the partition to submit to.
  --time T             Slurm: the time limit of each trial's task (sbatch --time).
  --emit FILE          Kubernetes: where to write the Job manifest (YAML).
  --image I            Kubernetes: the container image (default minima:latest, built from the
                       repository's Dockerfile).
  --claim NAME         Kubernetes: the PersistentVolumeClaim holding the recipe's folder
                       (default minima-workspace).
  --status             Print the state of each trial from the sweep's folder (and Slurm's
                       queue), without running anything.
  --collect            Write sweep.json from the trials' folders and print the table.
  --trial ID           Run the one trial with this id here (a scheduler's task does this).
  --json               Print one JSON line per trial as it ends, then the sweep record.
  -h, --help           Show this help.

Exit code: 0 every trial finished or was stopped early, 1 a trial failed or the recipe has
errors, 2 bad usage, 130 stopped (Ctrl-C; a rerun resumes).
`;

/** One trial as `sweep.json` records it. */
export interface TrialRecord {
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, string>>;
  /** `stopped`: stopped early by the sweep's early_stop (see rung); `running`: being trained elsewhere (a cluster's task). */
  readonly status: 'pending' | 'running' | 'finished' | 'failed' | 'cancelled' | 'stopped';
  readonly metrics?: Readonly<Record<string, number>>;
  readonly message?: string;
  readonly runDir?: string;
  /** True when an earlier run of the sweep had finished it. */
  readonly reused?: boolean;
  /** Stopped early: the rung (1-based) and the epochs the trial had completed there. */
  readonly rung?: number;
  readonly epochs?: number;
}

export interface SweepRecord {
  readonly id: string;
  readonly recipe: string;
  readonly spec: {
    readonly strategy: string;
    readonly metric: string;
    readonly goal: 'max' | 'min';
    readonly paths: readonly string[];
    readonly trials: number;
    readonly seed: number;
    readonly earlyStop?: { readonly kind: 'asha'; readonly minEpochs: number; readonly reduction: number };
  };
  readonly status: 'running' | 'finished' | 'failed' | 'cancelled';
  /** Where the trials ran: `local` or `slurm` (absent in records written before). */
  readonly engine?: 'local' | 'slurm' | 'kubernetes';
  readonly trials: readonly TrialRecord[];
  readonly best?: { readonly index: number; readonly id: string; readonly value: number };
}

/** A sweep read from its recipe: the plan, where its folder is, and its trials as their folders say. */
export interface LoadedSweep {
  readonly file: string;
  readonly plan: SweepPlan;
  readonly sweepId: string;
  readonly sweepDir: string;
  readonly trials: readonly { readonly record: TrialRecord; readonly job: TrialJob }[];
}

export async function sweepCommand(args: readonly string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseSweepArgs(args);
  if (parsed === 'help') {
    io.out(SWEEP_USAGE);
    return EXIT.ok;
  }
  if (typeof parsed === 'string') {
    io.err(`minima sweep: ${parsed}; see \`minima sweep --help\`\n`);
    return EXIT.usage;
  }
  const loaded = loadSweep(parsed.file, io, parsed.trial === undefined && !parsed.status && !parsed.collect);
  if (typeof loaded === 'number') return loaded;
  const { plan, sweepDir } = loaded;

  if (parsed.trial !== undefined) return runOneTrial(loaded, parsed.trial, io, signal);
  if (parsed.status) {
    io.out(statusText(loaded, io));
    return EXIT.ok;
  }
  if (parsed.collect) {
    const record = collect(loaded, parsed.on === 'local' ? readRecord(sweepDir)?.engine : parsed.on);
    if (parsed.json) io.out(`${JSON.stringify({ type: 'sweep', ...record })}\n`);
    else io.out(table(record, plan.spec.metric, plan.spec.goal));
    return exitOf(record);
  }

  // Trials of an earlier `--on slurm` still queued would run twice: say so rather than submit them again.
  const queued = parsed.on !== 'kubernetes' ? slurmQueuedJobs(sweepDir) : [];
  if (queued.length > 0) {
    io.err(`minima sweep: the sweep's Slurm job${queued.length > 1 ? 's' : ''} ${queued.join(', ')} ${queued.length > 1 ? 'are' : 'is'} still in the queue; \`minima sweep ${printable(parsed.file)} --status\` follows ${queued.length > 1 ? 'them' : 'it'}, \`scancel ${queued.join(' ')}\` stops ${queued.length > 1 ? 'them' : 'it'}\n`);
    return EXIT.failed;
  }
  if (parsed.rerun === 'all') new RungBoard(path.join(sweepDir, 'rungs')).clear();
  const runs = (t: TrialRecord) => t.status === 'pending' || t.status === 'cancelled' || t.status === 'failed' || parsed.rerun === 'all';
  const todo = loaded.trials.filter((t) => runs(t.record));
  // Locally, half the cores; a cluster's scheduler shares its nodes itself, so there every trial may run at once.
  const parallel = parsed.parallel ?? plan.spec.parallel ?? (parsed.on === 'local' ? Math.max(1, Math.floor(os.availableParallelism() / 2)) : Math.max(1, todo.length));
  const show = (p: string) => path.relative(io.cwd, p) || p;

  if (parsed.on === 'kubernetes') {
    const written = emitKubernetesJob(loaded, { file: path.resolve(io.cwd, parsed.emit ?? ''), trials: todo.map((t) => t.record.id), parallel, image: parsed.image ?? 'minima:latest', claim: parsed.claim ?? 'minima-workspace', cwd: io.cwd });
    if (typeof written === 'string') {
      io.err(`minima sweep: ${written}\n`);
      return EXIT.usage;
    }
    io.out(`wrote ${show(written.written)}: an Indexed Job of ${todo.length} trials, ${Math.min(parallel, Math.max(1, todo.length))} at a time; \`kubectl apply -f ${show(written.written)}\` with the recipe's folder on the claim ${parsed.claim ?? 'minima-workspace'}, then \`minima sweep ${parsed.file} --collect\` where the folder is\n`);
    return EXIT.ok;
  }

  let record: SweepRecord = { ...baseRecord(loaded), engine: parsed.on, status: 'running', trials: loaded.trials.map((t) => (runs(t.record) ? { index: t.record.index, id: t.record.id, values: t.record.values, status: 'pending' as const } : t.record)) };
  fs.mkdirSync(sweepDir, { recursive: true });
  const save = () => writeRecord(sweepDir, record);
  save();
  const failedBefore = loaded.trials.filter((t) => t.record.status === 'failed').length;
  if (!parsed.json) io.out(`sweep ${loaded.sweepId}: ${loaded.trials.length} trials (${loaded.trials.length - todo.length} finished before${failedBefore && parsed.rerun !== 'all' ? `, ${failedBefore} failed before and run again` : ''}), ${Math.min(parallel, Math.max(todo.length, 1))} at a time${parsed.on === 'slurm' ? ' on Slurm' : ''}; folder ${show(sweepDir)}\n`);
  const progress = parsed.json ? undefined : new SweepProgress(io, todo.length, plan.spec.metric);
  const ended = (index: number, outcome: TrialOutcome) => {
    record = { ...record, trials: record.trials.map((r) => (r.index === index ? withOutcome(r, outcome) : r)) };
    save();
    const r = record.trials.find((x) => x.index === index)!;
    if (parsed.json) io.out(`${JSON.stringify({ type: 'trial', ...r })}\n`);
    else progress?.end({ index: r.index, id: r.id, status: r.status, ...(r.metrics?.[plan.spec.metric] !== undefined ? { value: r.metrics[plan.spec.metric] } : {}), ...(r.message !== undefined ? { message: r.message } : {}) });
  };

  if (parsed.on === 'slurm') {
    const submitted = submitSlurm(loaded, { trials: todo.map((t) => t.record.id), parallel, ...(parsed.partition !== undefined ? { partition: parsed.partition } : {}), ...(parsed.time !== undefined ? { time: parsed.time } : {}) });
    if (typeof submitted === 'string') {
      record = { ...record, status: 'failed', trials: record.trials.map((r) => (r.status === 'pending' ? { ...r, message: 'not submitted' } : r)) };
      save();
      io.err(`minima sweep: ${submitted}\n`);
      return EXIT.failed;
    }
    if (!parsed.json && submitted.jobs.length > 0) io.out(`submitted ${submitted.jobs.map((j) => `job ${j.id} (array 0-${j.count - 1}%${Math.min(parallel, j.count)})`).join(', ')}; following it (Ctrl-C cancels the jobs; \`minima sweep ${parsed.file} --status\` from any node)\n`);
    await followSlurm(loaded, submitted, {
      ...(signal ? { signal } : {}),
      progress: (index, p) => progress?.progress({ index, id: loaded.trials[index]!.record.id, status: 'running', epoch: p.epoch, epochs: p.epochs, ...(p.metrics[plan.spec.metric] !== undefined ? { value: p.metrics[plan.spec.metric] } : {}) }),
      ended: (index) => {
        const now = trialFromFolders(loaded.trials[index]!.record, loaded.trials[index]!.job.runsDir);
        ended(index, outcomeOf(now));
      },
      lost: (index, message) => ended(index, { status: 'failed', metrics: {}, message }),
    });
    if (signal?.aborted) {
      progress?.close();
      record = { ...collect(loaded, 'slurm'), status: 'cancelled' };
      save();
      io.out(`cancelled the jobs (scancel ${submitted.jobs.map((j) => j.id).join(' ')}); \`minima sweep ${parsed.file} --on slurm\` resumes\n`);
      return EXIT.stopped;
    }
  } else {
    await runPool(
      todo.map((t) => t.job),
      parallel,
      (i, outcome) => ended(todo[i]!.record.index, outcome),
      signal,
      (i, p) => progress?.progress({ index: todo[i]!.record.index, id: todo[i]!.record.id, status: 'running', epoch: p.epoch, epochs: p.epochs, ...(p.metrics[plan.spec.metric] !== undefined ? { value: p.metrics[plan.spec.metric] } : {}) }),
    );
  }
  progress?.close();
  const best = bestTrial(record.trials, plan.spec.metric, plan.spec.goal);
  const status: SweepRecord['status'] = signal?.aborted ? 'cancelled' : record.trials.every((t) => t.status === 'finished' || t.status === 'stopped') ? 'finished' : 'failed';
  record = { ...record, status, ...(best ? { best } : {}) };
  save();
  if (parsed.json) io.out(`${JSON.stringify({ type: 'sweep', ...record })}\n`);
  else io.out(table(record, plan.spec.metric, plan.spec.goal));
  if (status === 'cancelled' && !parsed.json) io.out(`stopped; \`minima sweep ${parsed.file}\` resumes with the ${record.trials.filter((t) => t.status !== 'finished' && t.status !== 'stopped').length} unfinished trials\n`);
  return status === 'finished' ? EXIT.ok : status === 'cancelled' ? EXIT.stopped : EXIT.failed;
}

/** Reads, checks and plans the recipe's sweep, printing its diagnostics; an exit code when it cannot run. */
export function loadSweep(given: string, io: Io, printDiagnostics = true): LoadedSweep | number {
  const file = path.resolve(io.cwd, given);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`minima sweep: cannot read ${printable(given)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return EXIT.usage;
  }
  const analysis = analyze(text);
  if (printDiagnostics) for (const d of analysis.diagnostics) io.err(`${formatDiagnostic(given, analysis.lines, d)}\n`);
  const { plan } = planSweep(analysis.tree, text, analysis.catalog);
  const hasSweep = analysis.tree.blocks.some((b) => b.keyword.name === 'sweep');
  if (!analysis.recipe || !plan) {
    io.err(hasSweep || !analysis.recipe ? `minima sweep: ${printable(given)} has errors; fix them first (\`minima check ${printable(given)}\`).\n` : `minima sweep: ${printable(given)} has no sweep block; add one such as sweep grid { train.optimizer.lr = [0.03, 0.1] }\n`);
    return EXIT.failed;
  }
  const sweepId = path.basename(file).replace(/\.minima$/, '');
  const sweepDir = path.join(path.dirname(file), '.minima', 'sweeps', sweepId);
  const trials = resolveTrials(plan, sweepDir, path.dirname(file));
  if (typeof trials === 'string') {
    io.err(`minima sweep: ${trials}\n`);
    return EXIT.failed;
  }
  return { file, plan, sweepId, sweepDir, trials };
}

/** `--trial <id>`: one trial, here and now, in this process (a Slurm or Kubernetes task). */
async function runOneTrial(loaded: LoadedSweep, id: string, io: Io, signal?: AbortSignal): Promise<number> {
  const t = loaded.trials.find((x) => x.record.id === id);
  if (!t) {
    io.err(`minima sweep: the sweep has no trial ${printable(id)}: the recipe changed since the trials were submitted (\`minima sweep ${path.basename(loaded.file)} --status\` lists them)\n`);
    return EXIT.failed;
  }
  fs.mkdirSync(t.job.runsDir, { recursive: true });
  const outcome = await runTrial(t.job, signal);
  io.out(`trial ${t.record.index + 1} ${t.record.id} ${outcome.status}${outcome.message ? `: ${printable(outcome.message)}` : ''}\n`);
  return outcome.status === 'finished' || outcome.status === 'stopped' ? EXIT.ok : outcome.status === 'cancelled' ? EXIT.stopped : EXIT.failed;
}

/** The sweep record as the trials' folders say it is now (`--collect`, and after following a cluster). */
export function collect(loaded: LoadedSweep, engine?: SweepRecord['engine']): SweepRecord {
  const trials = loaded.trials.map((t) => trialFromFolders(t.record, t.job.runsDir));
  const best = bestTrial(trials, loaded.plan.spec.metric, loaded.plan.spec.goal);
  const open = trials.some((t) => t.status === 'pending' || t.status === 'running');
  const status: SweepRecord['status'] = open ? 'running' : trials.every((t) => t.status === 'finished' || t.status === 'stopped') ? 'finished' : 'failed';
  const record: SweepRecord = { ...baseRecord(loaded), ...(engine ? { engine } : {}), status, trials, ...(best ? { best } : {}) };
  writeRecord(loaded.sweepDir, record);
  return record;
}

function statusText(loaded: LoadedSweep, io: Io): string {
  const active = slurmTasksActive(loaded.sweepDir);
  const trials = loaded.trials.map((t) => trialFromFolders(t.record, t.job.runsDir, active));
  const count = (s: TrialRecord['status']) => trials.filter((t) => t.status === s).length;
  const head = `sweep ${loaded.sweepId}: ${trials.length} trials: ${count('finished')} finished, ${count('stopped')} stopped early, ${count('running')} running, ${count('failed')} failed, ${count('pending') + count('cancelled')} to run; folder ${path.relative(io.cwd, loaded.sweepDir) || loaded.sweepDir}\n`;
  const lines = trials.map((t) => {
    const progress = t.status === 'running' ? epochProgress(t.runDir) : '';
    return `  trial ${t.index + 1} ${t.id} ${t.status === 'stopped' ? (t.message ?? 'stopped early') : t.status}${progress}${fmtMetric(t, loaded.plan.spec.metric)}${t.status === 'failed' && t.message ? `: ${printable(t.message)}` : ''}`;
  });
  return `${head}${lines.join('\n')}\n${slurmStatusLines(loaded.sweepDir)}`;
}

function epochProgress(runDir: string | undefined): string {
  if (!runDir) return '';
  try {
    const events = readEvents(runDir);
    const started = events.find((e) => e.type === 'started');
    const last = [...events].reverse().find((e) => e.type === 'epoch');
    return started?.type === 'started' ? ` (epoch ${last?.type === 'epoch' ? last.epoch + 1 : 0}/${started.run.epochs})` : '';
  } catch {
    return '';
  }
}

function fmtMetric(t: TrialRecord, metric: string): string {
  const v = t.metrics?.[metric];
  return v === undefined ? '' : ` ${metric} = ${fmt(v)}`;
}

/**
 * A trial's state from its folder: its newest run decides. Finished: finished; cancelled with
 * `stopped-early.json`: stopped early; failed: failed with its message; running in a live
 * process: running; cancelled or interrupted: to run again; no run: pending.
 */
export function trialFromFolders(base: TrialRecord, runsDir: string, tasksActive = false): TrialRecord {
  const head = { index: base.index, id: base.id, values: base.values };
  const runs = listRuns(runsDir);
  const newest = runs[0];
  if (!newest) return { ...head, status: 'pending' };
  const runDir = path.join(runsDir, newest.id);
  if (newest.status === 'finished') return { ...head, status: 'finished', metrics: newest.final ?? {}, runDir };
  const stopped = newest.status === 'cancelled' ? readStoppedEarly(runsDir) : undefined;
  if (stopped) return { ...head, status: 'stopped', metrics: stopped.metrics, message: `stopped early (rung ${stopped.rung})`, runDir, rung: stopped.rung, epochs: stopped.epochs };
  if (newest.status === 'failed') return { ...head, status: 'failed', metrics: newest.final ?? {}, ...(newest.message !== undefined ? { message: newest.message } : {}), runDir };
  if (newest.status === 'running' && processAlive(newest.pid)) return { ...head, status: 'running', runDir };
  if (newest.status === 'interrupted' && tasksActive) return { ...head, status: 'running', runDir };
  return { ...head, status: 'cancelled', ...(newest.message !== undefined ? { message: newest.message } : {}), runDir };
}

/**
 * Whether the process `pid` of a run that says it is running still lives. A zombie does not: a
 * trial killed with its sweep is re-parented, and where nothing reaps it (PID 1 of a container
 * that is not an init) it stays in the process table, dead. On a cluster the pid is another
 * node's, and the store calls the run interrupted: trialFromFolders' `tasksActive` says whether
 * the sweep's cluster tasks are still in the queue, and then such a run counts as running.
 */
function processAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // No /proc here (not Linux): the store's kill(pid, 0) has said it lives.
    return true;
  }
}

function outcomeOf(t: TrialRecord): TrialOutcome {
  const status = t.status === 'finished' || t.status === 'failed' || t.status === 'stopped' ? t.status : 'cancelled';
  return { status, metrics: t.metrics ?? {}, ...(t.message !== undefined ? { message: t.message } : {}), ...(t.runDir ? { runDir: t.runDir } : {}), ...(t.rung !== undefined ? { rung: t.rung } : {}), ...(t.epochs !== undefined ? { epochs: t.epochs } : {}) };
}

function baseRecord(loaded: LoadedSweep): Omit<SweepRecord, 'status' | 'trials'> {
  const { plan, sweepDir, file, sweepId } = loaded;
  const es = plan.spec.earlyStop;
  return {
    id: sweepId,
    recipe: path.relative(sweepDir, file),
    spec: { strategy: plan.spec.strategy, metric: plan.spec.metric, goal: plan.spec.goal, paths: plan.spec.paths.map((p) => p.path), trials: loaded.trials.length, seed: plan.spec.seed, ...(es ? { earlyStop: { kind: 'asha' as const, minEpochs: es.minEpochs, reduction: es.reduction } } : {}) },
  };
}

function writeRecord(sweepDir: string, record: SweepRecord): void {
  fs.mkdirSync(sweepDir, { recursive: true });
  const file = path.join(sweepDir, 'sweep.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function readRecord(sweepDir: string): SweepRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  } catch {
    return undefined;
  }
}

function exitOf(record: SweepRecord): number {
  return record.status === 'finished' ? EXIT.ok : EXIT.failed;
}

/** Each trial's id, job and record as its folder says (trialFromFolders). */
function resolveTrials(plan: SweepPlan, sweepDir: string, recipeDir: string): { record: TrialRecord; job: TrialJob }[] | string {
  const out: { record: TrialRecord; job: TrialJob }[] = [];
  const es = plan.spec.earlyStop;
  for (const trial of plan.trials) {
    const text = plan.textOf(trial.assignments).text;
    const a = analyze(text);
    const values = Object.fromEntries(trial.assignments.map((x) => [x.path, x.text]));
    if (!a.recipe) return `trial ${trial.index + 1} (${Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(', ')}) has errors: ${a.diagnostics.find((d) => d.severity === 'error')?.message ?? ''}`;
    const id = trialId(a.recipe);
    const runsDir = path.join(sweepDir, id);
    const now = trialFromFolders({ index: trial.index, id, values, status: 'pending' }, runsDir);
    const record: TrialRecord = now.status === 'finished' || now.status === 'stopped' ? { ...now, reused: true } : now;
    const asha = es ? { minEpochs: es.minEpochs, reduction: es.reduction, metric: plan.spec.metric, goal: plan.spec.goal, boardDir: path.join(sweepDir, 'rungs'), trialId: id } : undefined;
    // NOTE: the trial's recipe sits in the sweep's folder, but its relative paths resolve against the recipe's own folder.
    out.push({ record, job: { text, baseDir: recipeDir, recipePath: path.join(runsDir, 'trial.minima'), runsDir, threads: 1, ...(asha ? { asha } : {}) } });
  }
  return out;
}

function withOutcome(r: TrialRecord, o: TrialOutcome): TrialRecord {
  return {
    index: r.index,
    id: r.id,
    values: r.values,
    status: o.status,
    metrics: o.metrics,
    ...(o.message !== undefined ? { message: o.message } : {}),
    ...(o.runDir ? { runDir: o.runDir } : {}),
    ...(o.rung !== undefined ? { rung: o.rung } : {}),
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
  };
}

/** The finished trial with the best metric; undefined when none has it. */
export function bestTrial(trials: readonly TrialRecord[], metric: string, goal: 'max' | 'min'): SweepRecord['best'] {
  let best: SweepRecord['best'];
  for (const t of trials) {
    const v = t.status === 'finished' ? t.metrics?.[metric] : undefined;
    if (v === undefined || !Number.isFinite(v)) continue;
    if (!best || (goal === 'max' ? v > best.value : v < best.value)) best = { index: t.index, id: t.id, value: v };
  }
  return best;
}

/** The final table: one row per trial, best first, trials without the metric last. */
export function table(record: SweepRecord, metric: string, goal: 'max' | 'min'): string {
  const score = (t: TrialRecord) => {
    const v = t.status === 'finished' ? t.metrics?.[metric] : undefined;
    return v === undefined || !Number.isFinite(v) ? -Infinity : goal === 'max' ? v : -v;
  };
  const rows = [...record.trials].sort((a, b) => score(b) - score(a) || a.index - b.index);
  const header = ['trial', 'id', ...record.spec.paths, metric, 'status'];
  const lines = rows.map((t) => [String(t.index + 1), t.id, ...record.spec.paths.map((p) => t.values[p] ?? ''), fmt(t.metrics?.[metric]), (t.status === 'stopped' ? (t.message ?? 'stopped early') : t.status) + (t.reused ? ' (before)' : '')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const failures = rows.filter((t) => t.status === 'failed' && t.message).map((t) => `trial ${t.index + 1} failed: ${printable(t.message ?? '')}\n`).join('');
  const best = record.best ? `best: trial ${record.best.index + 1} (${record.best.id}), ${metric} = ${fmt(record.best.value)}\n` : `best: none (no trial finished with ${metric})\n`;
  return `\n${row(header)}\n${lines.map(row).join('\n')}\n\n${failures}${best}`;
}

interface SweepArgs {
  readonly file: string;
  readonly parallel?: number;
  readonly json: boolean;
  readonly rerun?: 'failed' | 'all';
  readonly on: 'local' | 'slurm' | 'kubernetes';
  readonly partition?: string;
  readonly time?: string;
  readonly emit?: string;
  readonly image?: string;
  readonly claim?: string;
  readonly status: boolean;
  readonly collect: boolean;
  readonly trial?: string;
}

function parseSweepArgs(args: readonly string[]): SweepArgs | 'help' | string {
  const str = { type: 'string' } as const;
  const bool = { type: 'boolean' } as const;
  const parsed = parseCommandArgs(args, { parallel: str, json: bool, rerun: str, on: str, partition: str, time: str, emit: str, image: str, claim: str, status: bool, collect: bool, trial: str, help: { type: 'boolean', short: 'h' } });
  if (typeof parsed === 'string') return parsed;
  const v = parsed.values;
  if (v['help'] === true) return 'help';
  const opt = (name: string) => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  const given = opt('parallel');
  const n = Number(given);
  if (given !== undefined && (given.trim() === '' || !Number.isInteger(n) || n < 1)) return `--parallel takes a positive integer, not ${given || 'nothing'}`;
  const rerun = opt('rerun');
  if (rerun !== undefined && rerun !== 'failed' && rerun !== 'all') return `--rerun takes failed or all, not ${rerun || 'nothing'}`;
  const on = opt('on') ?? 'local';
  if (on !== 'local' && on !== 'slurm' && on !== 'kubernetes') return `--on takes local, slurm or kubernetes, not ${on || 'nothing'}`;
  if (on === 'kubernetes' && opt('emit') === undefined) return '--on kubernetes writes a Job manifest: give --emit job.yaml';
  if (on !== 'kubernetes') for (const k of ['emit', 'image', 'claim']) if (opt(k) !== undefined) return `--${k} goes with --on kubernetes`;
  if (on !== 'slurm') for (const k of ['partition', 'time']) if (opt(k) !== undefined) return `--${k} goes with --on slurm`;
  const modes = ['status', 'collect', 'trial'].filter((k) => v[k] !== undefined && v[k] !== false);
  if (modes.length > 1) return `--${modes[0]} and --${modes[1]} do not go together`;
  const trial = opt('trial');
  if (trial !== undefined && !/^[0-9a-f]{12}$/.test(trial)) return `--trial takes a trial id (12 hex digits), not ${printable(trial) || 'nothing'}`;
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return 'give a recipe file';
  if (extra.length > 0) return `give one recipe, found ${parsed.positionals.length}`;
  const out: Record<string, unknown> = { file, json: v['json'] === true, on, status: v['status'] === true, collect: v['collect'] === true };
  if (given !== undefined) out['parallel'] = n;
  if (rerun !== undefined) out['rerun'] = rerun;
  for (const k of ['partition', 'time', 'emit', 'image', 'claim', 'trial']) if (opt(k) !== undefined) out[k] = opt(k);
  return out as unknown as SweepArgs;
}

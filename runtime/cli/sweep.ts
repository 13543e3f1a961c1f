// `minima sweep <recipe> [--parallel N] [--json]`: expands the recipe's sweep block into trials
// (the checker's own expansion, so what validates is what runs), runs them in a pool of child
// processes, each trial an ordinary run folder under `.minima/sweeps/<sweep-id>/<trial-id>/`,
// and ends with a table sorted by the sweep's metric. `sweep.json` beside the trials holds the
// spec, every trial's values, status and metrics, and the best trial. A trial's id is a hash of
// its resolved recipe, so a rerun skips the trials that finished.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { planSweep, type SweepPlan } from '../checker';
import { listRuns } from '../engine';
import { parseCommandArgs } from './args';
import { formatDiagnostic } from './check';
import { EXIT } from './exit-codes';
import type { Io } from './main';
import { runPool } from './sweep-pool';
import type { TrialJob, TrialOutcome } from './sweep-worker';
import { trialId } from './trial-id';

export const SWEEP_USAGE = `usage: minima sweep <recipe.minima> [options]

Runs every trial of the recipe's sweep block, each in its own process and its own run folder
under .minima/sweeps/<recipe>/<trial-id>/ next to the recipe, and prints a table sorted by the
sweep's metric. Trials that finished before are skipped; failed ones run again.

Options:
  --parallel N     Trials at once (default: the block's parallel, else half the cores).
  --json           Print one JSON line per trial as it ends, then the sweep record.
  -h, --help       Show this help.

Exit code: 0 every trial finished, 1 a trial failed or the recipe has errors, 2 bad usage,
130 stopped.
`;

/** One trial as `sweep.json` records it. */
export interface TrialRecord {
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, string>>;
  readonly status: 'pending' | 'finished' | 'failed' | 'cancelled';
  readonly metrics?: Readonly<Record<string, number>>;
  readonly message?: string;
  readonly runDir?: string;
  /** True when an earlier run of the sweep had finished it. */
  readonly reused?: boolean;
}

export interface SweepRecord {
  readonly id: string;
  readonly recipe: string;
  readonly spec: { readonly strategy: string; readonly metric: string; readonly goal: 'max' | 'min'; readonly paths: readonly string[]; readonly trials: number; readonly seed: number };
  readonly status: 'running' | 'finished' | 'failed' | 'cancelled';
  readonly trials: readonly TrialRecord[];
  readonly best?: { readonly index: number; readonly id: string; readonly value: number };
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
  const file = path.resolve(io.cwd, parsed.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`minima sweep: cannot read ${parsed.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return EXIT.usage;
  }
  const analysis = analyze(text);
  for (const d of analysis.diagnostics) io.err(`${formatDiagnostic(parsed.file, analysis.lines, d)}\n`);
  const { plan } = planSweep(analysis.tree, text, analysis.catalog);
  const hasSweep = analysis.tree.blocks.some((b) => b.keyword.name === 'sweep');
  if (!analysis.recipe || !plan) {
    io.err(hasSweep || !analysis.recipe ? `minima sweep: ${parsed.file} has errors; fix them first (\`minima check ${parsed.file}\`).\n` : `minima sweep: ${parsed.file} has no sweep block; add one such as sweep grid { train.optimizer.lr = [0.03, 0.1] }\n`);
    return EXIT.failed;
  }
  if (plan.spec.earlyStop) io.err('note: early_stop is checked but not applied yet: every trial runs all its epochs\n');

  const sweepId = path.basename(file).replace(/\.minima$/, '');
  const sweepDir = path.join(path.dirname(file), '.minima', 'sweeps', sweepId);
  const trials = resolveTrials(plan, sweepDir, path.dirname(file));
  if (typeof trials === 'string') {
    io.err(`minima sweep: ${trials}\n`);
    return EXIT.failed;
  }
  const parallel = parsed.parallel ?? plan.spec.parallel ?? Math.max(1, Math.floor(os.availableParallelism() / 2));
  let record: SweepRecord = {
    id: sweepId,
    recipe: path.relative(sweepDir, file),
    spec: { strategy: plan.spec.strategy, metric: plan.spec.metric, goal: plan.spec.goal, paths: plan.spec.paths.map((p) => p.path), trials: trials.length, seed: plan.spec.seed },
    status: 'running',
    trials: trials.map((t) => t.record),
  };
  fs.mkdirSync(sweepDir, { recursive: true });
  const save = () => fs.writeFileSync(path.join(sweepDir, 'sweep.json'), `${JSON.stringify(record, null, 2)}\n`);
  save();

  const todo = trials.filter((t) => t.record.status !== 'finished');
  const show = (p: string) => path.relative(io.cwd, p) || p;
  if (!parsed.json) io.out(`sweep ${sweepId}: ${trials.length} trials (${trials.length - todo.length} finished before), ${Math.min(parallel, Math.max(todo.length, 1))} at a time; folder ${show(sweepDir)}\n`);
  let done = 0;
  await runPool(
    todo.map((t) => t.job),
    parallel,
    (i, outcome) => {
      const t = todo[i]!;
      record = { ...record, trials: record.trials.map((r) => (r.index === t.record.index ? withOutcome(r, outcome) : r)) };
      save();
      done++;
      const r = record.trials.find((x) => x.index === t.record.index)!;
      if (parsed.json) io.out(`${JSON.stringify({ type: 'trial', ...r })}\n`);
      else io.out(`[${done}/${todo.length}] trial ${r.index + 1} ${r.id} ${r.status}${metricText(r, plan.spec.metric)}${r.message ? `: ${r.message}` : ''}\n`);
    },
    signal,
  );
  const best = bestTrial(record.trials, plan.spec.metric, plan.spec.goal);
  const status: SweepRecord['status'] = signal?.aborted ? 'cancelled' : record.trials.every((t) => t.status === 'finished') ? 'finished' : 'failed';
  record = { ...record, status, ...(best ? { best } : {}) };
  save();
  if (parsed.json) io.out(`${JSON.stringify({ type: 'sweep', ...record })}\n`);
  else io.out(table(record, plan.spec.metric, plan.spec.goal));
  return status === 'finished' ? EXIT.ok : status === 'cancelled' ? EXIT.stopped : EXIT.failed;
}

/** Each trial's id, job and record; a trial whose run folder holds a finished run is taken as it is. */
function resolveTrials(plan: SweepPlan, sweepDir: string, recipeDir: string): { record: TrialRecord; job: TrialJob }[] | string {
  const out: { record: TrialRecord; job: TrialJob }[] = [];
  for (const trial of plan.trials) {
    const text = plan.textOf(trial.assignments).text;
    const a = analyze(text);
    const values = Object.fromEntries(trial.assignments.map((x) => [x.path, x.text]));
    if (!a.recipe) return `trial ${trial.index + 1} (${Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(', ')}) has errors: ${a.diagnostics.find((d) => d.severity === 'error')?.message ?? ''}`;
    const id = trialId(a.recipe);
    const runsDir = path.join(sweepDir, id);
    const previous = listRuns(runsDir).find((r) => r.status === 'finished');
    const record: TrialRecord = previous
      ? { index: trial.index, id, values, status: 'finished', metrics: previous.final ?? {}, runDir: path.join(runsDir, previous.id), reused: true }
      : { index: trial.index, id, values, status: 'pending' };
    // NOTE: the trial's recipe sits in the sweep's folder, but its relative paths resolve against the recipe's own folder.
    out.push({ record, job: { text, baseDir: recipeDir, recipePath: path.join(runsDir, 'trial.minima'), runsDir, threads: 1 } });
  }
  return out;
}

function withOutcome(r: TrialRecord, o: TrialOutcome): TrialRecord {
  return { index: r.index, id: r.id, values: r.values, status: o.status, metrics: o.metrics, ...(o.message !== undefined ? { message: o.message } : {}), ...(o.runDir ? { runDir: o.runDir } : {}) };
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
  const lines = rows.map((t) => [String(t.index + 1), t.id, ...record.spec.paths.map((p) => t.values[p] ?? ''), fmt(t.metrics?.[metric]), t.status + (t.reused ? ' (before)' : '')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const best = record.best ? `best: trial ${record.best.index + 1} (${record.best.id}), ${metric} = ${fmt(record.best.value)}\n` : `best: none (no trial finished with ${metric})\n`;
  return `\n${row(header)}\n${lines.map(row).join('\n')}\n\n${best}`;
}

function metricText(r: TrialRecord, metric: string): string {
  const v = r.metrics?.[metric];
  return v === undefined ? '' : ` ${metric} = ${fmt(v)}`;
}

function fmt(v: number | undefined): string {
  return v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4);
}

interface SweepArgs {
  readonly file: string;
  readonly parallel?: number;
  readonly json: boolean;
}

function parseSweepArgs(args: readonly string[]): SweepArgs | 'help' | string {
  const parsed = parseCommandArgs(args, { parallel: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (typeof parsed === 'string') return parsed;
  const v = parsed.values;
  if (v['help'] === true) return 'help';
  const given = typeof v['parallel'] === 'string' ? v['parallel'] : undefined;
  const n = Number(given);
  if (given !== undefined && (given.trim() === '' || !Number.isInteger(n) || n < 1)) return `--parallel takes a positive integer, not ${given || 'nothing'}`;
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return 'give a recipe file';
  if (extra.length > 0) return `give one recipe, found ${parsed.positionals.length}`;
  return { file, json: v['json'] === true, ...(given !== undefined ? { parallel: n } : {}) };
}

// The sweeps view's data: one row per sweep (strategy, metric and goal, trials done, the best
// trial), short labels for trials (`lr-sweep #3`), and a sweep's trials as compare-view runs whose
// hyper-parameters are the swept values, so the scatter and parallel coordinates plot the sweep
// metric against exactly what the sweep varied. Pure: no DOM.

import type { RunSummary, SweepSummary } from '../protocol';
import type { CompareRun } from './compare-data';

export interface SweepRow {
  readonly id: string;
  readonly recipe: string;
  readonly strategy: string;
  /** `val_accuracy (max)`. */
  readonly objective: string;
  /** `6 / 8 finished`, with failed ones named. */
  readonly progress: string;
  /** `#3 0.962 (lr 0.03)`, or '' before any trial finished. */
  readonly best: string;
  readonly status: string;
  /** The trials' run ids that have run folders (what `Show` ticks). */
  readonly runIds: readonly string[];
}

export function sweepRows(sweeps: readonly SweepSummary[], runs: readonly RunSummary[]): SweepRow[] {
  const have = new Set(runs.map((r) => r.id));
  return sweeps.map((s) => {
    const finished = s.trials.filter((t) => t.status === 'finished').length;
    const failed = s.trials.filter((t) => t.status === 'failed').length;
    const best = bestTrial(s);
    const trial = s.trials.find((t) => t.runId === best);
    return {
      id: s.id,
      recipe: s.recipe,
      strategy: s.strategy,
      objective: `${s.metric} (${s.goal})`,
      progress: `${finished} / ${s.trials.length} finished${failed > 0 ? `, ${failed} failed` : ''}`,
      best: trial && trial.value !== undefined ? `#${trial.index + 1} ${trial.value.toPrecision(4)} (${Object.entries(trial.values).map(([k, v]) => `${shortPath(k)} ${v}`).join(', ')})` : '',
      status: s.status,
      runIds: s.trials.map((t) => t.runId).filter((id) => have.has(id)),
    };
  });
}

/** The best trial's run id: sweep.json's `best`, else the best metric value by the sweep's goal. */
export function bestTrial(s: SweepSummary): string | undefined {
  if (s.best) return s.best.runId;
  let best: { runId: string; value: number } | undefined;
  for (const t of s.trials) {
    if (t.value === undefined) continue;
    if (!best || (s.goal === 'max' ? t.value > best.value : t.value < best.value)) best = { runId: t.runId, value: t.value };
  }
  return best?.runId;
}

/** `lr-sweep #3` for each trial's run id (trial ids are hashes, not times). */
export function trialLabels(sweeps: readonly SweepSummary[]): Map<string, string> {
  return new Map(sweeps.flatMap((s) => s.trials.map((t) => [t.runId, `${s.id} #${t.index + 1}`] as const)));
}

/** The sweep a set of ticked runs belongs to, when every one of them is a trial of the same sweep. */
export function sweepOf(sweeps: readonly SweepSummary[], ids: readonly string[]): SweepSummary | undefined {
  if (ids.length === 0) return undefined;
  return sweeps.find((s) => ids.every((id) => s.trials.some((t) => t.runId === id)));
}

/** A sweep's trials as compare-view runs: the swept values as hyper-parameters, the metric as sweep.json has it. */
export function sweepCompareRuns(s: SweepSummary, ids: readonly string[], summaries: ReadonlyMap<string, RunSummary>): CompareRun[] {
  return s.trials.filter((t) => ids.includes(t.runId)).map((t) => ({
    id: t.runId,
    hyper: Object.fromEntries(Object.entries(t.values).map(([k, v]) => [shortPath(k), v])),
    final: { ...(summaries.get(t.runId)?.final ?? {}), ...(t.value !== undefined ? { [s.metric]: t.value } : {}) },
  }));
}

/** `train.optimizer.lr` → `optimizer.lr`: the block name adds nothing on an axis. */
export function shortPath(p: string): string {
  const parts = p.split('.');
  return parts.length > 2 ? parts.slice(1).join('.') : p;
}

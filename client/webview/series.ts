// Builds chart series from a run's events, point by point: one series per metric and source
// (`step` metrics such as loss and lr, `epoch` metrics such as val_loss and val_accuracy), plus
// the phase markers (pruning, quantization). The panel appends each event as it arrives.
// Pure: no DOM, no `vscode`.

import type { RunEvent } from '../protocol';

export type SeriesSource = 'step' | 'epoch';

export interface Series {
  /** `loss`, `val_accuracy`…; epoch metrics that share a name with a step metric are `epoch/<name>`. */
  readonly name: string;
  readonly source: SeriesSource;
  /** Global optimizer steps (x) and values (y), in arrival order. */
  readonly x: number[];
  readonly y: number[];
  /** When each point was measured (ms since the epoch: the event's `time`), for the wall-time axis. */
  readonly t: number[];
}

export interface PhaseMarker {
  readonly step: number;
  readonly epoch: number;
  readonly phase: string;
  readonly detail: string;
}

export interface RunSeries {
  readonly series: Map<string, Series>;
  readonly phases: PhaseMarker[];
  readonly warnings: string[];
  /** The last step seen, total planned steps (from `started`) and the end state. */
  lastStep: number;
  totalSteps: number | undefined;
  /** From `started`: steps per epoch (the epoch axis) and when the run started (the wall-time axis). */
  stepsPerEpoch: number | undefined;
  startTime: number | undefined;
  /** The last event's time (a live run's duration). */
  lastTime: number | undefined;
  status: 'running' | 'finished' | 'failed' | 'cancelled' | 'diverged';
}

export function emptyRunSeries(): RunSeries {
  return { series: new Map(), phases: [], warnings: [], lastStep: 0, totalSteps: undefined, stepsPerEpoch: undefined, startTime: undefined, lastTime: undefined, status: 'running' };
}

/** Adds one event to `run` (mutates it: the panel appends thousands of points). */
export function appendEvent(run: RunSeries, e: RunEvent): void {
  run.lastTime = e.time;
  switch (e.type) {
    case 'started':
      run.totalSteps = e.run.epochs * e.run.stepsPerEpoch;
      run.stepsPerEpoch = e.run.stepsPerEpoch;
      run.startTime = e.time;
      return;
    case 'step':
    case 'epoch':
      run.lastStep = Math.max(run.lastStep, e.step);
      for (const [metric, value] of Object.entries(e.metrics)) point(run, seriesName(run, metric, e.type), e.type, e.step, value, e.time);
      return;
    case 'phase':
      run.phases.push({ step: e.step, epoch: e.epoch, phase: e.phase, detail: e.detail });
      return;
    case 'warning':
      run.warnings.push(e.message);
      return;
    case 'finished':
      run.status = 'finished';
      return;
    case 'failed':
      run.status = e.reason === 'cancelled' ? 'cancelled' : e.reason === 'diverged' ? 'diverged' : 'failed';
      return;
  }
}

export function seriesOf(events: readonly RunEvent[]): RunSeries {
  const run = emptyRunSeries();
  for (const e of events) appendEvent(run, e);
  return run;
}

/** Metric names in a stable order for the charts: loss first, then accuracy, then the rest by name. */
export function chartOrder(names: Iterable<string>): string[] {
  const rank = (n: string) => (/loss/.test(n) ? 0 : /acc/.test(n) ? 1 : /^lr$|learning_rate/.test(n) ? 2 : 3);
  return [...new Set(names)].sort((a, b) => rank(baseName(a)) - rank(baseName(b)) || baseName(a).localeCompare(baseName(b)) || a.localeCompare(b));
}

/** The chart a series goes to: `val_loss` and `loss` share the loss chart, `val_accuracy` and `accuracy` theirs. */
export function baseName(series: string): string {
  return series.replace(/^epoch\//, '').replace(/^val_/, '');
}

function seriesName(run: RunSeries, metric: string, source: SeriesSource): string {
  if (source === 'step') return metric;
  const clash = run.series.get(metric);
  return clash && clash.source === 'step' ? `epoch/${metric}` : metric;
}

function point(run: RunSeries, name: string, source: SeriesSource, x: number, y: number, t: number): void {
  let s = run.series.get(name);
  if (!s) {
    s = { name, source, x: [], y: [], t: [] };
    run.series.set(name, s);
  }
  s.x.push(x);
  s.y.push(y);
  s.t.push(t);
}

export const X_AXES = ['step', 'epoch', 'time'] as const;
/** The charts' x axis: optimizer steps, epochs (steps / steps per epoch) or wall time since the run started (s). */
export type XAxis = (typeof X_AXES)[number];

/** A series' x values on the chosen axis (epochs need the run's steps per epoch, time its start; else steps). */
export function xValues(run: RunSeries, s: Series, axis: XAxis): readonly number[] {
  if (axis === 'epoch' && run.stepsPerEpoch) {
    const spe = run.stepsPerEpoch;
    return s.x.map((step) => step / spe);
  }
  if (axis === 'time') {
    const t0 = run.startTime ?? s.t[0] ?? 0;
    return s.t.map((t) => (t - t0) / 1000);
  }
  return s.x;
}

/** A step on the chosen axis (phase bands): wall time is that of the first point at or after the step. */
export function stepToAxis(run: RunSeries, step: number, axis: XAxis): number | undefined {
  if (axis === 'step') return step;
  if (axis === 'epoch') return run.stepsPerEpoch ? step / run.stepsPerEpoch : undefined;
  const any = [...run.series.values()].find((s) => s.source === 'step') ?? [...run.series.values()][0];
  if (!any || any.x.length === 0) return undefined;
  let lo = 0;
  let hi = any.x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (any.x[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  return (any.t[lo]! - (run.startTime ?? any.t[0]!)) / 1000;
}

// The report page's data back into run events: the steps the CLI kept for drawing
// (runtime/cli/report-data.ts's columns) as step events, in order among the run's other events,
// so the page builds its series with the results panel's own code (client/webview/series.ts).
// Pure: no DOM.

import type { RunEvent } from '../protocol';
import type { DrawnSteps, ReportRun } from '../../runtime/cli/report-data';

/** The run's events, steps included (as many as were kept), in the order the run wrote them. */
export function reportEvents(run: Pick<ReportRun, 'events' | 'steps'>): RunEvent[] {
  const steps = stepEvents(run.steps, run.events);
  const rank = (e: RunEvent): [number, number] => {
    switch (e.type) {
      case 'started':
        return [Number.NEGATIVE_INFINITY, 0];
      case 'step':
        return [e.step, 0];
      case 'epoch':
      case 'phase':
        return [e.step, 1];
      case 'warning':
        return [Number.POSITIVE_INFINITY, 0];
      case 'finished':
      case 'failed':
        return [Number.POSITIVE_INFINITY, 1];
    }
  };
  // A stable sort: each step's point before the epoch's at the same step, as the run emits them.
  return [...steps, ...run.events].map((e, i) => ({ e, k: rank(e), i })).sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i).map((x) => x.e);
}

/** One step event per kept step, holding the metrics kept there; times interpolated from `time`. */
export function stepEvents(steps: DrawnSteps, others: readonly RunEvent[]): RunEvent[] {
  const byStep = new Map<number, Record<string, number>>();
  for (const [name, col] of Object.entries(steps.metrics)) {
    let s = 0;
    for (let i = 0; i < col.s.length; i++) {
      s += col.s[i]!;
      const v = col.v[i];
      const m = byStep.get(s) ?? {};
      m[name] = v === null || v === undefined ? Number.NaN : v;
      byStep.set(s, m);
    }
  }
  const time = timeline(steps.time);
  const started = others.find((e): e is Extract<RunEvent, { type: 'started' }> => e.type === 'started');
  const spe = started?.run.stepsPerEpoch;
  return [...byStep.keys()].sort((a, b) => a - b).map((step) => ({ type: 'step', time: time(step), epoch: spe ? Math.floor((step - 1) / spe) : 0, step, metrics: byStep.get(step)! }));
}

/** Wall time (ms) at a step, linear between the samples (clamped at both ends). */
export function timeline(samples: DrawnSteps['time']): (step: number) => number {
  const xs: number[] = [];
  const ts: number[] = [];
  let s = 0;
  let t = 0;
  for (let i = 0; i < samples.s.length; i++) {
    xs.push((s += samples.s[i]!));
    ts.push((t += samples.t[i]!));
  }
  return (step) => {
    if (xs.length === 0) return 0;
    if (step <= xs[0]!) return ts[0]!;
    if (step >= xs[xs.length - 1]!) return ts[ts.length - 1]!;
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= step) lo = mid;
      else hi = mid;
    }
    const f = (step - xs[lo]!) / (xs[hi]! - xs[lo]! || 1);
    return ts[lo]! + f * (ts[hi]! - ts[lo]!);
  };
}

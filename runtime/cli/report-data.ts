// What an HTML report carries for each run: its summary, its recipe's text, every event but the
// steps as they are, and the steps decimated for drawing (per metric, the lowest and the highest
// value of each bucket of steps, so spikes and a noisy loss's envelope survive; per-epoch points
// are all kept), in a compact columnar form the page turns back into step events. The page
// builds its series from those events with the results panel's own code (client/webview/series.ts).
// Also the run's metrics as a CSV, gzipped: every step when it fits the byte budget, else every
// k-th step (the page says so and names the run folders' metrics.jsonl as the full record).
// Pure but for node:zlib: no file system.

import { gzipSync } from 'node:zlib';
import type { RunEvent, RunSummary } from '../engine';

/** Everything the page needs, as one JSON value (schema `version`). */
export interface ReportPayload {
  readonly version: 1;
  readonly title: string;
  /** When the report was made (ISO) and by which Minima. */
  readonly generated: string;
  readonly minima: string;
  readonly runs: readonly ReportRun[];
}

export interface ReportRun {
  readonly summary: RunSummary;
  /** The run folder, as the command line named it (relative to where the report was made). */
  readonly folder: string;
  readonly recipeText?: string;
  /** Every event but `step`, in order. */
  readonly events: readonly RunEvent[];
  readonly steps: DrawnSteps;
  /** The run's metrics as a CSV download. */
  readonly csv: ReportCsv;
}

/**
 * Step metrics decimated for drawing: per metric, the kept steps (`s`, each the difference from
 * the previous kept step) and values (`v`; `null` for a non-finite value, which JSON cannot hold).
 * `time` maps steps to wall time (ms, same deltas) at `TIME_SAMPLES` points and at every metric's
 * first and last step; the page interpolates it for the wall-time axis.
 */
export interface DrawnSteps {
  /** Steps recorded, and the buckets of steps per metric (at most two points kept per bucket, plus both ends). */
  readonly recorded: number;
  readonly buckets: number;
  readonly metrics: Readonly<Record<string, { readonly s: readonly number[]; readonly v: readonly (number | null)[] }>>;
  readonly time: { readonly s: readonly number[]; readonly t: readonly number[] };
}

export interface ReportCsv {
  readonly name: string;
  /** The CSV, gzipped, base64. */
  readonly gzipBase64: string;
  /** Bytes of the CSV before gzip. */
  readonly bytes: number;
  readonly rows: number;
  /** Present when the steps were decimated to fit the budget: every `every`-th step of `totalRows` rows. */
  readonly decimated?: { readonly every: number; readonly totalRows: number; readonly budget: number };
}

/** Buckets of steps per metric when few runs are drawn… */
export const MAX_DRAW_BUCKETS = 1000;
/** …fewer as more runs and metrics share the page (about this many points in all), never fewer than this. */
export const DRAW_POINT_BUDGET = 80_000;
export const MIN_DRAW_BUCKETS = 250;
/**
 * The gzipped CSVs embedded in the page: at most this many bytes in all (before base64, which adds
 * a third), shared equally by the runs.
 */
export const CSV_GZIP_BUDGET = 640 * 1024;
const TIME_SAMPLES = 256;

/** The buckets per metric when the report draws `seriesCount` step series in all (runs × their step metrics). */
export function drawBuckets(seriesCount: number): number {
  const per = Math.floor(DRAW_POINT_BUDGET / Math.max(1, 2 * seriesCount));
  return Math.max(MIN_DRAW_BUCKETS, Math.min(MAX_DRAW_BUCKETS, per));
}

/** The names of the metrics that `events`' steps record (the drawing budget is shared by all series of a report). */
export function stepMetricNames(events: readonly RunEvent[]): string[] {
  const names = new Set<string>();
  for (const e of events) if (e.type === 'step') for (const k of Object.keys(e.metrics)) names.add(k);
  return [...names];
}

/** One run of a report: `buckets` per step metric for drawing, `csvBudget` gzipped bytes for its CSV. */
export function reportRun(summary: RunSummary, folder: string, events: readonly RunEvent[], buckets: number, csvBudget: number, recipeText?: string): ReportRun {
  return {
    summary,
    folder,
    ...(recipeText !== undefined ? { recipeText } : {}),
    events: events.filter((e) => e.type !== 'step'),
    steps: drawnSteps(events, buckets),
    csv: reportCsv(events, csvBudget),
  };
}

/** The steps of `events`, per metric at most about 2 × `buckets` points (see `minMaxIndices`). */
export function drawnSteps(events: readonly RunEvent[], buckets: number): DrawnSteps {
  const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
  const metrics: Record<string, { s: number[]; v: (number | null)[] }> = {};
  const timeKeep = new Set<number>();
  for (const name of stepMetricNames(steps)) {
    const at: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < steps.length; i++) {
      const v = steps[i]!.metrics[name];
      if (v === undefined) continue;
      at.push(i);
      ys.push(v);
    }
    const kept = minMaxIndices(ys, buckets);
    const s: number[] = [];
    const v: (number | null)[] = [];
    let prev = 0;
    for (const k of kept) {
      const e = steps[at[k]!]!;
      s.push(e.step - prev);
      prev = e.step;
      v.push(compact(ys[k]!));
    }
    if (kept.length > 0) {
      timeKeep.add(at[kept[0]!]!);
      timeKeep.add(at[kept[kept.length - 1]!]!);
    }
    metrics[name] = { s, v };
  }
  for (let k = 0; k < TIME_SAMPLES && steps.length > 0; k++) timeKeep.add(Math.round((k * (steps.length - 1)) / (TIME_SAMPLES - 1)));
  const ts: number[] = [];
  const tt: number[] = [];
  let ps = 0;
  let pt = 0;
  for (const i of [...timeKeep].sort((a, b) => a - b)) {
    const e = steps[i]!;
    ts.push(e.step - ps);
    tt.push(Math.round(e.time - pt));
    ps = e.step;
    pt = Math.round(e.time);
  }
  return { recorded: steps.length, buckets, metrics, time: { s: ts, t: tt } };
}

/**
 * The indices of `ys` to draw, ascending: all of them when there are at most 2 × `buckets`, else
 * per bucket of consecutive indices the lowest and the highest finite value (a non-finite one is
 * kept too: it is what the chart must show), plus the first and the last.
 */
export function minMaxIndices(ys: readonly number[], buckets: number): number[] {
  const n = ys.length;
  if (n <= 2 * buckets) return ys.map((_, i) => i);
  const out: number[] = [];
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    let odd = -1;
    for (let i = from; i < to; i++) {
      const y = ys[i]!;
      if (!Number.isFinite(y)) {
        if (odd < 0) odd = i;
        continue;
      }
      if (lo < 0 || y < ys[lo]!) lo = i;
      if (hi < 0 || y > ys[hi]!) hi = i;
    }
    const keep = [lo, hi, odd].filter((i) => i >= 0);
    if (b === 0) keep.push(from);
    if (b === buckets - 1) keep.push(to - 1);
    for (const i of [...new Set(keep)].sort((a, c) => a - c)) out.push(i);
  }
  return out;
}

/** Six significant digits (the chart's readout shows at most that); null for what JSON cannot hold. */
function compact(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : null;
}

/** The inverse of `DrawnSteps`' columns, for tests and the page: per metric, absolute steps and values. */
export function undelta(deltas: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const d of deltas) out.push((acc += d));
  return out;
}

// ---- the CSV ----

/**
 * `kind,epoch,step,time_s,<metric…>`: one row per step and per epoch event of the run, full
 * precision, empty cells where a row lacks a metric. When the gzipped CSV is over `budget` bytes,
 * the steps are decimated to every k-th (epoch rows and the last step are kept): k is estimated
 * from the first rows' compressed size, then doubled until the CSV fits.
 */
export function reportCsv(events: readonly RunEvent[], budget: number = CSV_GZIP_BUDGET): ReportCsv {
  const columns = new Set<string>();
  let total = 0;
  for (const e of events) {
    if (e.type !== 'step' && e.type !== 'epoch') continue;
    total++;
    for (const k of Object.keys(e.metrics)) columns.add(k);
  }
  const cols = [...columns];
  const name = 'metrics.csv';
  let every = 1;
  const SAMPLE = 20_000;
  if (total > SAMPLE) {
    const sample = csvText(events, cols, 1, SAMPLE);
    const perRow = gzipSync(Buffer.from(sample.text, 'utf8')).length / sample.rows;
    if (perRow * total > budget) every = Math.ceil((perRow * total * 1.1) / budget);
  }
  for (;;) {
    const { text, rows } = csvText(events, cols, every);
    const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 6 });
    if (gz.length <= budget || rows <= 2) {
      return { name, gzipBase64: gz.toString('base64'), bytes: Buffer.byteLength(text), rows, ...(every > 1 ? { decimated: { every, totalRows: total, budget } } : {}) };
    }
    every *= 2;
  }
}

function csvText(events: readonly RunEvent[], cols: readonly string[], every: number, maxRows = Number.POSITIVE_INFINITY): { text: string; rows: number } {
  const parts: string[] = [['kind', 'epoch', 'step', 'time_s', ...cols].map(csvCell).join(',')];
  const t0 = events.find((e) => e.type === 'started')?.time ?? events[0]?.time ?? 0;
  let lastStep = -1;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === 'step') { lastStep = i; break; }
  let rows = 0;
  let n = 0;
  for (let i = 0; i < events.length && rows < maxRows; i++) {
    const e = events[i]!;
    if (e.type !== 'step' && e.type !== 'epoch') continue;
    if (e.type === 'step' && n++ % every !== 0 && i !== lastStep) continue;
    const cells = [e.type, String(e.epoch), String(e.step), String((e.time - t0) / 1000)];
    for (const c of cols) {
      const v = e.metrics[c];
      cells.push(v === undefined ? '' : String(v));
    }
    parts.push(cells.join(','));
    rows++;
  }
  return { text: parts.join('\n') + '\n', rows };
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The run history table's cells, as text: recipe, key hyper-parameters, final metrics, backend,
// duration, status. Pure (no DOM): main.ts puts these into the table, the tests check them.

import { adapterDetail, backendLabel } from '../backend-label';
import type { RunSummary } from '../protocol';

export const RUN_COLUMNS = ['run', 'recipe', 'hyper-parameters', 'final', 'backend', 'duration', 'status', 'steps'] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

/** The cells of one run's row; `live` runs say `running` and their elapsed time at `now` (ms since the epoch). */
export function runRow(r: RunSummary, live: boolean, now: number): Record<RunColumn, string> {
  const started = Date.parse(r.started);
  const seconds = r.seconds ?? (r.ended ? (Date.parse(r.ended) - started) / 1000 : live ? (now - started) / 1000 : undefined);
  return {
    run: r.id,
    recipe: r.recipe,
    'hyper-parameters': Object.entries(r.hyper ?? {}).map(([k, v]) => `${k} ${v}`).join(' · '),
    final: finalText(r),
    backend: backendCell(r),
    duration: seconds === undefined || !Number.isFinite(seconds) ? '' : duration(seconds),
    status: live ? 'running' : statusText(r),
    steps: r.steps === undefined ? '' : String(r.steps),
  };
}

/**
 * The status, and for a run that failed or a folder that is damaged the start of the reason
 * (`failed: cannot read data.csv: …`); the cell's tooltip (`statusTooltip`) has all of it.
 */
export function statusText(r: RunSummary): string {
  if ((r.status !== 'failed' && r.status !== 'damaged') || !r.message) return r.status;
  const first = r.message.split('\n')[0] ?? '';
  return `${r.status}: ${first.length > STATUS_REASON_CHARS ? `${first.slice(0, STATUS_REASON_CHARS - 1)}…` : first}`;
}

/** The status cell's tooltip: the run's whole message (why it failed, stopped or is damaged). */
export function statusTooltip(r: RunSummary): string {
  return r.message ?? '';
}

const STATUS_REASON_CHARS = 60;

/**
 * `native ×2`, `wasm ×1`, or on webgpu the adapter: `webgpu · llvmpipe (software)` (its thread
 * count only sizes the CPU fallback of a few ops, so it is left to the tooltip).
 */
export function backendCell(r: RunSummary): string {
  if (!r.backend) return '';
  if (r.backend === 'webgpu') return backendLabel(r.backend, r.adapter);
  return `${r.backend}${r.threads ? ` ×${r.threads}` : ''}`;
}

/** The backend cell's tooltip: the adapter's whole description, threads and onnxruntime versions. */
export function backendTooltip(r: RunSummary): string {
  if (!r.backend) return '';
  const parts = [r.adapter ? `${r.backend} on ${adapterDetail(r.adapter)}` : r.backend];
  if (r.threads) parts.push(`${r.threads} thread(s)`);
  const versions = Object.entries(r.versions ?? {}).map(([k, v]) => `onnxruntime-${k} ${v}`);
  if (versions.length > 0) parts.push(versions.join(', '));
  return parts.join('; ');
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The final metrics worth a glance: validation accuracy (and after quantization), validation loss, training loss. */
export function finalText(r: RunSummary): string {
  const f = r.final ?? {};
  const keys = ['val_accuracy', 'val_accuracy_quantized', 'val_loss', 'loss'].filter((k) => f[k] !== undefined);
  return keys.map((k) => `${k} ${f[k]!.toPrecision(3)}`).join(', ');
}

/** The final metric the run table's column shows: the first of these that any run has. */
export function finalMetric(runs: readonly RunSummary[]): string | undefined {
  return ['val_accuracy', 'val_loss', 'accuracy', 'loss'].find((k) => runs.some((r) => r.final?.[k] !== undefined));
}

/** One run's value of that metric, accuracies as %, e.g. `94.0%` (the cell's tooltip has every final metric). */
export function finalBrief(r: RunSummary, metric: string | undefined): string {
  const v = metric ? r.final?.[metric] : undefined;
  if (v === undefined) return '';
  return /acc/.test(metric!) ? `${(100 * v).toFixed(1)}%` : v.toPrecision(3);
}

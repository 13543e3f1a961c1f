// The status bar item's text and tooltip for the editor's runs: each live run's progress
// (`long 40% loss 0.0183 · native`), `long stopping…` between Stop and the end, and for a few
// seconds after the end how it ended (`long cancelled`), so a Stop visibly took effect. A run
// is over here when its end event arrived, not when its worker process is gone.
// NOTE: the icons are static. A spinning one (`$(sync~spin)`) is a CSS animation redrawn every
// frame: measured, it kept the browser's compositor at 17% of a core for as long as a run went,
// which a loaded 2-core machine cannot spare; the percentage moving shows that the run is alive.
// Knows no `vscode` (features.ts puts the text into the item), so it is tested in plain Node.

import * as path from 'node:path';
import { adapterDetail, backendLabel } from '../backend-label';
import type { RunEvent } from '../protocol';

/** How long an ended run stays in the status bar (unless a newer run starts). */
export const ENDED_SHOWN_MS = 5000;

export interface StatusRun {
  readonly recipePath: string;
  readonly events: readonly RunEvent[];
  readonly state: 'running' | 'stopping' | 'ended';
  /** When the run was started and when its end arrived (ms, this process's clock). */
  readonly startedAt: number;
  readonly endedAt?: number;
}

/** The item's text and tooltip at `now`, or undefined when it has nothing to show (hidden). */
export function statusBarItem(runs: readonly StatusRun[], now: number): { readonly text: string; readonly tooltip: string } | undefined {
  const newestStart = Math.max(-Infinity, ...runs.map((r) => r.startedAt));
  const shown = runs.filter((r) => r.state !== 'ended' || (r.endedAt !== undefined && now - r.endedAt < ENDED_SHOWN_MS && newestStart <= r.endedAt));
  if (shown.length === 0) return undefined;
  return {
    text: shown.map(runText).join('  '),
    tooltip: ['Minima runs — click to open the results', ...shown.flatMap(runDetail)].join('\n'),
  };
}

/** `$(play) long 40% loss 0.0183 · native`; the backend once the run has started. */
function runText(r: StatusRun): string {
  const name = path.basename(r.recipePath, '.minima');
  if (r.state === 'ended') return endText(name, r.events);
  if (r.state === 'stopping') return `$(debug-stop) ${name} stopping…`;
  const info = startedInfo(r.events);
  const total = info ? info.epochs * info.stepsPerEpoch : undefined;
  const backend = info ? ` · ${backendLabel(info.backend, info.adapter)}` : '';
  const last = lastStep(r.events);
  if (last?.type !== 'step') return `$(play) ${name}${backend}`;
  const pct = total ? ` ${Math.floor((100 * last.step) / total)}%` : '';
  const loss = last.metrics['loss'];
  return `$(play) ${name}${pct}${loss !== undefined ? ` loss ${loss.toPrecision(3)}` : ''}${backend}`;
}

/** `$(circle-slash) long cancelled`, `$(check) long finished`, `$(error) long diverged` / `failed`. */
function endText(name: string, events: readonly RunEvent[]): string {
  const end = events[events.length - 1];
  if (end?.type === 'finished') return `$(check) ${name} finished`;
  if (end?.type === 'failed' && end.reason === 'cancelled') return `$(circle-slash) ${name} cancelled`;
  return `$(error) ${name} ${end?.type === 'failed' && end.reason === 'diverged' ? 'diverged' : 'failed'}`;
}

/** The tooltip line of a started run: its backend and, on webgpu, the adapter's whole description. */
function runDetail(r: StatusRun): string[] {
  const info = startedInfo(r.events);
  if (!info) return [];
  return [`${path.basename(r.recipePath)}: ${info.backend}${info.adapter ? ` on ${adapterDetail(info.adapter)}` : ''}, ${info.threads} thread(s)`];
}

function startedInfo(events: readonly RunEvent[]): Extract<RunEvent, { type: 'started' }>['run'] | undefined {
  const started = events.find((e) => e.type === 'started');
  return started?.type === 'started' ? started.run : undefined;
}

/** The newest step event, scanning from the end (runs hold tens of thousands of events). */
function lastStep(events: readonly RunEvent[]): RunEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.type === 'step') return events[i];
  return undefined;
}

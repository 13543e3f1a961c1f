// The custom messages of the client, typed in one place (style habit 11): between the extension
// host and the run worker (a forked Node process), and between the extension host and the results
// webview. One namespace per method; each doc comment says who sends it to whom. Everything that
// arrives from the other side is `unknown` until a guard below accepts it.
// Knows nothing about `vscode` or the DOM, so the worker, the webview bundle and the tests import it.

import type { AdapterInfo, RunEvent } from '../runtime/engine/events';
import type { RunSummary } from '../runtime/engine/store';

export type { AdapterInfo, RunEvent, RunSummary };

/** The backends a user can pick (`minima.runs.backend`); the engine takes each of them as is. */
export type BackendSetting = 'auto' | 'wasm' | 'native' | 'webgpu';

export interface WorkerRunOptions {
  readonly backend: BackendSetting;
  readonly threads?: number;
  /** Train this many epochs instead of the recipe's (the "quick run"). */
  readonly epochs?: number;
  /** `<workspace>/.minima/runs`; the worker writes no run folder when absent. */
  readonly runsDir?: string;
}

// ---- extension host ⇄ run worker ----

/** Extension host → worker: start the one run this worker exists for. */
export namespace WorkerStart {
  export const method = 'worker/start' as const;
  export interface Message { readonly method: typeof method; readonly recipePath: string; readonly text: string; readonly options: WorkerRunOptions }
}

/** Extension host → worker: abort the run (the worker answers with a `failed`/cancelled event, then exits). */
export namespace WorkerStop {
  export const method = 'worker/stop' as const;
  export interface Message { readonly method: typeof method }
}

/**
 * Worker → extension host: the run's next events, in order. Step events are sent in batches (a
 * native run makes thousands a second; see client/worker-outbox.ts), every other event at once.
 */
export namespace WorkerEvents {
  export const method = 'worker/events' as const;
  export interface Message { readonly method: typeof method; readonly events: readonly RunEvent[] }
}

/** Worker → extension host: the run is over (sent last, before the worker exits). */
export namespace WorkerDone {
  export const method = 'worker/done' as const;
  export interface Message {
    readonly method: typeof method;
    readonly status: 'finished' | 'failed' | 'cancelled';
    readonly message?: string;
    readonly runDir?: string;
    readonly modelPath?: string;
    /** The recipe line (0-based) the failure points at, when it has one (a recipe error). */
    readonly line?: number;
  }
}

export type ToWorker = WorkerStart.Message | WorkerStop.Message;
export type FromWorker = WorkerEvents.Message | WorkerDone.Message;

// ---- extension host ⇄ results webview ----

/** Webview → extension host: the script is loaded; send the state. */
export namespace PanelReady {
  export const method = 'panel/ready' as const;
  export interface Message { readonly method: typeof method }
}

/**
 * A sweep as the panel shows it, read from `sweep.json` (runtime/cli/sweep.ts writes it): its
 * spec, and per trial the swept values, status, the sweep metric's value and the trial's run id
 * (its run folder beside sweep.json, whose summary comes with the runs).
 */
export interface SweepSummary {
  readonly id: string;
  readonly recipe: string;
  readonly strategy: string;
  readonly metric: string;
  readonly goal: 'max' | 'min';
  readonly paths: readonly string[];
  readonly status: string;
  readonly trials: ReadonlyArray<{ readonly index: number; readonly runId: string; readonly values: Readonly<Record<string, string>>; readonly status: string; readonly value?: number }>;
  readonly best?: { readonly index: number; readonly runId: string; readonly value: number };
}

/** Extension host → webview: the run history (newest first; sweeps' trials included), which runs are live, and the sweeps. */
export namespace PanelRuns {
  export const method = 'panel/runs' as const;
  export interface Message { readonly method: typeof method; readonly runs: readonly RunSummary[]; readonly live: readonly string[]; readonly sweeps?: readonly SweepSummary[] }
}

/** Extension host → webview: events of one run, appended to what the panel already has (`reset` replaces them). */
export namespace PanelEvents {
  export const method = 'panel/events' as const;
  export interface Message { readonly method: typeof method; readonly runId: string; readonly events: readonly RunEvent[]; readonly reset: boolean }
}

/** Extension host → webview: show exactly these runs (Compare Runs); their events follow. */
export namespace PanelShow {
  export const method = 'panel/show' as const;
  export interface Message { readonly method: typeof method; readonly runIds: readonly string[] }
}

/** Extension host → webview: the view settings. */
export namespace PanelSettings {
  export const method = 'panel/settings' as const;
  export interface Message { readonly method: typeof method; readonly smoothing: number }
}

/** Webview → extension host: the user picked these runs (by id) to overlay; load their events. */
export namespace PanelSelect {
  export const method = 'panel/select' as const;
  export interface Message { readonly method: typeof method; readonly runIds: readonly string[] }
}

/** Webview → extension host: stop a live run. */
export namespace PanelStop {
  export const method = 'panel/stop' as const;
  export interface Message { readonly method: typeof method; readonly runId: string }
}

/** Webview → extension host: save a file the webview produced (chart PNG as a data URL, metrics CSV as text). */
export namespace PanelSave {
  export const method = 'panel/save' as const;
  export interface Message { readonly method: typeof method; readonly name: string; readonly kind: 'png' | 'csv'; readonly data: string }
}

/** Webview → extension host: open the recipe a run was made from (the original file, else the run folder's copy). */
export namespace PanelOpenRecipe {
  export const method = 'panel/openRecipe' as const;
  export interface Message { readonly method: typeof method; readonly runId: string }
}

/** Webview → extension host: the empty state's button: run the recipe of the active (or visible) editor. */
export namespace PanelRunActive {
  export const method = 'panel/runActive' as const;
  export interface Message { readonly method: typeof method }
}

export type ToPanel = PanelRuns.Message | PanelEvents.Message | PanelSettings.Message | PanelShow.Message;
export type FromPanel = PanelReady.Message | PanelRunActive.Message | PanelSelect.Message | PanelStop.Message | PanelSave.Message | PanelOpenRecipe.Message;

// ---- guards ----

export function isToWorker(x: unknown): x is ToWorker {
  if (!isObject(x)) return false;
  if (x['method'] === WorkerStop.method) return true;
  return x['method'] === WorkerStart.method && typeof x['recipePath'] === 'string' && typeof x['text'] === 'string' && isWorkerRunOptions(x['options']);
}

export function isFromWorker(x: unknown): x is FromWorker {
  if (!isObject(x)) return false;
  if (x['method'] === WorkerEvents.method) return Array.isArray(x['events']) && x['events'].every(isRunEvent);
  return x['method'] === WorkerDone.method && (x['status'] === 'finished' || x['status'] === 'failed' || x['status'] === 'cancelled') && optString(x['message']) && optString(x['runDir']) && optString(x['modelPath']) && (x['line'] === undefined || (Number.isInteger(x['line']) && (x['line'] as number) >= 0));
}

export function isToPanel(x: unknown): x is ToPanel {
  if (!isObject(x)) return false;
  switch (x['method']) {
    case PanelRuns.method:
      return Array.isArray(x['runs']) && x['runs'].every(isRunSummary) && isStringArray(x['live']) && (x['sweeps'] === undefined || (Array.isArray(x['sweeps']) && x['sweeps'].every(isSweepSummary)));
    case PanelEvents.method:
      return typeof x['runId'] === 'string' && typeof x['reset'] === 'boolean' && Array.isArray(x['events']) && x['events'].every(isRunEvent);
    case PanelSettings.method:
      return isFiniteNumber(x['smoothing']);
    case PanelShow.method:
      return isStringArray(x['runIds']);
    default:
      return false;
  }
}

export function isFromPanel(x: unknown): x is FromPanel {
  if (!isObject(x)) return false;
  switch (x['method']) {
    case PanelReady.method:
    case PanelRunActive.method:
      return true;
    case PanelSelect.method:
      return isStringArray(x['runIds']);
    case PanelStop.method:
    case PanelOpenRecipe.method:
      return typeof x['runId'] === 'string';
    case PanelSave.method:
      return typeof x['name'] === 'string' && (x['kind'] === 'png' || x['kind'] === 'csv') && typeof x['data'] === 'string';
    default:
      return false;
  }
}

/** Accepts the event shapes of runtime/engine/events.ts; metric values must be numbers. */
export function isRunEvent(x: unknown): x is RunEvent {
  if (!isObject(x) || !isFiniteNumber(x['time'])) return false;
  switch (x['type']) {
    case 'started':
      return isObject(x['run']) && typeof x['run']['id'] === 'string' && typeof x['run']['recipe'] === 'string' && isFiniteNumber(x['run']['epochs']) && isFiniteNumber(x['run']['stepsPerEpoch']);
    case 'step':
    case 'epoch':
      return isFiniteNumber(x['epoch']) && isFiniteNumber(x['step']) && isMetrics(x['metrics']);
    case 'phase':
      return isFiniteNumber(x['epoch']) && isFiniteNumber(x['step']) && typeof x['phase'] === 'string' && typeof x['detail'] === 'string';
    case 'warning':
      return typeof x['message'] === 'string';
    case 'finished':
      return isMetrics(x['metrics']) && isFiniteNumber(x['seconds']) && isFiniteNumber(x['steps']);
    case 'failed':
      return (x['reason'] === 'diverged' || x['reason'] === 'cancelled' || x['reason'] === 'error') && typeof x['message'] === 'string';
    default:
      return false;
  }
}

export function isRunSummary(x: unknown): x is RunSummary {
  return isObject(x) && typeof x['id'] === 'string' && typeof x['recipe'] === 'string' && typeof x['status'] === 'string' && typeof x['started'] === 'string';
}

export function isSweepSummary(x: unknown): x is SweepSummary {
  if (!isObject(x) || typeof x['id'] !== 'string' || typeof x['recipe'] !== 'string' || typeof x['strategy'] !== 'string' || typeof x['metric'] !== 'string' || (x['goal'] !== 'max' && x['goal'] !== 'min') || !isStringArray(x['paths']) || typeof x['status'] !== 'string' || !Array.isArray(x['trials'])) return false;
  const best = x['best'];
  if (best !== undefined && !(isObject(best) && Number.isInteger(best['index']) && typeof best['runId'] === 'string' && isFiniteNumber(best['value']))) return false;
  return x['trials'].every((t) => isObject(t) && Number.isInteger(t['index']) && typeof t['runId'] === 'string' && isObject(t['values']) && Object.values(t['values']).every((v) => typeof v === 'string') && typeof t['status'] === 'string' && (t['value'] === undefined || isFiniteNumber(t['value'])));
}

function isWorkerRunOptions(x: unknown): x is WorkerRunOptions {
  if (!isObject(x)) return false;
  const backend = x['backend'];
  return (backend === 'auto' || backend === 'wasm' || backend === 'native' || backend === 'webgpu') && optPositiveInt(x['threads']) && optPositiveInt(x['epochs']) && optString(x['runsDir']);
}

function isMetrics(x: unknown): boolean {
  return isObject(x) && Object.values(x).every((v) => typeof v === 'number');
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStringArray(x: unknown): x is readonly string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function optString(x: unknown): boolean {
  return x === undefined || typeof x === 'string';
}

function optPositiveInt(x: unknown): boolean {
  return x === undefined || (typeof x === 'number' && Number.isInteger(x) && x >= 1);
}

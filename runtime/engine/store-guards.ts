// What the run store's files must hold to be read back: a type guard per `metrics.jsonl` line and
// a validator for `summary.json` that names what is wrong. Both files come from disk, where an
// older version, another program, a full disk or a killed process may have left anything.

import type { RunEvent } from './events';

/** The statuses a `summary.json` may say; `interrupted` and `damaged` are only ever derived when reading. */
const WRITTEN_STATUSES = ['running', 'finished', 'failed', 'cancelled'] as const;

/** Accepts the event shapes of events.ts, with numbers where the panel draws them. */
export function isRunEvent(x: unknown): x is RunEvent {
  if (!isObject(x) || !isFiniteNumber(x['time'])) return false;
  switch (x['type']) {
    case 'started': {
      const run = x['run'];
      return isObject(run) && typeof run['id'] === 'string' && typeof run['recipe'] === 'string' && isFiniteNumber(run['epochs']) && isFiniteNumber(run['stepsPerEpoch']);
    }
    case 'step':
    case 'epoch':
      return isFiniteNumber(x['epoch']) && isFiniteNumber(x['step']) && isNumberRecord(x['metrics']);
    case 'phase':
      return isFiniteNumber(x['epoch']) && isFiniteNumber(x['step']) && typeof x['phase'] === 'string' && typeof x['detail'] === 'string';
    case 'warning':
      return typeof x['message'] === 'string';
    case 'finished':
      return isNumberRecord(x['metrics']) && isFiniteNumber(x['seconds']) && isFiniteNumber(x['steps']) && (x['compression'] === undefined || Array.isArray(x['compression']));
    case 'failed':
      return (x['reason'] === 'diverged' || x['reason'] === 'cancelled' || x['reason'] === 'error') && typeof x['message'] === 'string';
    default:
      return false;
  }
}

/**
 * Why a parsed `summary.json` cannot be shown as a run, or undefined when it can. Every field the
 * run table or the compression view reads is checked, so a bad value never reaches them.
 */
export function summaryProblem(x: unknown): string | undefined {
  if (!isObject(x)) return `summary.json holds ${x === null ? 'null' : Array.isArray(x) ? 'a list' : `a ${typeof x}`}, not a run's summary`;
  for (const key of ['id', 'recipe'] as const) if (typeof x[key] !== 'string') return `summary.json has no '${key}'`;
  const status = x['status'];
  if (typeof status !== 'string') return "summary.json has no 'status'";
  if (!(WRITTEN_STATUSES as readonly string[]).includes(status)) return `summary.json says status '${status}', which is not one of ${WRITTEN_STATUSES.join(', ')}`;
  if (!(typeof x['pid'] === 'number' && Number.isInteger(x['pid']) && x['pid'] > 0)) return "summary.json has no 'pid' (the process that ran it)";
  if (!isDate(x['started'])) return "summary.json has no 'started' time";
  if (x['ended'] !== undefined && !isDate(x['ended'])) return "summary.json's 'ended' is not a time";
  for (const key of ['seconds', 'steps', 'threads'] as const) if (x[key] !== undefined && !isFiniteNumber(x[key])) return `summary.json's '${key}' is not a number`;
  for (const key of ['backend', 'message', 'model', 'recipePath'] as const) if (x[key] !== undefined && typeof x[key] !== 'string') return `summary.json's '${key}' is not text`;
  if (x['final'] !== undefined && !isNumberRecord(x['final'])) return "summary.json's 'final' metrics are not all numbers";
  for (const key of ['hyper', 'versions'] as const) if (x[key] !== undefined && !isStringRecord(x[key])) return `summary.json's '${key}' is not a table of text`;
  if (x['adapter'] !== undefined && !isAdapter(x['adapter'])) return "summary.json's 'adapter' does not name a GPU adapter";
  if (x['compression'] !== undefined && !(Array.isArray(x['compression']) && x['compression'].every(isLayerCompression))) return "summary.json's 'compression' is not a list of layers";
  return undefined;
}

function isAdapter(x: unknown): boolean {
  return isObject(x) && ['vendor', 'architecture', 'device', 'description'].every((k) => typeof x[k] === 'string') && typeof x['software'] === 'boolean';
}

function isLayerCompression(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x['layer'] === 'string' &&
    typeof x['param'] === 'string' &&
    Array.isArray(x['shape']) &&
    x['shape'].every(isFiniteNumber) &&
    ['elements', 'nonzero', 'sparsity', 'bits', 'bytesBefore', 'bytesAfter'].every((k) => isFiniteNumber(x[k])) &&
    ['nmConformance', 'rank'].every((k) => x[k] === undefined || isFiniteNumber(x[k])) &&
    (x['pattern'] === undefined || typeof x['pattern'] === 'string')
  );
}

function isDate(x: unknown): x is string {
  return typeof x === 'string' && Number.isFinite(Date.parse(x));
}

function isNumberRecord(x: unknown): boolean {
  return isObject(x) && Object.values(x).every((v) => typeof v === 'number');
}

function isStringRecord(x: unknown): boolean {
  return isObject(x) && Object.values(x).every((v) => typeof v === 'string');
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

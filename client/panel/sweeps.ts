// The sweeps of a workspace, for the results panel: every `.minima/sweeps/<sweep>/sweep.json`
// (written by `minima sweep` next to its recipe, runtime/cli/sweep.ts) under the workspace root,
// read as SweepSummary values, with the run folders of their trials (beside sweep.json, one per
// trial id). A file that is missing, half-written or of another shape is skipped, never thrown.
// Node's fs only: no `vscode` (tested in plain Node).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSummary } from '../../runtime/engine/store';
import { isSweepSummary, type RunSummary, type SweepSummary } from '../protocol';

export interface SweepFolder {
  readonly dir: string;
  readonly sweep: SweepSummary;
  /** Each trial's run: its folder and summary, the summary's id being the trial's (run folders of one sweep share names). */
  readonly trials: ReadonlyArray<{ readonly dir: string; readonly summary: RunSummary }>;
}

/** Folders never searched for recipes' `.minima/sweeps` (dependencies, VCS, build output). */
const SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.cache']);
/** Recipes sit at most this deep below the workspace root for their sweeps to be listed. */
const MAX_DEPTH = 4;

export function findSweeps(root: string): SweepFolder[] {
  const out: SweepFolder[] = [];
  const visit = (dir: string, depth: number) => {
    const sweeps = path.join(dir, '.minima', 'sweeps');
    for (const name of entries(sweeps)) {
      const folder = path.join(sweeps, name);
      const sweep = readSweep(folder);
      if (sweep) out.push({ dir: folder, sweep, trials: trialRuns(folder) });
    }
    if (depth >= MAX_DEPTH) return;
    for (const name of entries(dir)) if (!name.startsWith('.') && !SKIP.has(name)) visit(path.join(dir, name), depth + 1);
  };
  visit(root, 0);
  return out;
}

/**
 * The run folder of each trial: sweep.json's `runDir` (absolute, or relative to the sweep folder),
 * else the one run folder inside `<sweep>/<trial id>/`. Their summaries get the trial's id: every
 * trial of a sweep starts at about the same second from the same recipe, so their run folders
 * often share a name.
 */
export function trialRuns(dir: string): Array<{ dir: string; summary: RunSummary }> {
  let raw: { trials?: unknown };
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as { trials?: unknown };
  } catch {
    return [];
  }
  const trials = Array.isArray(raw.trials) ? (raw.trials as Array<Record<string, unknown>>) : [];
  return trials.flatMap((t) => {
    if (typeof t !== 'object' || t === null || typeof t['id'] !== 'string') return [];
    const id = t['id'];
    const candidates = typeof t['runDir'] === 'string' ? [path.resolve(dir, t['runDir'])] : [path.join(dir, id), ...entries(path.join(dir, id)).map((n) => path.join(dir, id, n))];
    for (const runDir of candidates) {
      const summary = readSummary(runDir);
      if (summary) return [{ dir: runDir, summary: { ...summary, id } }];
    }
    return [];
  });
}

/** One sweep folder's `sweep.json` as the panel shows it, or undefined. */
export function readSweep(dir: string): SweepSummary | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
  } catch {
    return undefined; // no sweep here, or caught half-written
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const spec = (r['spec'] ?? {}) as Record<string, unknown>;
  const metric = typeof spec['metric'] === 'string' ? spec['metric'] : '';
  const trials = Array.isArray(r['trials']) ? r['trials'] : [];
  const best = r['best'] as Record<string, unknown> | undefined;
  const summary = {
    id: String(r['id'] ?? path.basename(dir)),
    recipe: String(r['recipe'] ?? ''),
    strategy: String(spec['strategy'] ?? ''),
    metric,
    goal: spec['goal'] === 'min' ? 'min' : 'max',
    paths: Array.isArray(spec['paths']) ? spec['paths'].map(String) : [],
    status: String(r['status'] ?? ''),
    trials: trials.flatMap((t: unknown) => {
      if (typeof t !== 'object' || t === null) return [];
      const tr = t as Record<string, unknown>;
      const metrics = (tr['metrics'] ?? {}) as Record<string, unknown>;
      const value = metrics[metric];
      return [{
        index: Number(tr['index']),
        runId: String(tr['id'] ?? ''),
        values: Object.fromEntries(Object.entries((tr['values'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
        status: String(tr['status'] ?? ''),
        ...(typeof value === 'number' && Number.isFinite(value) ? { value } : {}),
      }];
    }),
    ...(best && Number.isInteger(best['index']) && typeof best['value'] === 'number' ? { best: { index: best['index'] as number, runId: String(best['id'] ?? ''), value: best['value'] } } : {}),
  };
  return isSweepSummary(summary) ? summary : undefined;
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

// The sweeps of a workspace, for the results panel: every `.minima/sweeps/<sweep>/sweep.json`
// (written by `minima sweep` next to its recipe, runtime/cli/sweep.ts) under the workspace root,
// read as SweepSummary values, with the run folders of their trials (beside sweep.json, one per
// trial id). A file that is missing, half-written or of another shape is skipped, never thrown.
// Node's fs only: no `vscode` (tested in plain Node).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSweepSummary, type SweepSummary } from '../protocol';

export interface SweepFolder {
  readonly dir: string;
  readonly sweep: SweepSummary;
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
      const sweep = readSweep(path.join(sweeps, name));
      if (sweep) out.push({ dir: path.join(sweeps, name), sweep });
    }
    if (depth >= MAX_DEPTH) return;
    for (const name of entries(dir)) if (!name.startsWith('.') && !SKIP.has(name)) visit(path.join(dir, name), depth + 1);
  };
  visit(root, 0);
  return out;
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

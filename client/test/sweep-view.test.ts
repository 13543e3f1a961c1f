// Sweeps in the results panel: sweep.json files found under the workspace and read defensively
// (client/panel/sweeps.ts), and the sweeps view's rows, trial labels and compare runs
// (client/webview/sweep-view.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSweeps, readSweep, trialRuns } from '../panel/sweeps';
import type { RunSummary, SweepSummary } from '../protocol';
import { isToPanel } from '../protocol';
import { bestRun } from '../webview/compare-data';
import { bestTrial, shortPath, sweepCompareRuns, sweepOf, sweepRows, trialLabels } from '../webview/sweep-view';

const record = {
  id: 'lr-sweep',
  recipe: '../../lr-sweep.minima',
  spec: { strategy: 'grid', metric: 'val_accuracy', goal: 'max', paths: ['train.optimizer.lr'], trials: 3, seed: 1 },
  status: 'finished',
  trials: [
    { index: 0, id: 'a1', values: { 'train.optimizer.lr': '0.01' }, status: 'finished', metrics: { val_accuracy: 0.9, loss: 0.3 } },
    { index: 1, id: 'b2', values: { 'train.optimizer.lr': '0.03' }, status: 'finished', metrics: { val_accuracy: 0.95, loss: 0.2 } },
    { index: 2, id: 'c3', values: { 'train.optimizer.lr': '0.1' }, status: 'failed', message: 'diverged' },
  ],
  best: { index: 1, id: 'b2', value: 0.95 },
};

test('sweeps: found next to recipes under the workspace, trials read with the metric value; broken files skipped', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweeps-'));
  try {
    const dir = path.join(root, 'recipes', '.minima', 'sweeps', 'lr-sweep');
    fs.mkdirSync(dir, { recursive: true });
    // Trial a1's run folder is named by sweep.json's runDir; b2's is found inside its trial folder.
    // Both have the same name: their summaries take the trials' ids.
    const summary = { id: 'x', recipe: 'lr-sweep', status: 'finished', pid: 1, started: '2026-12-04T10:00:00Z' };
    for (const t of ['a1', 'b2']) {
      fs.mkdirSync(path.join(dir, t, '20261204-100000-lr-sweep'), { recursive: true });
      fs.writeFileSync(path.join(dir, t, '20261204-100000-lr-sweep', 'summary.json'), JSON.stringify(summary));
    }
    const withRunDir = { ...record, trials: record.trials.map((t) => (t.id === 'a1' ? { ...t, runDir: path.join(dir, 'a1', '20261204-100000-lr-sweep') } : t)) };
    fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(withRunDir));
    const broken = path.join(root, '.minima', 'sweeps', 'half');
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'sweep.json'), '{"id": "half", "tri');
    fs.mkdirSync(path.join(root, 'node_modules', 'x', '.minima', 'sweeps', 'no'), { recursive: true });
    const found = findSweeps(root);
    assert.deepEqual(found.map((f) => path.relative(root, f.dir)), [path.join('recipes', '.minima', 'sweeps', 'lr-sweep')]);
    const s = found[0]!.sweep;
    assert.deepEqual([s.id, s.strategy, s.metric, s.goal, s.paths], ['lr-sweep', 'grid', 'val_accuracy', 'max', ['train.optimizer.lr']]);
    assert.deepEqual(s.trials.map((t) => [t.index, t.runId, t.status, t.value]), [[0, 'a1', 'finished', 0.9], [1, 'b2', 'finished', 0.95], [2, 'c3', 'failed', undefined]]);
    assert.deepEqual(s.best, { index: 1, runId: 'b2', value: 0.95 });
    assert.equal(readSweep(broken), undefined);
    assert.deepEqual(trialRuns(dir).map((t) => [t.summary.id, path.relative(dir, t.dir)]), [['a1', path.join('a1', '20261204-100000-lr-sweep')], ['b2', path.join('b2', '20261204-100000-lr-sweep')]]);
    assert.deepEqual(found[0]!.trials.map((t) => t.summary.id), ['a1', 'b2']);
    // What the panel sends passes the webview's guard.
    assert.ok(isToPanel({ method: 'panel/runs', runs: [], live: [], sweeps: [s] }));
    assert.ok(!isToPanel({ method: 'panel/runs', runs: [], live: [], sweeps: [{ ...s, goal: 'up' }] }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const sweep: SweepSummary = {
  id: 'lr-sweep', recipe: 'lr-sweep.minima', strategy: 'grid', metric: 'val_accuracy', goal: 'max', paths: ['train.optimizer.lr'], status: 'finished',
  trials: [
    { index: 0, runId: 'a1', values: { 'train.optimizer.lr': '0.01' }, status: 'finished', value: 0.9 },
    { index: 1, runId: 'b2', values: { 'train.optimizer.lr': '0.03' }, status: 'finished', value: 0.95 },
    { index: 2, runId: 'c3', values: { 'train.optimizer.lr': '0.1' }, status: 'failed' },
  ],
};
const run = (id: string, final?: Record<string, number>): RunSummary => ({ id, recipe: 'lr-sweep', status: 'finished', pid: 1, started: '2026-12-04T10:00:00Z', ...(final ? { final } : {}) });

test('sweeps view: one row per sweep with its objective, progress and best trial; Show ticks the trials with run folders', () => {
  const [row] = sweepRows([sweep], [run('a1'), run('b2')]);
  assert.deepEqual(row, { id: 'lr-sweep', recipe: 'lr-sweep.minima', strategy: 'grid', objective: 'val_accuracy (max)', progress: '2 / 3 finished, 1 failed', best: '#2 0.9500 (optimizer.lr 0.03)', status: 'finished', runIds: ['a1', 'b2'] });
  assert.equal(bestTrial({ ...sweep, goal: 'min' }), 'a1', 'without sweep.json\'s best, by the goal');
  assert.deepEqual([...trialLabels([sweep])], [['a1', 'lr-sweep #1'], ['b2', 'lr-sweep #2'], ['c3', 'lr-sweep #3']]);
  assert.equal(shortPath('train.optimizer.lr'), 'optimizer.lr');
  assert.equal(shortPath('seed'), 'seed');
});

test('sweeps view: the trials of one sweep compare on the swept values, the best by the sweep\'s goal', () => {
  assert.equal(sweepOf([sweep], ['a1', 'b2'])?.id, 'lr-sweep');
  assert.equal(sweepOf([sweep], ['a1', 'other']), undefined);
  const runs = sweepCompareRuns(sweep, ['a1', 'b2'], new Map([['a1', run('a1', { loss: 0.3 })], ['b2', run('b2', { loss: 0.2 })]]));
  assert.deepEqual(runs, [
    { id: 'a1', hyper: { 'optimizer.lr': '0.01' }, final: { loss: 0.3, val_accuracy: 0.9 } },
    { id: 'b2', hyper: { 'optimizer.lr': '0.03' }, final: { loss: 0.2, val_accuracy: 0.95 } },
  ]);
  assert.equal(bestRun(runs, 'loss', 'max'), 'a1', 'the goal decides, not the name');
  assert.equal(bestRun(runs, 'val_accuracy'), 'b2');
});

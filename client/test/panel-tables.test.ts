// The results panel's tables as text: the run history row and the compression view.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createRun, listRuns } from '../../runtime/engine/store';
import type { RunSummary } from '../protocol';
import { compressionRows } from '../webview/compression-view';
import { duration, runRow, statusTooltip } from '../webview/run-table';

const base: RunSummary = { id: '20261128-101500-digits', recipe: 'digits', status: 'finished', pid: 1, started: '2026-11-28T10:15:00.000Z' };

test('a finished run: hyper-parameters, final metrics, backend, duration, status', () => {
  const r: RunSummary = { ...base, ended: '2026-11-28T10:15:03.000Z', seconds: 2.5, steps: 690, backend: 'native', threads: 1, hyper: { optimizer: 'sam(rho: 0.05)', batch: '64' }, final: { val_accuracy: 0.99444, loss: 0.3012, val_accuracy_quantized: 0.9911 } };
  assert.deepEqual(runRow(r, false, 0), {
    run: r.id,
    recipe: 'digits',
    'hyper-parameters': 'optimizer sam(rho: 0.05) · batch 64',
    final: 'val_accuracy 0.994, val_accuracy_quantized 0.991, loss 0.301',
    backend: 'native ×1',
    duration: '2.5 s',
    status: 'finished',
    steps: '690',
  });
});

test('a live run shows running and its elapsed time; a stopped one the time until it ended', () => {
  assert.equal(runRow(base, true, Date.parse(base.started) + 75_000).duration, '1 min 15 s');
  assert.equal(runRow(base, true, 0).status, 'running');
  const stopped: RunSummary = { ...base, status: 'cancelled', ended: '2026-11-28T10:15:42.000Z' };
  assert.deepEqual([runRow(stopped, false, 0).duration, runRow(stopped, false, 0).status], ['42 s', 'cancelled']);
  assert.equal(duration(3 * 3600 + 120), '3 h 2 min');
});

test('a failed run and a damaged folder show the start of the reason, the tooltip all of it', () => {
  const failed: RunSummary = { ...base, status: 'failed', message: 'cannot read data.csv: no such file (ENOENT); check the path in the data block' };
  assert.equal(runRow(failed, false, 0).status, 'failed: cannot read data.csv: no such file (ENOENT); check the path…');
  assert.equal(statusTooltip(failed), failed.message);
  const damaged: RunSummary = { ...base, status: 'damaged', pid: 0, message: 'summary.json is cut short or not JSON' };
  assert.equal(runRow(damaged, false, 0).status, 'damaged: summary.json is cut short or not JSON');
  assert.equal(statusTooltip(damaged), 'summary.json is cut short or not JSON');
  // A stopped run says so plainly; its message is in the tooltip.
  assert.equal(runRow({ ...base, status: 'cancelled', message: 'stopped' }, false, 0).status, 'cancelled');
});

test('a run folder left by a run that failed before its first step reads back as failed with its message', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-panel-'));
  const run = createRun(root, 'csv', 'data csv("x.csv") {}\n');
  assert.ok('write' in run);
  run.write({ type: 'failed', time: Date.parse(base.started), reason: 'error', message: 'x.csv: cannot read: no such file' });
  run.close();
  const [summary] = listRuns(root);
  assert.ok(summary);
  assert.equal(runRow(summary, false, 0).status, 'failed: x.csv: cannot read: no such file');
  assert.equal(statusTooltip(summary), 'x.csv: cannot read: no such file');
});

test('compression rows per layer and a total per run; runs without compression add none', () => {
  const r: RunSummary = {
    ...base,
    compression: [
      { layer: 'dense_1', param: 'dense_1.weight', shape: [128, 64], elements: 8192, nonzero: 4096, sparsity: 0.5, pattern: '2:4', nmConformance: 1, bits: 8, bytesBefore: 32768, bytesAfter: 5632 },
      { layer: 'dense_2', param: 'dense_2.weight', shape: [10, 128], elements: 1280, nonzero: 1280, sparsity: 0, bits: 8, rank: 4, bytesBefore: 5120, bytesAfter: 1368 },
    ],
  };
  const rows = compressionRows([r, { ...base, id: 'plain' }]);
  assert.deepEqual(rows.map((x) => [x.layer, x.shape, x.sparsity, x['N:M'], x.bits, x.rank, x.bytes]), [
    ['dense_1', '128×64', '50.0%', '2:4 100.0% of groups', '8', '', '32.0 KiB → 5.5 KiB'],
    ['dense_2', '10×128', '0.0%', '', '8', '4', '5.0 KiB → 1.3 KiB'],
    ['all', '9472 weights', '43.2%', '', '', '', '37.0 KiB → 6.8 KiB (5.4× smaller)'],
  ]);
});

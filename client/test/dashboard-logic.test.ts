// The results dashboard's pure logic: grid layout, run colours, downsampling, hyper-parameter
// diffing, tick text, smoothing policy, phase bands, sorting, run labels, the compression notes
// and the compare view's axes. Each is what the DOM module (client/webview/ui) draws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent, RunSummary } from '../protocol';
import { formatSeconds, formatTicks, formatValue, logTicks, niceTicks } from '../webview/axis-format';
import { bestRun, compareAxes, flattenHyper, metricAxis, metricChoices, position } from '../webview/compare-data';
import { compressionNotes, compressionRows, sizeRatio } from '../webview/compression-view';
import { alignDownsampled } from '../webview/downsample';
import { chartHeight, fitColumns, gridLayout, spanWidth } from '../webview/grid-layout';
import { differingKeys, hyperColumns, sharedValues } from '../webview/hyper-diff';
import { axisTitle, cardOf, cardOrder, isFraction, isSmoothed, lineRole, matchesFilter, sectionOf } from '../webview/metric-sections';
import { phaseBands } from '../webview/phase-bands';
import { assignColors, colorOf, RUN_PALETTE, withAlpha } from '../webview/run-colors';
import { runLabels } from '../webview/run-labels';
import { nextSort, sortRows } from '../webview/run-sort';
import { seriesOf, stepToAxis, xValues } from '../webview/series';
import { exactly, known, toggled, withNewRun } from '../webview/selection';

test('grid: as many cards as fit at 340 px, sharing the width; never wider than the panel', () => {
  for (const [width, columns] of [[300, 1], [565, 1], [700, 2], [1242, 3], [1600, 4]] as const) {
    const g = gridLayout(width);
    assert.equal(g.columns, columns, `${width} px`);
    assert.ok(g.columns * g.cardWidth + (g.columns - 1) * 12 <= width, `${width} px: the row fits`);
    assert.ok(width < 340 || g.cardWidth >= 340, `${width} px: cards are at least 340 px`);
  }
  const g = gridLayout(1242);
  assert.equal(spanWidth(g, 3), 3 * g.cardWidth + 24, 'an enlarged card spans the row');
  assert.ok(chartHeight(200, false) >= 180 && chartHeight(2000, false) <= 260 && chartHeight(1200, true) > chartHeight(400, false));
});

test('table columns: minimums kept and the rest shared by the flexible ones; shrunk in proportion when too narrow; never wider than the table', () => {
  const cols = [{ min: 50, flex: false }, { min: 128, flex: true }, { min: 76, flex: false }, { min: 72, flex: true }];
  assert.deepEqual(fitColumns(cols, 500), [50, 215, 76, 159]);
  const narrow = fitColumns(cols, 300);
  assert.ok(narrow.reduce((a, b) => a + b, 0) <= 300);
  assert.deepEqual(narrow, [46, 117, 69, 66]);
  assert.deepEqual(fitColumns([], 100), []);
});

test('colours: one per run, kept when other runs come and go; the least used first after 20', () => {
  const a = assignColors(undefined, ['r1', 'r2']);
  const b = assignColors(a, ['r3', 'r1']);
  assert.equal(colorOf(b, 'r1'), RUN_PALETTE[0]);
  assert.equal(colorOf(b, 'r2'), RUN_PALETTE[1]);
  assert.equal(colorOf(b, 'r3'), RUN_PALETTE[2]);
  const many = assignColors(undefined, Array.from({ length: 25 }, (_, i) => `r${i}`));
  assert.equal(new Set(Array.from({ length: 20 }, (_, i) => colorOf(many, `r${i}`))).size, 20, 'twenty distinct colours');
  assert.equal(colorOf(many, 'r20'), RUN_PALETTE[0]);
  assert.equal(colorOf(many, 'unknown'), '#888888');
  assert.equal(withAlpha('#4e79a7', 0.25), 'rgba(78, 121, 167, 0.25)');
});

test('downsampling: short lines keep every point on the union of their x values', () => {
  const got = alignDownsampled([{ x: [1, 2, 3, 4], y: [10, 20, 30, 40] }, { x: [2, 4], y: [0.5, 0.25] }], 100);
  assert.deepEqual(got.x, [1, 2, 3, 4]);
  assert.deepEqual(got.ys, [[10, 20, 30, 40], [null, 0.5, null, 0.25]]);
  assert.deepEqual(alignDownsampled([{ x: [], y: [] }]), { x: [], ys: [[]] });
  // Fractional x (epochs) and runs of different lengths.
  const e = alignDownsampled([{ x: [0.5, 1], y: [1, 2] }, { x: [0.5, 1, 1.5, 2], y: [3, 4, 5, 6] }], 100);
  assert.deepEqual(e.x, [0.5, 1, 1.5, 2]);
  assert.deepEqual(e.ys[0], [1, 2, null, null]);
});

test('downsampling: 200,000 steps × 20 runs draw two points per bucket, the min and max in their order, spikes kept', () => {
  const n = 200_000;
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const lines = Array.from({ length: 20 }, (_, r) => ({ x, y: x.map((s) => (s === 123_457 && r === 3 ? 50 : 1 / s + r)) }));
  const t0 = performance.now();
  const got = alignDownsampled(lines, 1000);
  const ms = performance.now() - t0;
  assert.equal(got.x.length, 2000);
  assert.equal(got.x.at(-1), n, 'the grid ends at the last step');
  assert.ok(got.x.every((v, i) => i === 0 || v > got.x[i - 1]!), 'ascending');
  assert.equal(Math.max(...got.ys[3]!.map((v) => v ?? -Infinity)), 50, 'the spike survives');
  // The first bucket of a decreasing line: its max (first) then its min.
  assert.equal(got.ys[0]![0], 1);
  assert.ok(got.ys[0]![1]! < got.ys[0]![0]!);
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms for 4 M points`);
});

test('hyper-parameters: only the keys that differ among the ticked runs (a missing key differs)', () => {
  const a = { optimizer: 'adam(lr: 0.001)', batch: '32', epochs: '20' };
  const b = { optimizer: 'adam(lr: 0.01)', batch: '32', epochs: '20', prune: 'magnitude 2:4' };
  assert.deepEqual(differingKeys([a, b]), ['optimizer', 'prune']);
  assert.deepEqual(differingKeys([a]), []);
  assert.deepEqual(hyperColumns([a, b], [a, b]), { keys: ['optimizer', 'prune'], diff: true });
  assert.deepEqual(hyperColumns([a, b], [a]), { keys: ['optimizer', 'batch', 'epochs', 'prune'], diff: false });
  assert.deepEqual(sharedValues([a, b]), [['batch', '32'], ['epochs', '20']]);
});

test('ticks: distinct decimals, scientific for small, SI for large, fractions as %', () => {
  assert.deepEqual(formatTicks([0.001, 0.0008, 0.0006, 0.0004, 0.0002, 0]), ['1e-3', '8e-4', '6e-4', '4e-4', '2e-4', '0']);
  assert.deepEqual(formatTicks([0, 10_000, 20_000, 30_000]), ['0', '10k', '20k', '30k']);
  assert.deepEqual(formatTicks([0, 50_000, 100_000, 150_000, 200_000]), ['0', '50k', '100k', '150k', '200k']);
  assert.deepEqual(formatTicks([1_000_000, 1_500_000]), ['1M', '1.5M']);
  assert.deepEqual(formatTicks([0.5, 1, 1.5]), ['0.5', '1.0', '1.5']);
  assert.deepEqual(formatTicks([10, 12.5, 15, 17.5, 20]), ['10.0', '12.5', '15.0', '17.5', '20.0']);
  assert.deepEqual(formatTicks([0, 2, 4, 6]), ['0', '2', '4', '6']);
  assert.deepEqual(formatTicks([0, 0.25, 0.5, 0.75, 1], true), ['0%', '25%', '50%', '75%', '100%']);
  assert.deepEqual(formatTicks([0.9, 0.92, 0.94], true), ['90%', '92%', '94%']);
  assert.equal(formatValue(0.000123), '1.23e-4');
  assert.equal(formatValue(0.93456, true), '93.5%');
  assert.equal(formatValue(2.34567), '2.346');
  assert.equal(formatValue(null), '—');
  assert.deepEqual([5, 90, 5400].map(formatSeconds), ['5 s', '1.5 min', '1.5 h']);
  assert.deepEqual(niceTicks(10, 20), [10, 12.5, 15, 17.5, 20]);
  assert.deepEqual(niceTicks(0.795, 0.94), [0.8, 0.85, 0.9]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.deepEqual(logTicks([0.1, 0.2, 0.3, 0.5, 0.7, 1], true), ['10%', '20%', '', '50%', '', '100%']);
  assert.deepEqual(logTicks([1e-4, 3e-4, 1e-3], false), ['1e-4', '', '0.001']);
});

test('sections: loss/accuracy with their validation curves on one card each; per-layer metrics share a card', () => {
  assert.deepEqual(['loss', 'val_loss', 'epoch/loss', 'val_accuracy', 'sparsity/dense_1'].map(cardOf), ['loss', 'loss', 'loss', 'accuracy', 'sparsity']);
  assert.deepEqual(['loss', 'val_loss', 'epoch/loss', 'sparsity/dense_1'].map(lineRole), ['', 'val', 'per epoch', 'dense_1']);
  assert.deepEqual(['loss', 'lr', 'grad_norm', 'sharpness', 'hessian_top_eig', 'nm_conformance', 'rank', 'bits', 'foo'].map(sectionOf), ['training', 'optimization', 'optimization', 'flatness', 'flatness', 'compression', 'compression', 'compression', 'other']);
  assert.deepEqual(cardOrder(['sparsity', 'lr', 'accuracy', 'foo', 'loss', 'sharpness', 'grad_norm']), ['loss', 'accuracy', 'lr', 'grad_norm', 'sharpness', 'sparsity', 'foo']);
  assert.ok(isFraction('accuracy') && isFraction('sparsity') && isFraction('nm_conformance') && !isFraction('loss'));
  assert.equal(axisTitle('accuracy'), 'accuracy (%)');
  assert.equal(axisTitle('grad_norm'), 'grad norm (L2)');
  assert.ok(matchesFilter('grad_norm', 'grad') && matchesFilter('grad_norm', 'optim') && !matchesFilter('loss', 'grad') && matchesFilter('loss', ''));
});

test('smoothing policy: per-step metrics only; never per-epoch points or lr', () => {
  assert.ok(isSmoothed('loss', 'step'));
  assert.ok(isSmoothed('grad_norm', 'step'));
  assert.ok(!isSmoothed('lr', 'step'));
  assert.ok(!isSmoothed('val_loss', 'epoch'));
  assert.ok(!isSmoothed('epoch/loss', 'epoch'));
});

test('phase bands: first to last event, labelled in epochs; QAT until the end; a single event is a line', () => {
  const bands = phaseBands([
    { step: 100, epoch: 10, phase: 'pruning', detail: 'started' },
    { step: 150, epoch: 15, phase: 'pruning', detail: 'mask updated' },
    { step: 200, epoch: 20, phase: 'pruning', detail: 'finished' },
    { step: 50, epoch: 5, phase: 'quantization', detail: 'qat from epoch 5' },
  ], 10, 300);
  assert.deepEqual(bands.map((b) => [b.phase, b.from, b.to, b.label]), [['quantization', 50, 300, 'quantization 5 ep–end'], ['pruning', 100, 200, 'pruning 10–20 ep']]);
  assert.deepEqual(bands[1]!.details, ['started', 'mask updated', 'finished']);
  assert.deepEqual(phaseBands([{ step: 300, epoch: 29, phase: 'quantization', detail: 'at export' }], 10, 300).map((b) => [b.from, b.to, b.label]), [[300, 300, 'quantization 30 ep']]);
  assert.deepEqual(phaseBands([{ step: 7, epoch: 0, phase: 'lowrank', detail: 'x' }], undefined, 9).map((b) => b.label), ['lowrank step 7']);
});

test('sorting: numbers as numbers, text naturally, empty cells last; a header click flips', () => {
  const rows = ['9 s', '', '12 s', '0.5 s'];
  assert.deepEqual(sortRows(rows, (r) => r, 'asc'), ['0.5 s', '9 s', '12 s', '']);
  assert.deepEqual(sortRows(['lr 0.01', 'lr 0.001', 'lr 0.1'], (r) => r, 'desc'), ['lr 0.1', 'lr 0.01', 'lr 0.001']);
  assert.deepEqual(sortRows([3, undefined, 1], (r) => r, 'desc'), [3, 1, undefined]);
  assert.deepEqual(nextSort(undefined, 'final'), { column: 'final', direction: 'desc' });
  assert.deepEqual(nextSort({ column: 'final', direction: 'desc' }, 'final'), { column: 'final', direction: 'asc' });
  assert.deepEqual(nextSort(undefined, 'run'), { column: 'run', direction: 'asc' });
});

test('run labels: recipe and time; seconds only when two share a minute; the date when runs span days', () => {
  const labels = runLabels([
    { id: '20261204-022446-digits-sam', recipe: 'digits-sam' },
    { id: '20261204-022412-digits-sam', recipe: 'digits-sam' },
    { id: '20261204-031000-long', recipe: 'long' },
    { id: '20261204-031000-long-2', recipe: 'long' },
  ]);
  assert.deepEqual([...labels.values()], ['digits-sam 02:24:46', 'digits-sam 02:24:12', 'long 03:10:00', 'long 03:10:00 #2']);
  const days = runLabels([{ id: '20261203-101010-a', recipe: 'a' }, { id: '20261204-101010-a', recipe: 'a' }]);
  assert.deepEqual([...days.values()], ['a 12-03 10:10', 'a 12-04 10:10']);
  assert.equal(runLabels([{ id: 'odd', recipe: 'x' }]).get('odd'), 'odd');
  assert.equal(runLabels([{ id: 'd3b4c5f39022', recipe: 'grid' }, { id: '20261204-101010-a', recipe: 'a' }]).get('20261204-101010-a'), 'a 10:10', 'a trial id is not another day');
});

const summary = (over: Partial<RunSummary>): RunSummary => ({ id: 'r', recipe: 'digits-sam', status: 'finished', pid: 1, started: '2026-12-04T02:24:46Z', ...over });

test('compression: a run that stopped before pruning started says so, with the epochs; sizes as applied', () => {
  const layer = { layer: 'dense_1', param: 'dense_1.weight', shape: [128, 64], elements: 8192, nonzero: 8192, sparsity: 0, bits: 8, bytesBefore: 32768, bytesAfter: 8704 };
  const r = summary({ hyper: { prune: 'magnitude 2:4' }, compression: [layer], steps: 45 });
  const facts = { phases: new Set(['quantization']), warnings: ['pruning starts at step 450, after the last step (45): the model is not pruned'], stepsPerEpoch: 45, lastStep: 45 };
  assert.deepEqual(compressionNotes(r, facts), ['not pruned: the run stopped at epoch 1, pruning starts at epoch 10; sizes count the weights dense']);
  assert.deepEqual(compressionNotes(r, undefined), ['not pruned: the run stopped at step 45; sizes count the weights dense'], 'from the summary alone');
  assert.deepEqual(compressionNotes({ ...r, compression: [{ ...layer, nonzero: 4096, sparsity: 0.5 }] }, { ...facts, phases: new Set(['pruning']) }), []);
  assert.deepEqual(compressionNotes(summary({ compression: [layer] }), facts), [], 'no prune block, nothing to say');
  assert.equal(sizeRatio(100, 100), 'same size');
  assert.equal(sizeRatio(32768, 8704), '3.8× smaller');
  assert.equal(compressionRows([r], new Map([['r', 'digits-sam 02:24']]))[0]!.run, 'digits-sam 02:24');
});

test('compare: nested technique arguments become axes; text values are categories; lr spans decades on a log axis', () => {
  assert.deepEqual([...flattenHyper({ optimizer: 'sam(rho: 0.05, base: adamp(lr: 0.001))', batch: '32', prune: 'magnitude 2:4' })], [
    ['optimizer', { kind: 'text', value: 'sam' }],
    ['optimizer.rho', { kind: 'number', value: 0.05 }],
    ['optimizer.base', { kind: 'text', value: 'adamp' }],
    ['optimizer.base.lr', { kind: 'number', value: 0.001 }],
    ['batch', { kind: 'number', value: 32 }],
    ['prune', { kind: 'text', value: 'magnitude 2:4' }],
  ]);
  const runs = [
    { id: 'a', hyper: { optimizer: 'adam(lr: 0.001)', batch: '32' }, final: { val_accuracy: 0.9, loss: 0.3 } },
    { id: 'b', hyper: { optimizer: 'adam(lr: 0.1)', batch: '32' }, final: { val_accuracy: 0.95, loss: 0.2 } },
    { id: 'c', hyper: { optimizer: 'sgd(lr: 0.01)', batch: '32' }, final: { val_accuracy: 0.8, loss: 0.1 } },
  ];
  const axes = compareAxes(runs);
  assert.deepEqual(axes.map((a) => [a.key, a.kind, a.log]), [['optimizer', 'text', false], ['optimizer.lr', 'number', true]]);
  assert.equal(position(axes[1]!, { kind: 'number', value: 0.01 }), 0.5, 'log scale: 0.01 is halfway between 0.001 and 0.1');
  assert.equal(position(axes[0]!, { kind: 'text', value: 'sgd' }), 1);
  assert.deepEqual(metricChoices(runs), ['val_accuracy', 'loss']);
  assert.equal(bestRun(runs, 'val_accuracy'), 'b');
  assert.equal(bestRun(runs, 'loss'), 'c');
  const m = metricAxis(runs, 'val_accuracy');
  assert.deepEqual([m.min, m.max], [0.8, 0.95]);
});

test('x axes: steps, epochs (steps / steps per epoch) and wall time since the start', () => {
  const run = { id: 'r', recipe: 'x', backend: 'wasm', threads: 1, versions: {}, epochs: 2, stepsPerEpoch: 4, trainExamples: 8, valExamples: 2, seed: 1 };
  const events: RunEvent[] = [
    { type: 'started', time: 1000, run },
    { type: 'step', time: 1500, epoch: 0, step: 2, metrics: { loss: 1 } },
    { type: 'step', time: 3000, epoch: 0, step: 4, metrics: { loss: 0.5 } },
    { type: 'step', time: 4000, epoch: 1, step: 6, metrics: { loss: 0.4 } },
  ];
  const s = seriesOf(events);
  const loss = s.series.get('loss')!;
  assert.deepEqual(xValues(s, loss, 'step'), [2, 4, 6]);
  assert.deepEqual(xValues(s, loss, 'epoch'), [0.5, 1, 1.5]);
  assert.deepEqual(xValues(s, loss, 'time'), [0.5, 2, 3]);
  assert.equal(stepToAxis(s, 4, 'time'), 2);
  assert.equal(stepToAxis(s, 6, 'epoch'), 1.5);
  assert.equal(s.lastTime, 4000);
});

test('selection: a new run is shown with the runs the user ticked, replacing the previous new run', () => {
  let s = withNewRun({ selected: [], pinned: [] }, 'a');
  assert.deepEqual(s, { selected: ['a'], pinned: [] });
  s = withNewRun(s, 'b');
  assert.deepEqual(s.selected, ['b'], 'a was shown only because it was new');
  s = toggled(s, 'a', true);
  assert.deepEqual(s, { selected: ['b', 'a'], pinned: ['b', 'a'] });
  s = withNewRun(s, 'c');
  assert.deepEqual(s.selected, ['b', 'a', 'c']);
  s = toggled(s, 'b', false);
  assert.deepEqual(s.selected, ['a', 'c']);
  assert.deepEqual(exactly(['x', 'y']), { selected: ['x', 'y'], pinned: ['x', 'y'] });
  assert.deepEqual(known({ selected: ['x', 'gone'], pinned: ['gone'] }, new Set(['x'])), { selected: ['x'], pinned: [] });
});

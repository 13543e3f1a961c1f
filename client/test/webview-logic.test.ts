import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../protocol';
import { seriesOf, chartOrder, baseName } from '../webview/series';
import { smooth } from '../webview/smoothing';
import { toCsv } from '../webview/csv';

const run = { id: 'r1', recipe: 'moons', backend: 'wasm', threads: 1, versions: {}, epochs: 2, stepsPerEpoch: 2, trainExamples: 8, valExamples: 2, seed: 1 };
const events: RunEvent[] = [
  { type: 'started', time: 1, run },
  { type: 'step', time: 2, epoch: 0, step: 1, metrics: { loss: 1, lr: 0.1 } },
  { type: 'step', time: 3, epoch: 0, step: 2, metrics: { loss: 0.5, lr: 0.1 } },
  { type: 'epoch', time: 4, epoch: 0, step: 2, metrics: { loss: 0.75, val_loss: 0.8, val_accuracy: 0.5 } },
  { type: 'phase', time: 5, epoch: 1, step: 3, phase: 'pruning', detail: '50%' },
  { type: 'step', time: 6, epoch: 1, step: 3, metrics: { loss: 0.25, lr: 0.05 } },
  { type: 'warning', time: 7, message: 'sharpness is not computed' },
  { type: 'failed', time: 8, reason: 'cancelled', message: 'stopped' },
];

test('series: one per metric and source, epoch names that clash with step names are prefixed', () => {
  const s = seriesOf(events);
  assert.deepEqual([...s.series.keys()], ['loss', 'lr', 'epoch/loss', 'val_loss', 'val_accuracy']);
  assert.deepEqual(s.series.get('loss'), { name: 'loss', source: 'step', x: [1, 2, 3], y: [1, 0.5, 0.25], t: [2, 3, 6] });
  assert.deepEqual(s.series.get('val_accuracy'), { name: 'val_accuracy', source: 'epoch', x: [2], y: [0.5], t: [4] });
  assert.deepEqual(s.phases, [{ step: 3, epoch: 1, phase: 'pruning', detail: '50%' }]);
  assert.deepEqual(s.warnings, ['sharpness is not computed']);
  assert.equal(s.totalSteps, 4);
  assert.equal(s.lastStep, 3);
  assert.equal(s.status, 'cancelled');
});

test('series: chart order puts loss, then accuracy, then lr, then the rest; val_ shares the chart', () => {
  assert.deepEqual(chartOrder(['sparsity', 'lr', 'val_accuracy', 'val_loss', 'loss', 'accuracy']), ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr', 'sparsity']);
  assert.equal(baseName('epoch/val_loss'), 'loss');
});

const smoothingCases: ReadonlyArray<[string, number[], number, number[]]> = [
  ['weight 0 is the identity', [3, 1, 2], 0, [3, 1, 2]],
  ['constant series stay constant', [2, 2, 2], 0.9, [2, 2, 2]],
  // Debiased EMA, w = 0.5: 1; (0.25+0.5)/0.75 = 1; then ((0.375+1.5)/0.875)…
  ['debiased EMA', [1, 1, 4], 0.5, [1, 1, (0.5 * 0.75 + 0.5 * 4) / (1 - 0.125)]],
  ['non-finite values pass through', [1, Number.NaN, 3], 0.5, [1, Number.NaN, (0.25 + 1.5) / 0.75]],
];
for (const [name, input, w, expected] of smoothingCases) {
  test(`smoothing: ${name}`, () => {
    const got = smooth(input, w);
    assert.equal(got.length, expected.length);
    got.forEach((v, i) => (Number.isNaN(expected[i]) ? assert.ok(Number.isNaN(v)) : assert.ok(Math.abs(v - expected[i]!) < 1e-12, `${i}: ${v} vs ${expected[i]}`)));
  });
}

test('csv: one row per run and step, one column per series, quoting where needed', () => {
  const csv = toCsv([
    { id: 'r1', data: seriesOf(events.slice(0, 4)) },
    { id: 'odd,"id"', data: seriesOf([{ type: 'step', time: 1, epoch: 0, step: 1, metrics: { loss: 2 } }]) },
  ]);
  assert.equal(
    csv,
    ['run,step,epoch/loss,loss,lr,val_accuracy,val_loss', 'r1,1,,1,0.1,,', 'r1,2,0.75,0.5,0.1,0.5,0.8', '"odd,""id""",1,,2,,,', ''].join('\n'),
  );
});

test('200,000 steps: series, smoothing and the CSV (which keeps every step) handle them', () => {
  const long: RunEvent[] = [{ type: 'started', time: 0, run: { ...run, epochs: 1, stepsPerEpoch: 200_000 } }];
  for (let s = 1; s <= 200_000; s++) long.push({ type: 'step', time: s, epoch: 0, step: s, metrics: { loss: 1 / s } });
  const s = seriesOf(long);
  const loss = s.series.get('loss');
  assert.equal(loss?.x.length, 200_000);
  assert.equal(smooth(loss?.y ?? [], 0.9).length, 200_000);
  const csv = toCsv([{ id: 'long', data: s }]);
  assert.equal(csv.split('\n').length, 200_000 + 2, 'a header, a row per step, and the final line break');
});

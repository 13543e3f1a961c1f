// The HTML report of a long run: 200,000 synthetic step events (no training) render, the curves
// are downsampled to the pixels they are drawn on, and spikes survive the downsampling.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../engine';
import { downsample, renderReport } from '../report';

const STEPS = 200_000;
const SPIKE_AT = 123_457;

function longRun(): RunEvent[] {
  const events: RunEvent[] = [];
  for (let s = 1; s <= STEPS; s++) {
    const loss = s === SPIKE_AT ? 9 : 1 / Math.sqrt(s);
    events.push({ type: 'step', time: s, epoch: 0, step: s, metrics: { loss, lr: 0.1, grad_norm: 1 + (s % 7) } });
  }
  events.push({ type: 'epoch', time: STEPS, epoch: 0, step: STEPS, metrics: { loss: 0.01, val_loss: 0.02, accuracy: 0.9, val_accuracy: 0.88 } });
  events.push({ type: 'finished', time: STEPS + 1, metrics: { loss: 0.01, val_accuracy: 0.88 }, seconds: 321, steps: STEPS });
  return events;
}

test(`a report of ${STEPS} steps renders, with every curve downsampled`, () => {
  const html = renderReport('moons', longRun());
  assert.match(html, /finished in 321\.0 s, 200000 steps/);
  assert.match(html, /step 200000</);
  const polylines = [...html.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => (m[1] ?? '').split(' ').length);
  assert.ok(polylines.length >= 4, `${polylines.length} curves`);
  for (const n of polylines) assert.ok(n <= 2 * 412 + 2, `a curve of ${n} points`);
  // The loss chart's axis reaches the spike: its top tick is above 9.
  const ticks = [...html.matchAll(/text-anchor="end" font-size="11">([-0-9.e+]+)</g)].map((m) => Number(m[1]));
  assert.ok(ticks.some((t) => t > 9), `ticks ${ticks.join(', ')}`);
  assert.ok(html.length < 200_000, `${html.length} bytes`);
});

test('downsample keeps each bucket’s lowest and highest point, and both ends', () => {
  const points = Array.from({ length: 10_000 }, (_, i): [number, number] => [i, i === 5_000 ? 100 : i === 7_000 ? -100 : 0]);
  const out = downsample(points, 50);
  assert.ok(out.length <= 102, `${out.length} points`);
  assert.deepEqual(out[0], [0, 0]);
  assert.deepEqual(out[out.length - 1], [9_999, 0]);
  assert.ok(out.some(([x, y]) => x === 5_000 && y === 100));
  assert.ok(out.some(([x, y]) => x === 7_000 && y === -100));
  for (let i = 1; i < out.length; i++) assert.ok(out[i]![0] > out[i - 1]![0], 'in order, without repeats');
  // Short curves are drawn as they are.
  assert.deepEqual(downsample(points.slice(0, 80), 50), points.slice(0, 80));
});

// How often live charts redraw, and the smoothing kept from one redraw to the next.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRedrawDelay } from '../webview/chart-data';
import { smooth, smoothAppended, type Smoothed } from '../webview/smoothing';

test('chart data: live redraws wait at least 250 ms, five times as long as the last one took, at most 2 s', () => {
  assert.deepEqual([0, 10, 80, 1000].map(nextRedrawDelay), [250, 250, 400, 2000]);
});

test('smoothing: smoothAppended gives smooth() of the whole series, however it grew', () => {
  const seeded = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rnd = seeded(7);
  const series: number[][] = [
    [3, 3, 3, 3, 1, 2],
    [2, 2, 2],
    [Number.NaN, 1, 2],
    [1, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 5],
    Array.from({ length: 300 }, () => rnd()),
  ];
  for (const values of series) {
    for (const weight of [0, 0.6, 0.99]) {
      let s: Smoothed | undefined;
      for (let n = 0; n < values.length; n += 1 + Math.floor(rnd() * 7)) s = smoothAppended(s, values.slice(0, n), weight);
      s = smoothAppended(s, values, weight);
      assert.deepEqual(s.values, smooth(values, weight), `${values.slice(0, 6)}… at weight ${weight}`);
    }
  }
});

test('smoothing: a new weight or a shorter series starts over', () => {
  const a = smoothAppended(undefined, [1, 2, 3], 0.5);
  assert.deepEqual(smoothAppended(a, [1, 2, 3], 0.9).values, smooth([1, 2, 3], 0.9));
  assert.deepEqual(smoothAppended(a, [5], 0.5).values, [5]);
});

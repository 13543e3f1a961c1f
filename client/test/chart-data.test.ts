// What a chart draws: one grid of at most maxPoints steps; each line's last point in each bucket.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignLines, nextRedrawDelay } from '../webview/chart-data';
import { smooth, smoothAppended, type Smoothed } from '../webview/smoothing';

const line = (x: number[], y: number[] = x.map((v) => v * 10)) => ({ x, y });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// [name, lines, maxPoints, expected grid, expected columns]
const cases: ReadonlyArray<[string, ReturnType<typeof line>[], number, number[], (number | null)[][]]> = [
  ['short runs keep every step', [line([1, 2, 3])], 10, [1, 2, 3], [[10, 20, 30]]],
  ['a sparse line is null between its points', [line([1, 2, 3, 4]), line([2, 4], [0.5, 0.25])], 10, [1, 2, 3, 4], [[10, 20, 30, 40], [null, 0.5, null, 0.25]]],
  ['runs of different lengths share the grid', [line([1, 2]), line([1, 2, 3, 4])], 10, [1, 2, 3, 4], [[10, 20, null, null], [10, 20, 30, 40]]],
  ['buckets of 3 steps: the last point of each', [line(range(1, 9))], 3, [3, 6, 9], [[30, 60, 90]]],
  ['the last bucket ends at the last step', [line(range(1, 10))], 3, [4, 8, 10], [[40, 80, 100]]],
  ['a sparse line lands in the bucket of its step', [line(range(1, 9)), line([5, 9], [1, 2])], 3, [3, 6, 9], [[30, 60, 90], [null, 1, 2]]],
  ['nothing to draw', [line([]), line([])], 10, [], [[], []]],
];
for (const [name, lines, maxPoints, grid, columns] of cases) {
  test(`chart data: ${name}`, () => {
    const got = alignLines(lines, maxPoints);
    assert.deepEqual(got.x, grid);
    assert.deepEqual(got.ys, columns);
  });
}

test('chart data: a long run is drawn with at most maxPoints points, ending at its last step', () => {
  const x = range(1, 400_000);
  const got = alignLines([line(x, x.map((v) => 1 / v)), line([100, 200, 399_960], [3, 2, 1])], 1500);
  assert.ok(got.x.length <= 1500 && got.x.length > 1400, `${got.x.length} points`);
  assert.equal(got.x.at(-1), 400_000);
  assert.equal(got.ys[0]!.at(-1), 1 / 400_000);
  assert.deepEqual(got.ys[1]!.filter((v) => v !== null), [2, 1], 'one point per bucket: the later of two in the same bucket');
});

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

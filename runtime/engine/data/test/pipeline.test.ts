import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { batchCount, batches, type Dataset, fitStandardizer, isDataError, loadDataset, oneHot, splitDataset, trainCount } from '..';
import type { TechniqueUse } from '../../../catalog';
import { dataSource, sameFloats } from '../../../testing/data-sources';

const assetsDir = path.resolve('runtime/engine/data/assets');

function load(source: TechniqueUse, seed = 1): Dataset {
  const ds = loadDataset(source, { baseDir: '.', seed, assetsDir });
  assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
  return ds;
}

/** A dataset whose single feature is the example's index, so every example can be traced. */
function indexed(count: number, task: 'classification' | 'regression' = 'classification'): Dataset {
  const x = Float32Array.from({ length: count }, (_, i) => i);
  const y = task === 'classification' ? Float32Array.from({ length: count }, (_, i) => i % 3) : Float32Array.from({ length: 2 * count }, (_, i) => i);
  return task === 'classification'
    ? { name: 'indexed', task, inputShape: [1], classes: 3, x, y, count }
    : { name: 'indexed', task, inputShape: [1], targets: 2, x, y, count };
}

test('trainCount is ⌊split·n⌋ despite floating-point error', () => {
  const cases: readonly [number, number, number][] = [[1797, 0.8, 1437], [100, 0.29, 29], [10, 0.7, 7], [10, 1, 10], [3, 0.1, 0], [0, 0.5, 0]];
  for (const [n, split, expected] of cases) assert.equal(trainCount(n, split), expected, `${n}·${split}`);
});

test('split: sizes, disjoint halves covering every example, seeded order', () => {
  const ds = indexed(1000);
  const { train, val } = splitDataset(ds, { split: 0.8, seed: 5, shuffle: true });
  assert.equal(train.count, 800);
  assert.equal(val.count, 200);
  assert.equal(train.x.length, 800);
  const seen = [...train.x, ...val.x].sort((a, b) => a - b);
  assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i));
  // Labels travel with their examples.
  for (const part of [train, val]) for (let i = 0; i < part.count; i++) assert.equal(part.y[i], (part.x[i] ?? 0) % 3);
  // Shuffled: not the file order; reproducible; another seed gives another split.
  assert.ok(!train.x.every((v, i) => v === i));
  assert.ok(sameFloats(splitDataset(ds, { split: 0.8, seed: 5, shuffle: true }).train.x, train.x));
  assert.ok(!sameFloats(splitDataset(ds, { split: 0.8, seed: 6, shuffle: true }).train.x, train.x));
});

test('split without shuffle keeps the file order', () => {
  const { train, val } = splitDataset(indexed(10), { split: 0.7, seed: 5, shuffle: false });
  assert.deepEqual([...train.x], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...val.x], [7, 8, 9]);
});

test('split keeps regression targets together', () => {
  const { train } = splitDataset(indexed(50, 'regression'), { split: 0.5, seed: 1, shuffle: true });
  for (let i = 0; i < train.count; i++) {
    const from = train.x[i] ?? 0;
    assert.deepEqual([...train.y.subarray(2 * i, 2 * i + 2)], [2 * from, 2 * from + 1]);
  }
});

test('zscore: mean 0 and standard deviation 1 per feature on the training split', () => {
  const { train, val } = splitDataset(load(dataSource('blobs', { samples: 500, features: 4 })), { split: 0.8, seed: 1, shuffle: true });
  const s = fitStandardizer(train, 'zscore');
  const t = s.apply(train);
  for (let f = 0; f < 4; f++) {
    const column = Array.from({ length: t.count }, (_, i) => t.x[i * 4 + f] ?? 0);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-5, `feature ${f}: mean ${mean} sd ${sd}`);
  }
  // The validation split is scaled with the training statistics, not its own.
  const v = s.apply(val);
  assert.equal(v.x[0], Math.fround(((val.x[0] ?? 0) - (s.offset[0] ?? 0)) / (s.scale[0] ?? 1)));
  // The input is not modified, and the labels are untouched.
  assert.notEqual(t.x, train.x);
  assert.equal(t.y, train.y);
});

test('zscore and minmax leave constant features finite (digits has always-0 pixels)', () => {
  const digits = load(dataSource('digits'));
  for (const method of ['zscore', 'minmax'] as const) {
    const s = fitStandardizer(digits, method);
    assert.equal(s.scale[0], 1); // pixel (0, 0) is 0 in every image
    assert.ok(s.apply(digits).x.every(Number.isFinite));
  }
});

test('minmax: training features span exactly [0, 1]', () => {
  const train = load(dataSource('regression', { samples: 200, features: 3 }));
  const t = fitStandardizer(train, 'minmax').apply(train);
  for (let f = 0; f < 3; f++) {
    const column = Array.from({ length: t.count }, (_, i) => t.x[i * 3 + f] ?? 0);
    assert.ok(Math.abs(Math.min(...column)) < 1e-6 && Math.abs(Math.max(...column) - 1) < 1e-6);
  }
});

test('none returns the dataset unchanged', () => {
  const ds = indexed(5);
  assert.equal(fitStandardizer(ds, 'none').apply(ds), ds);
});

test('batches cover every example once per epoch, with full batches and a partial last one', () => {
  const ds = indexed(103);
  for (const shuffle of [true, false]) {
    const all = [...batches(ds, { batch: 10, seed: 1, epoch: 0, shuffle })];
    assert.equal(all.length, batchCount(103, 10));
    assert.deepEqual(all.map((b) => b.size), [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    for (const b of all) {
      assert.equal(b.x.length, b.size);
      assert.equal(b.y.length, b.size);
      assert.deepEqual([...(b.labels ?? [])], [...b.x].map((i) => i % 3));
    }
    const seen = all.flatMap((b) => [...b.x]);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
    assert.equal(seen.every((v, i) => v === i), !shuffle);
  }
});

test('batch order: fixed by (seed, epoch), different across epochs and seeds', () => {
  const ds = indexed(64);
  const order = (seed: number, epoch: number) => [...batches(ds, { batch: 16, seed, epoch, shuffle: true })].flatMap((b) => [...b.x]).join(',');
  assert.equal(order(1, 3), order(1, 3));
  assert.notEqual(order(1, 3), order(1, 4));
  assert.notEqual(order(1, 3), order(2, 3));
});

test('regression batches carry size × targets values and no labels', () => {
  const [first] = batches(indexed(7, 'regression'), { batch: 4, seed: 1, epoch: 0, shuffle: false });
  assert.ok(first !== undefined);
  assert.equal(first.labels, undefined);
  assert.deepEqual([...first.y], [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('batch larger than the dataset gives one batch of everything', () => {
  const all = [...batches(indexed(5), { batch: 64, seed: 1, epoch: 0, shuffle: true })];
  assert.deepEqual(all.map((b) => b.size), [5]);
});

test('oneHot sets one 1 per row at the label', () => {
  assert.deepEqual([...oneHot(Int32Array.from([2, 0, 1]), 3)], [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  assert.deepEqual([...oneHot([5, -1], 2)], [0, 0, 0, 0]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isDataError, loadDataset } from '..';
import { dataSource, histogram } from '../../../testing/data-sources';

// Tests run from the repository root, where the bundled asset lives.
const assetsDir = path.resolve('runtime/engine/data/assets');

test('digits: 1,797 images of 1×8×8 with 10 classes in the bundled proportions', () => {
  const ds = loadDataset(dataSource('digits'), { baseDir: '.', seed: 1, assetsDir });
  assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
  assert.equal(ds.count, 1797); // ":Number of Instances: 1797" in assets/digits.rst
  assert.deepEqual(ds.inputShape, [1, 8, 8]);
  assert.equal(ds.classes, 10);
  assert.equal(ds.x.length, 1797 * 64);
  // Counted independently with `zcat digits.csv.gz | awk -F, '{print $NF}' | sort | uniq -c`.
  assert.deepEqual(histogram(ds.y, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  assert.ok(ds.x.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...ds.x), 1);
});

test('digits with scale: false keeps the integer pixels 0–16, and scale: true is exactly /16', () => {
  const raw = loadDataset(dataSource('digits', { scale: false }), { baseDir: '.', seed: 1, assetsDir });
  const scaled = loadDataset(dataSource('digits', { scale: true }), { baseDir: '.', seed: 1, assetsDir });
  assert.ok(!isDataError(raw) && !isDataError(scaled));
  assert.ok(raw.x.every((v) => Number.isInteger(v) && v >= 0 && v <= 16));
  assert.ok(raw.x.every((v, i) => scaled.x[i] === v / 16));
  // The first row of the file: a 0.
  assert.deepEqual([...raw.x.subarray(0, 16)], [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]);
  assert.equal(raw.y[0], 0);
});

test('digits without its asset is a data error', () => {
  const r = loadDataset(dataSource('digits'), { baseDir: '.', seed: 1, assetsDir: path.resolve('test-fixtures/data') });
  assert.ok(isDataError(r));
  assert.match(r.message, /bundled digits data is missing/);
});

test('digits without assetsDir: found from a build inside the repository, a data error elsewhere', () => {
  // `npm test` builds into out/ inside the repository, where the asset is found by walking up;
  // a build into a folder outside it (tsc --outDir /tmp/…) has no asset to find.
  const inside = !path.relative(process.cwd(), __dirname).startsWith('..');
  const r = loadDataset(dataSource('digits'), { baseDir: '.', seed: 1 });
  if (inside) {
    assert.ok(!isDataError(r), isDataError(r) ? r.message : '');
    assert.equal(r.count, 1797);
  } else {
    assert.ok(isDataError(r));
    assert.match(r.message, /bundled digits data was not found/);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isDataError, loadDataset } from '..';
import { dataSource } from '../../../testing/data-sources';

// The fixtures are written by test-fixtures/data/make-idx.js: 5 images of 3×4, pixel (r, c) of
// image i = (40·i + 10·r + c) mod 256, labels 3 1 4 1 5; 5 colour images of 3×2×2, pixel (k, r, c)
// of image i = 50·i + 10·k + 2·r + c.
const baseDir = path.resolve('test-fixtures/data');
const load = (images: string, labels: string) => loadDataset(dataSource('idx', { images, labels }), { baseDir, seed: 1 });

for (const [images, labels] of [
  ['tiny-images-idx3-ubyte', 'tiny-labels-idx1-ubyte'],
  ['tiny-images-idx3-ubyte.gz', 'tiny-labels-idx1-ubyte.gz'],
  ['tiny-images-idx3-ubyte.gz', 'tiny-labels-idx1-ubyte'],
] as const) {
  test(`idx ${images} + ${labels}`, () => {
    const ds = load(images, labels);
    assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
    assert.equal(ds.count, 5);
    assert.deepEqual(ds.inputShape, [1, 3, 4]);
    assert.equal(ds.task, 'classification');
    assert.equal(ds.classes, 6);
    assert.deepEqual([...ds.y], [3, 1, 4, 1, 5]);
    const expected: number[] = [];
    for (let i = 0; i < 5; i++) for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expected.push(Math.fround(((40 * i + 10 * r + c) % 256) / 255));
    assert.deepEqual([...ds.x], expected);
  });
}

for (const images of ['rgb-images-idx4-ubyte', 'rgb-images-idx4-ubyte.gz']) {
  test(`idx ${images}: 4-D files give channels × height × width images`, () => {
    const ds = load(images, 'tiny-labels-idx1-ubyte');
    assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
    assert.equal(ds.count, 5);
    assert.deepEqual(ds.inputShape, [3, 2, 2]);
    assert.equal(ds.classes, 6);
    const expected: number[] = [];
    for (let i = 0; i < 5; i++) for (let k = 0; k < 3; k++) for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) expected.push(Math.fround((50 * i + 10 * k + 2 * r + c) / 255));
    assert.deepEqual([...ds.x], expected);
  });
}

const ERRORS: readonly [string, string, RegExp][] = [
  ['nothing-here', 'tiny-labels-idx1-ubyte', /file not found: .*nothing-here/],
  ['tiny-images-idx3-ubyte', 'four-labels-idx1-ubyte', /four-labels-idx1-ubyte has 4 labels but tiny-images-idx3-ubyte has 5 images/],
  ['not-idx.bin', 'tiny-labels-idx1-ubyte', /not-idx\.bin: not an IDX file: expected magic 0x00000803 \(images\) or 0x00000804 \(images with channels\), found 0x504b0304/],
  ['tiny-labels-idx1-ubyte', 'tiny-images-idx3-ubyte', /tiny-labels-idx1-ubyte: expected magic 0x00000803 \(images\) or 0x00000804 \(images with channels\), found 0x00000801 \(1 dimensions\)/],
  ['flat-images-idx2-ubyte', 'tiny-labels-idx1-ubyte', /flat-images-idx2-ubyte: expected magic 0x00000803 \(images\) or 0x00000804 \(images with channels\), found 0x00000802 \(2 dimensions\)/],
  ['empty-channels-idx4-ubyte', 'tiny-labels-idx1-ubyte', /empty-channels-idx4-ubyte: the images have an empty dimension \(5 × 0 × 2 × 2\)/],
  ['rgb-images-idx4-ubyte', 'rgb-images-idx4-ubyte.gz', /rgb-images-idx4-ubyte\.gz: expected magic 0x00000801 \(labels\), found 0x00000804 \(4 dimensions\)/],
  ['tiny-images-idx3-ubyte', 'tiny-images-idx3-ubyte.gz', /tiny-images-idx3-ubyte\.gz: expected magic 0x00000801 \(labels\), found 0x00000803/],
  ['float-images-idx3-ubyte', 'tiny-labels-idx1-ubyte', /element type 0x0d \(float32\) is not supported/],
  ['short-images-idx3-ubyte', 'tiny-labels-idx1-ubyte', /promises 5 × 3 × 4 = 60 bytes of data but the file has 10/],
  ['tiny.csv', 'tiny-labels-idx1-ubyte', /tiny\.csv: not an IDX file/],
];

for (const [images, labels, message] of ERRORS) {
  test(`idx error ${images} + ${labels}`, () => {
    const r = load(images, labels);
    assert.ok(isDataError(r), 'expected a data error');
    assert.match(r.message, message);
  });
}

test('a truncated gzip file is a data error', () => {
  const r = load('tiny-images-idx3-ubyte.gz', 'truncated-labels-idx1-ubyte.gz');
  assert.ok(isDataError(r));
  assert.match(r.message, /truncated-labels-idx1-ubyte\.gz: starts like gzip but cannot be decompressed/);
});

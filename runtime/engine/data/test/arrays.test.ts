import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isDataError, loadDataset, type Dataset } from '..';
import type { PlanValue } from '../../../catalog';
import { dataSource } from '../../../testing/data-sources';

// The fixtures are written by NumPy itself (test-fixtures/data/make-numpy.py): x[i, c, r, k] =
// i + c/10 + r/100 + k/1000 of shape (5, 3, 2, 2), labels 0 2 1 2 0.
const baseDir = path.resolve('test-fixtures/data/npy');
const load = (name: string, args: Readonly<Record<string, PlanValue>>) => loadDataset(dataSource(name, args), { baseDir, seed: 1 });

function ok(r: Dataset | ReturnType<typeof load>): Dataset {
  assert.ok(!isDataError(r), isDataError(r) ? r.message : '');
  return r;
}

const X: number[] = [];
for (let i = 0; i < 5; i++) for (let c = 0; c < 3; c++) for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) X.push(Math.fround(i + c / 10 + r / 100 + k / 1000));
const PIXELS = Array.from({ length: 60 }, (_, i) => Math.fround(((i * 4) % 256) / 255));

for (const [what, source, args] of [
  ['npy', 'npy', { features: 'x.npy', labels: 'y.npy' }],
  ['npy with int32 labels', 'npy', { features: 'x.npy', labels: 'y-int32.npy' }],
  ['npy with uint8 labels', 'npy', { features: 'x.npy', labels: 'y-uint8.npy' }],
  ['npy, big-endian float32', 'npy', { features: 'x-big-endian.npy', labels: 'y.npy' }],
  ['npy, format version 2.0', 'npy', { features: 'x-version2.npy', labels: 'y.npy' }],
  ['npz (np.savez)', 'npz', { path: 'tiny.npz' }],
  ['npz (np.savez_compressed)', 'npz', { path: 'tiny-compressed.npz' }],
] as const) {
  test(`${what}: float32 (N, 3, 2, 2) images and class labels`, () => {
    const ds = ok(load(source, args));
    assert.equal(ds.name, source);
    assert.equal(ds.count, 5);
    assert.deepEqual(ds.inputShape, [3, 2, 2]);
    assert.equal(ds.task, 'classification');
    assert.equal(ds.classes, 3);
    assert.deepEqual([...ds.y], [0, 2, 1, 2, 0]);
    assert.deepEqual([...ds.x], X);
  });
}

test('uint8 features are pixels, divided by 255', () => {
  const ds = ok(load('npy', { features: 'x-uint8.npy', labels: 'y.npy' }));
  assert.deepEqual([...ds.x], PIXELS);
});

test('channels_last: (N, H, W, C) images are transposed to (N, C, H, W)', () => {
  const ds = ok(load('npy', { features: 'x-nhwc.npy', labels: 'y.npy', channels_last: true }));
  assert.deepEqual(ds.inputShape, [3, 2, 2]);
  assert.deepEqual([...ds.x], PIXELS);
  // Without the flag the array is taken as it is: 2 × 2 × 3 examples.
  assert.deepEqual(ok(load('npy', { features: 'x-nhwc.npy', labels: 'y.npy' })).inputShape, [2, 2, 3]);
});

test('npz arrays are taken by name', () => {
  const ds = ok(load('npz', { path: 'named.npz', features: 'train_x', labels: 'train_y' }));
  assert.deepEqual(ds.inputShape, [3, 2, 2]);
  assert.deepEqual([...ds.x], PIXELS);
  assert.deepEqual([...ds.y], [0, 2, 1, 2, 0]);
});

test('rows of float64 and int64 features; bool labels are classes 0 and 1', () => {
  const f64 = ok(load('npy', { features: 'x-float64.npy', labels: 'y.npy' }));
  assert.deepEqual(f64.inputShape, [12]);
  assert.deepEqual([...f64.x], X);
  const i64 = ok(load('npy', { features: 'x-int64.npy', labels: 'y-bool.npy' }));
  assert.deepEqual(i64.inputShape, [2]);
  assert.deepEqual([...i64.x], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...i64.y], [1, 0, 1, 1, 0]);
  assert.equal(i64.classes, 2);
});

test('regression labels of shape (N, targets)', () => {
  const ds = ok(load('npy', { features: 'x.npy', labels: 'y-regression.npy', task: 'regression' }));
  assert.equal(ds.task, 'regression');
  assert.equal(ds.targets, 2);
  assert.deepEqual([...ds.y], [0.5, -1, 1.5, 2, 2.5, 0, 3.5, 1, 4.5, 3]);
  assert.equal(ok(load('npy', { features: 'x.npy', labels: 'y.npy', task: 'regression' })).targets, 1);
});

// Every bad input, with the file it names (DataError.path) and the message.
const ERRORS: readonly [string, string, Readonly<Record<string, PlanValue>>, string, RegExp][] = [
  ['a missing file', 'npy', { features: 'nothing.npy', labels: 'y.npy' }, 'nothing.npy', /file not found: .*nothing\.npy/],
  ['not an npy file', 'npy', { features: 'not-npy.npy', labels: 'y.npy' }, 'not-npy.npy', /not-npy\.npy: not a NumPy \.npy file/],
  ['a cut-short file', 'npy', { features: 'truncated.npy', labels: 'y.npy' }, 'truncated.npy', /truncated\.npy: the header promises shape \(5, 3, 2, 2\) of float32 = 240 bytes of data but the file has 233/],
  ['Fortran order', 'npy', { features: 'fortran.npy', labels: 'y.npy' }, 'fortran.npy', /Fortran order; save it in C order \(np\.save\(f, np\.ascontiguousarray\(a\)\)\)/],
  ['pickled objects', 'npy', { features: 'objects.npy', labels: 'y.npy' }, 'objects.npy', /holds Python objects \(a pickle\), which Minima never loads/],
  ['float16', 'npy', { features: 'float16.npy', labels: 'y.npy' }, 'float16.npy', /holds float16; Minima reads booleans, integers and float32\/float64 \(convert with a\.astype\(np\.float32\)\)/],
  ['complex numbers', 'npy', { features: 'complex.npy', labels: 'y.npy' }, 'complex.npy', /holds complex numbers/],
  ['string labels', 'npy', { features: 'x.npy', labels: 'strings.npy' }, 'strings.npy', /strings\.npy: the array holds strings/],
  ['a structured array', 'npy', { features: 'structured.npy', labels: 'y.npy' }, 'structured.npy', /structured arrays .* are not read/],
  ['a NaN feature', 'npy', { features: 'nan.npy', labels: 'y.npy' }, 'nan.npy', /nan\.npy: element \[3, 7\] is NaN; every feature must be a finite number/],
  ['a float64 beyond float32', 'npy', { features: 'too-large.npy', labels: 'y.npy' }, 'too-large.npy', /element \[1, 2\] is inf as float32/],
  ['a negative label', 'npy', { features: 'x.npy', labels: 'y-negative.npy' }, 'y-negative.npy', /y-negative\.npy: label \[2\] is -1; class labels must be integers ≥ 0/],
  ['a fractional label', 'npy', { features: 'x.npy', labels: 'y-fraction.npy' }, 'y-fraction.npy', /label \[2\] is 2\.5; class labels must be integers/],
  ['a label far beyond any class count', 'npy', { features: 'x.npy', labels: 'y-huge.npy' }, 'y-huge.npy', /label \[3\] is 1000000000; class labels must be class indices/],
  ['one-hot labels', 'npy', { features: 'x.npy', labels: 'y-onehot.npy' }, 'y-onehot.npy', /need shape \(N,\), one class index per example, got \(5, 3\) \(for one-hot rows, save labels\.argmax\(axis=1\)\)/],
  ['a NaN regression label', 'npy', { features: 'x.npy', labels: 'y-nan-regression.npy', task: 'regression' }, 'y-nan-regression.npy', /label \[1\] is NaN; every label must be a finite number/],
  ['fewer labels than examples', 'npy', { features: 'x.npy', labels: 'y-four.npy' }, 'y-four.npy', /y-four\.npy has 4 labels but .*x\.npy has 5 examples/],
  ['features without a row axis', 'npy', { features: 'x-flat.npy', labels: 'y.npy' }, 'x-flat.npy', /the features have shape \(5,\); they need one row per example/],
  ['no examples', 'npy', { features: 'x-empty.npy', labels: 'x-empty.npy' }, 'x-empty.npy', /the array holds no examples \(shape \(0, 3\)\)/],
  ['channels_last on rows', 'npy', { features: 'x-float64.npy', labels: 'y.npy', channels_last: true }, 'x-float64.npy', /channels_last needs images of shape \(N, height, width, channels\), but the features have shape \(5, 12\)/],
  ['an npz without the array', 'npz', { path: 'named.npz' }, 'named.npz', /named\.npz: no array named "x"; the file holds "train_x", "train_y"/],
  ['an npz cut in half', 'npz', { path: 'truncated.npz' }, 'truncated.npz', /truncated\.npz: not a ZIP archive/],
  ['not an npz file', 'npz', { path: 'not-zip.npz' }, 'not-zip.npz', /not-zip\.npz: not a ZIP archive, or one cut short \(it has no end-of-central-directory record\); an \.npz file is written by np\.savez/],
  ['an npz with a damaged member', 'npz', { path: 'damaged.npz' }, 'damaged.npz', /damaged\.npz: member x\.npy cannot be decompressed/],
  ['an npy file read as npz', 'npz', { path: 'x.npy' }, 'x.npy', /x\.npy: not a ZIP archive/],
  ['an npz member that is bad', 'npz', { path: 'tiny.npz', labels: 'x' , features: 'y' }, 'tiny.npz', /tiny\.npz\[y\]: the features have shape \(5,\)/],
];

for (const [what, source, args, file, message] of ERRORS) {
  test(`${source} error: ${what}`, () => {
    const r = load(source, args);
    assert.ok(isDataError(r), 'expected a data error');
    assert.match(r.message, message);
    assert.equal(r.path, path.join(baseDir, file));
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDataError, loadDataset, type Dataset } from '..';
import type { PlanValue } from '../../../catalog';
import { dataSource } from '../../../testing/data-sources';

// The folders and the reference are written by Pillow (test-fixtures/data/make-images.py): what
// torchvision's ImageFolder + Resize((4, 4)) make of each image of images/pets, in its order.
const dataDir = path.resolve('test-fixtures/data');
const load = (args: Readonly<Record<string, PlanValue>>, baseDir = dataDir) => loadDataset(dataSource('images', args), { baseDir, seed: 1 });

interface Reference {
  readonly size: number;
  readonly order: readonly string[];
  readonly images: Readonly<Record<string, { readonly class: string; readonly rgb: number[][]; readonly grey: number[]; readonly format: string }>>;
}
const REFERENCE = JSON.parse(fs.readFileSync(path.join(dataDir, 'images-reference.json'), 'utf8')) as Reference;

// Tolerances in grey levels (of 255), against Pillow. Pillow rounds to 8 bits after each resize
// pass and Minima does not (≤ 1 level). JPEG decoders differ in their inverse DCT (≤ 1.5 levels),
// and jpeg-js repeats each colour sample of a 4:2:0 JPEG where libjpeg interpolates (e.jpeg).
const TOLERANCE: Readonly<Record<string, number>> = { PNG: 1, JPEG: 1.5, 'dog/e.jpeg': 4 };

function ok(r: ReturnType<typeof load>): Dataset {
  assert.ok(!isDataError(r), isDataError(r) ? r.message : '');
  return r;
}

for (const color of ['rgb', 'grey'] as const) {
  test(`images (${color}): classes in sorted order, files in ImageFolder's order, pixels as Pillow resizes them`, () => {
    const ds = ok(load({ path: 'images/pets', size: REFERENCE.size, color }));
    const channels = color === 'rgb' ? 3 : 1;
    assert.equal(ds.name, 'images');
    assert.equal(ds.task, 'classification');
    assert.deepEqual(ds.inputShape, [channels, 4, 4]);
    assert.deepEqual(ds.classNames, ['Zebra', 'cat', 'dog']);
    assert.equal(ds.classes, 3);
    assert.equal(ds.count, REFERENCE.order.length);
    const width = channels * 16;
    for (const [i, key] of REFERENCE.order.entries()) {
      const ref = REFERENCE.images[key]!;
      assert.equal(ds.y[i], ds.classNames?.indexOf(ref.class), key);
      const want = color === 'rgb' ? ref.rgb.flat() : ref.grey;
      const tolerance = TOLERANCE[key] ?? TOLERANCE[ref.format] ?? 0;
      for (let j = 0; j < width; j++) {
        const got = (ds.x[i * width + j] ?? NaN) * 255;
        assert.ok(Math.abs(got - (want[j] ?? NaN)) <= tolerance, `${key} value ${j}: ${got.toFixed(2)} vs Pillow's ${want[j]} (tolerance ${tolerance})`);
      }
    }
  });
}

test('images at their own size are not resampled: a 4 × 4 PNG reads exactly', () => {
  const ds = ok(load({ path: 'images/pets', size: 4 }));
  const z = REFERENCE.images['Zebra/z.png']!;
  assert.deepEqual([...ds.x.subarray(0, 48)], z.rgb.flat().map((v) => Math.fround(v / 255)));
});

test('images: a 16-bit PNG is read rounded to 8 bits', () => {
  const ds = ok(load({ path: 'images/deep', size: 3, color: 'grey' }));
  assert.deepEqual(ds.inputShape, [1, 3, 3]);
  // The 3 × 1 image 0, 32896, 65535 stretched to 3 rows.
  assert.deepEqual([...ds.x.subarray(0, 3)], [0, Math.fround(128 / 255), 1]);
});

test('images: any size stays in [0, 1], and 4 × 4 → 1 × 1 is the mean under the stretched triangle filter', () => {
  // Written here, not committed: the property holds for any size.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-images-'));
  fs.mkdirSync(path.join(dir, 'a'));
  fs.copyFileSync(path.join(dataDir, 'images/pets/Zebra/z.png'), path.join(dir, 'a', 'z.png'));
  for (const size of [1, 2, 3, 7, 16]) {
    const ds = ok(load({ path: '.', size, color: 'grey' }, dir));
    assert.deepEqual(ds.inputShape, [1, size, size]);
    for (const v of ds.x) assert.ok(v >= 0 && v <= 1, `size ${size}: ${v} outside [0, 1]`);
  }
  // Scale 4: the filter is 1 − |d|/4 at distances 1.5, 0.5, 0.5, 1.5 from the centre, per axis.
  const one = ok(load({ path: '.', size: 1 }, dir));
  const z = REFERENCE.images['Zebra/z.png']!;
  const w = [0.625, 0.875, 0.875, 0.625].map((v) => v / 3);
  for (let c = 0; c < 3; c++) {
    let mean = 0;
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) mean += (w[y] ?? 0) * (w[x] ?? 0) * (z.rgb[c]?.[y * 4 + x] ?? 0) / 255;
    assert.ok(Math.abs((one.x[c] ?? NaN) - mean) < 1e-6, `channel ${c}: ${one.x[c]} vs ${mean}`);
  }
});

const ERRORS: readonly [string, Readonly<Record<string, PlanValue>>, string, RegExp][] = [
  ['a missing folder', { path: 'images/nothing', size: 4 }, 'images/nothing', /folder not found: .*images\/nothing/],
  ['a file instead of a folder', { path: 'images/pets/cat/a.png', size: 4 }, 'images/pets/cat/a.png', /expected a folder with one sub-folder per class, but found a file: .*a\.png/],
  ['no class folders', { path: 'images/bad-no-classes', size: 4 }, 'images/bad-no-classes', /bad-no-classes: no class folders; put the images of each class in a sub-folder named after it/],
  ['a class without images', { path: 'images/bad-empty-class', size: 4 }, 'images/bad-empty-class/b', /bad-empty-class\/b: class "b" holds no PNG or JPEG images/],
  ['a PNG cut short', { path: 'images/bad-corrupt', size: 4 }, 'images/bad-corrupt/b/broken.png', /broken\.png: the PNG image cannot be decoded \(the file is cut short\)/],
  ['a JPEG cut short', { path: 'images/bad-jpeg', size: 4 }, 'images/bad-jpeg/a/cut.jpg', /cut\.jpg: the JPEG image cannot be decoded/],
  ['text named .jpg', { path: 'images/bad-not-image', size: 4 }, 'images/bad-not-image/a/fake.jpg', /fake\.jpg: not a PNG or JPEG image \(it starts with 0x706c6169\)/],
  ['an empty file', { path: 'images/bad-empty-file', size: 4 }, 'images/bad-empty-file/a/empty.png', /empty\.png: not a PNG or JPEG image \(it starts with nothing: the file is empty\)/],
  ['a GIF named .png', { path: 'images/bad-gif', size: 4 }, 'images/bad-gif/a/really-a-gif.png', /really-a-gif\.png: a GIF image; only PNG and JPEG are read/],
  ['a PNG too large to decode', { path: 'images/bad-huge', size: 4 }, 'images/bad-huge/a/huge.png', /huge\.png: the image is 100000 × 100000 pixels; images above 100 megapixels are not read/],
];

for (const [what, args, file, message] of ERRORS) {
  test(`images error: ${what}`, () => {
    const r = load(args);
    assert.ok(isDataError(r), 'expected a data error');
    assert.match(r.message, message);
    assert.equal(r.path, path.join(dataDir, file));
  });
}

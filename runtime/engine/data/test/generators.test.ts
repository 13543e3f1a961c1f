import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Dataset, isDataError, loadDataset } from '..';
import type { TechniqueUse } from '../../../catalog';
import { dataSource, histogram, sameFloats } from '../../../testing/data-sources';

interface GeneratorCase {
  readonly source: TechniqueUse;
  readonly count: number;
  readonly inputShape: readonly number[];
  readonly classes?: number;
  readonly targets?: number;
  /** Examples per class, in class order. */
  readonly histogram?: readonly number[];
  /** Every feature lies in [lo, hi]. */
  readonly bounds?: readonly [number, number];
}

const CASES: readonly GeneratorCase[] = [
  { source: dataSource('moons'), count: 1000, inputShape: [2], classes: 2, histogram: [500, 500], bounds: [-2, 3] },
  { source: dataSource('moons', { samples: 7, noise: 0 }), count: 7, inputShape: [2], classes: 2, histogram: [3, 4], bounds: [-1, 2] },
  { source: dataSource('spirals'), count: 1000, inputShape: [2], classes: 3, histogram: [334, 333, 333], bounds: [-1, 1] },
  { source: dataSource('spirals', { samples: 10, classes: 4, turns: 3, noise: 0 }), count: 10, inputShape: [2], classes: 4, histogram: [3, 3, 2, 2], bounds: [-1, 1] },
  { source: dataSource('blobs'), count: 1000, inputShape: [2], classes: 3, histogram: [334, 333, 333] },
  { source: dataSource('blobs', { samples: 50, features: 5, classes: 7, spread: 0.5 }), count: 50, inputShape: [5], classes: 7, histogram: [8, 7, 7, 7, 7, 7, 7] },
  { source: dataSource('regression'), count: 1000, inputShape: [8], targets: 1 },
  { source: dataSource('regression', { samples: 20, features: 3, targets: 2 }), count: 20, inputShape: [3], targets: 2 },
];

function load(source: TechniqueUse, seed: number): Dataset {
  const ds = loadDataset(source, { baseDir: '.', seed });
  assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
  return ds;
}

for (const c of CASES) {
  const label = `${c.source.name}(${JSON.stringify(c.source.args)})`;
  test(`${label}: shape, classes and ranges`, () => {
    const ds = load(c.source, 1);
    assert.equal(ds.count, c.count);
    assert.deepEqual(ds.inputShape, c.inputShape);
    assert.equal(ds.x.length, c.count * c.inputShape.reduce((a, b) => a * b, 1));
    assert.equal(ds.classes, c.classes);
    assert.equal(ds.targets, c.targets);
    assert.equal(ds.task, c.classes === undefined ? 'regression' : 'classification');
    assert.equal(ds.y.length, c.count * (c.targets ?? 1));
    assert.ok(ds.x.every(Number.isFinite) && ds.y.every(Number.isFinite));
    if (c.histogram !== undefined) assert.deepEqual(histogram(ds.y, c.classes ?? 0), c.histogram);
    if (c.bounds !== undefined) {
      const [lo, hi] = c.bounds;
      assert.ok(ds.x.every((v) => v >= lo - 1e-6 && v <= hi + 1e-6), `outside [${lo}, ${hi}]`);
    }
  });
  test(`${label}: the same seed gives the same bytes, another seed other bytes`, () => {
    const a = load(c.source, 1);
    const b = load(c.source, 1);
    const other = load(c.source, 2);
    assert.ok(sameFloats(a.x, b.x) && sameFloats(a.y, b.y));
    assert.ok(!sameFloats(a.x, other.x));
  });
}

test('moons without noise: class 0 on the unit upper half circle, class 1 on the shifted lower one', () => {
  const ds = load(dataSource('moons', { samples: 101, noise: 0 }), 3);
  for (let i = 0; i < ds.count; i++) {
    const [u = 0, v = 0] = ds.x.subarray(2 * i, 2 * i + 2);
    const [cx, cy] = ds.y[i] === 0 ? [0, 0] : [1, 0.5];
    assert.ok(Math.abs(Math.hypot(u - cx, v - cy) - 1) < 1e-6);
    assert.ok(ds.y[i] === 0 ? v >= -1e-6 : v <= 0.5 + 1e-6);
  }
});

test('moons with noise: the per-coordinate deviation from the noiseless circles has the requested spread', () => {
  // Same seed and size: only the noise differs, but the shuffle order does too, so compare radii.
  const ds = load(dataSource('moons', { samples: 4000, noise: 0.05 }), 4);
  let sq = 0;
  for (let i = 0; i < ds.count; i++) {
    const [u = 0, v = 0] = ds.x.subarray(2 * i, 2 * i + 2);
    const [cx, cy] = ds.y[i] === 0 ? [0, 0] : [1, 0.5];
    sq += (Math.hypot(u - cx, v - cy) - 1) ** 2;
  }
  // The radial component of isotropic noise has standard deviation ≈ noise.
  const rms = Math.sqrt(sq / ds.count);
  assert.ok(Math.abs(rms - 0.05) < 0.005, `rms ${rms}`);
});

test('spirals without noise: radius below 1 and angle 2π·turns·r + 2πk/classes', () => {
  const turns = 1.5;
  const classes = 3;
  const ds = load(dataSource('spirals', { samples: 90, classes, turns, noise: 0 }), 5);
  for (let i = 0; i < ds.count; i++) {
    const [u = 0, v = 0] = ds.x.subarray(2 * i, 2 * i + 2);
    const r = Math.hypot(u, v);
    assert.ok(r < 1);
    if (r < 1e-3) continue;
    const theta = 2 * Math.PI * turns * r + (2 * Math.PI * (ds.y[i] ?? 0)) / classes;
    assert.ok(Math.abs(u - r * Math.sin(theta)) < 1e-5 && Math.abs(v - r * Math.cos(theta)) < 1e-5);
  }
});

test('blobs: each class clusters around its own centre with the requested spread', () => {
  const ds = load(dataSource('blobs', { samples: 3000, features: 2, classes: 3, spread: 0.5 }), 6);
  for (let k = 0; k < 3; k++) {
    const rows = [...ds.y.keys()].filter((i) => ds.y[i] === k);
    const mean = [0, 1].map((f) => rows.reduce((s, i) => s + (ds.x[2 * i + f] ?? 0), 0) / rows.length);
    assert.ok(mean.every((m) => m > -10.1 && m < 10.1));
    const sd = [0, 1].map((f) => Math.sqrt(rows.reduce((s, i) => s + ((ds.x[2 * i + f] ?? 0) - (mean[f] ?? 0)) ** 2, 0) / rows.length));
    for (const s of sd) assert.ok(Math.abs(s - 0.5) < 0.04, `sd ${s}`);
  }
});

test('regression without noise: y is exactly linear in x with coefficients in [0, 100)', () => {
  const ds = load(dataSource('regression', { samples: 30, features: 1, targets: 1, noise: 0 }), 7);
  const ratios = [...ds.y.keys()].map((i) => (ds.y[i] ?? 0) / (ds.x[i] ?? 1));
  const w = ratios[0] ?? -1;
  assert.ok(w >= 0 && w < 100);
  for (const r of ratios) assert.ok(Math.abs(r - w) < 1e-4 * Math.max(1, w));
});

test('regression inputs are standard normal', () => {
  const ds = load(dataSource('regression', { samples: 5000, features: 4 }), 8);
  const mean = ds.x.reduce((a, b) => a + b, 0) / ds.x.length;
  const variance = ds.x.reduce((a, b) => a + (b - mean) ** 2, 0) / ds.x.length;
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.04, `mean ${mean} variance ${variance}`);
});

test('bad arguments are data errors, not exceptions', () => {
  const cases: readonly [TechniqueUse, RegExp][] = [
    [dataSource('moons', { samples: 0 }), /moons: argument 'samples' must be an integer ≥ 1, got 0/],
    [dataSource('blobs', { classes: 'three' }), /blobs: argument 'classes' must be an integer ≥ 2, got "three"/],
    [dataSource('nosuch'), /cannot load data source "nosuch"/],
    [{ kind: 'technique', name: 'sgd', entryKind: 'optimizer', args: {} }, /sgd is not a data source/],
  ];
  for (const [source, message] of cases) {
    const r = loadDataset(source, { baseDir: '.', seed: 1 });
    assert.ok(isDataError(r));
    assert.match(r.message, message);
  }
});

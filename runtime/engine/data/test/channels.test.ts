// Per-channel standardization, the data block's settings checked against the data, and the image
// augmentations (random crop with padding, horizontal flip).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentBatch, createRng, dataOptions, fitStandardizer, isDataError, standardizerFor, type Augmentation, type Dataset, type Rng } from '..';
import type { PlanValue } from '../../../catalog';
import { use } from '../../../testing/catalog-args';

/** n examples of channels × 2 × 3 with x[i, c, r, k] = 100·c + 10·i + 3·r + k. */
function images(n: number, channels: number): Dataset {
  const x: number[] = [];
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) for (let r = 0; r < 2; r++) for (let k = 0; k < 3; k++) x.push(100 * c + 10 * i + 3 * r + k);
  return { name: 'images', task: 'classification', classes: 2, inputShape: [channels, 2, 3], x: Float32Array.from(x), y: new Float32Array(n), count: n };
}

test('standardize = channel: every channel of the training images has mean 0 and standard deviation 1', () => {
  const train = images(4, 3);
  const s = fitStandardizer(train, 'channel');
  const t = s.apply(train);
  for (let c = 0; c < 3; c++) {
    const values: number[] = [];
    for (let i = 0; i < 4; i++) values.push(...t.x.subarray(i * 18 + c * 6, i * 18 + c * 6 + 6));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    assert.ok(Math.abs(mean) < 1e-6, `channel ${c} mean ${mean}`);
    assert.ok(Math.abs(sd - 1) < 1e-6, `channel ${c} sd ${sd}`);
  }
  // One offset per channel, spread over its plane: channel c's mean is 100·c + 15 + 1.5 + 1.
  assert.deepEqual([...s.offset.subarray(0, 6)], Array<number>(6).fill(17.5));
  assert.deepEqual([...s.offset.subarray(6, 12)], Array<number>(6).fill(117.5));
});

test('standardize = channel with fixed mean and std is (x − mean[c]) / std[c]', () => {
  const train = images(2, 2);
  const s = standardizerFor(train, { method: 'channel', mean: [10, 100], std: [2, 4] });
  const t = s.apply(train);
  assert.equal(t.x[0], (0 - 10) / 2);
  assert.equal(t.x[7], (101 - 100) / 4);
  // Without fixed statistics, the same as fitting.
  assert.deepEqual([...standardizerFor(train, { method: 'channel' }).offset], [...fitStandardizer(train, 'channel').offset]);
});

const imageShape = { name: 'images', inputShape: [3, 2, 3] } as const;
const tableShape = { name: 'csv', inputShape: [4] } as const;

test('data options: augmentations and channel statistics are read from the plan', () => {
  const attrs: Record<string, PlanValue> = { standardize: 'channel', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], augment: [use('crop', 'augmentation', { pad: 2 }), use('flip', 'augmentation', {})] };
  const r = dataOptions(attrs, imageShape);
  assert.ok(!isDataError(r), isDataError(r) ? r.message : '');
  assert.deepEqual(r.augment, [{ kind: 'crop', pad: 2 }, { kind: 'flip', p: 0.5 }]);
  assert.deepEqual(r.standardize, { method: 'channel', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
  const plain = dataOptions({ standardize: 'zscore', augment: [] }, tableShape);
  assert.deepEqual(plain, { standardize: { method: 'zscore' }, augment: [] });
});

const OPTION_ERRORS: readonly [string, Record<string, PlanValue>, Pick<Dataset, 'name' | 'inputShape'>, RegExp][] = [
  ['crop on a table', { augment: [use('crop', 'augmentation', { pad: 4 })] }, tableShape, /crop augments images \(channels × height × width\), but csv gives examples of shape \[4\]/],
  ['flip on a table', { augment: [use('flip', 'augmentation', { p: 0.5 })] }, tableShape, /flip augments images/],
  ['channel on a table', { standardize: 'channel' }, tableShape, /standardize = channel needs images \(channels × height × width\), but csv gives examples of shape \[4\]; use zscore for tables/],
  ['mean without channel', { standardize: 'zscore', mean: [0.5] }, imageShape, /mean and std are per-channel statistics; they need standardize = channel \(got zscore\)/],
  ['too few means', { standardize: 'channel', mean: [0.5], std: [1, 1, 1] }, imageShape, /mean has 1 value but images gives images of 3 channels/],
  ['too many stds', { standardize: 'channel', mean: [0, 0, 0], std: [1, 1, 1, 1] }, imageShape, /std has 4 values but images gives images of 3 channels/],
  ['a zero std', { standardize: 'channel', mean: [0, 0, 0], std: [1, 0, 1] }, imageShape, /every std must be a finite number > 0/],
  ['an unknown augmentation', { augment: [use('rotate', 'augmentation', {})] }, imageShape, /cannot apply the augmentation "rotate"/],
];

for (const [what, attrs, shape, message] of OPTION_ERRORS) {
  test(`data options error: ${what}`, () => {
    const r = dataOptions(attrs, shape);
    assert.ok(isDataError(r), 'expected a data error');
    assert.match(r.message, message);
  });
}

/** An Rng that returns the given draws: int(n) takes the next value, uniform() the next value too. */
function scripted(values: readonly number[]): Rng {
  let i = 0;
  const next = () => {
    const v = values[i++];
    if (v === undefined) throw new Error('scripted rng ran out');
    return v;
  };
  return { nextUint32: next, uniform: next, normal: next, int: next };
}

const one = (channels: number, height: number, width: number) => Float32Array.from({ length: channels * height * width }, (_, i) => i + 1);

test('crop: the window moves by (dy, dx) = draws − pad, and the uncovered border is the padding value', () => {
  const x = one(1, 3, 3); // 1 2 3 / 4 5 6 / 7 8 9
  const padValue = new Float32Array(9).fill(-1);
  // Draws 2, 0 with pad 1: dy = +1, dx = −1, so out[y][x] = in[y + 1][x − 1].
  const out = augmentBatch({ x, size: 1, shape: [1, 3, 3], padValue }, [{ kind: 'crop', pad: 1 }], scripted([2, 0]));
  assert.deepEqual([...out], [-1, 4, 5, -1, 7, 8, -1, -1, -1]);
  // The input is not changed, and draws (pad, pad) leave the image as it is.
  assert.deepEqual([...x], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...augmentBatch({ x, size: 1, shape: [1, 3, 3], padValue }, [{ kind: 'crop', pad: 1 }], scripted([1, 1]))], [...x]);
});

test('crop pads with each position\'s standardized black, per channel', () => {
  const x = one(2, 1, 2);
  const padValue = Float32Array.of(-10, -10, -20, -20);
  const out = augmentBatch({ x, size: 1, shape: [2, 1, 2], padValue }, [{ kind: 'crop', pad: 1 }], scripted([1, 2]));
  // dx = +1: out[c][0] = in[c][1], out[c][1] is padding.
  assert.deepEqual([...out], [2, -10, 4, -20]);
});

test('flip mirrors each row of each channel when the draw is below p', () => {
  const x = one(2, 2, 3);
  const shape = [2, 2, 3] as const;
  const padValue = new Float32Array(12);
  const flipped = augmentBatch({ x, size: 1, shape, padValue }, [{ kind: 'flip', p: 0.5 }], scripted([0.2]));
  assert.deepEqual([...flipped], [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
  assert.deepEqual([...augmentBatch({ x, size: 1, shape, padValue }, [{ kind: 'flip', p: 0.5 }], scripted([0.5]))], [...x]);
});

test('augmentations draw per example in list order, and a seeded stream reproduces the batch', () => {
  const size = 64;
  const shape = [3, 8, 8] as const;
  const x = Float32Array.from({ length: size * 192 }, (_, i) => Math.sin(i));
  const padValue = new Float32Array(192);
  const list: Augmentation[] = [{ kind: 'crop', pad: 2 }, { kind: 'flip', p: 0.5 }];
  const a = augmentBatch({ x, size, shape, padValue }, list, createRng(7, 'augment', 3));
  const b = augmentBatch({ x, size, shape, padValue }, list, createRng(7, 'augment', 3));
  const c = augmentBatch({ x, size, shape, padValue }, list, createRng(7, 'augment', 4));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // Each example is its own crop: with 25 offsets × 2 flips, 64 examples are not all alike.
  let changed = 0;
  for (let e = 0; e < size; e++) if (a.subarray(e * 192, (e + 1) * 192).some((v, i) => v !== x[e * 192 + i])) changed++;
  assert.ok(changed > 48, `${changed} of 64 examples changed`);
  // The first example's draws: dy, dx, then the flip's uniform.
  const rng = createRng(7, 'augment', 3);
  const first = augmentBatch({ x: x.subarray(0, 192), size: 1, shape, padValue }, list, scripted([rng.int(5), rng.int(5), rng.uniform()]));
  assert.deepEqual(a.subarray(0, 192), first);
});

test('flip(p: 1) flips every example and crop(pad: 0) none: over many draws flip(p) flips a share near p', () => {
  const size = 2000;
  const x = Float32Array.from({ length: size * 2 }, (_, i) => i % 2);
  const padValue = new Float32Array(2);
  const count = (p: number) => {
    const out = augmentBatch({ x, size, shape: [1, 1, 2], padValue }, [{ kind: 'crop', pad: 0 }, { kind: 'flip', p }], createRng(1, 'augment', 0));
    let flipped = 0;
    for (let e = 0; e < size; e++) if (out[2 * e] === 1) flipped++;
    return flipped;
  };
  assert.equal(count(1), size);
  assert.equal(count(0), 0);
  const share = count(0.3) / size;
  assert.ok(Math.abs(share - 0.3) < 0.04, `share ${share}`);
});

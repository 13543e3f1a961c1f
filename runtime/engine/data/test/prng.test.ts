import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, permutation } from '..';
import { xoshiro128ssFromState } from '../prng';

test('xoshiro128** matches the reference C code (Blackman & Vigna) from state [1, 2, 3, 4]', () => {
  // Printed by xoshiro128starstar.c from prng.di.unimi.it with s = {1, 2, 3, 4}.
  const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849];
  const rng = xoshiro128ssFromState([1, 2, 3, 4]);
  assert.deepEqual(expected.map(() => rng.nextUint32()), expected);
});

test('equal seeds and streams give equal sequences; any difference changes them', () => {
  const draw = (seed: number, ...parts: (string | number)[]) => {
    const rng = createRng(seed, ...parts);
    return Array.from({ length: 16 }, () => rng.nextUint32());
  };
  assert.deepEqual(draw(42, 'data', 'moons'), draw(42, 'data', 'moons'));
  const variants = [draw(42, 'data', 'moons'), draw(43, 'data', 'moons'), draw(42, 'data', 'blobs'), draw(42, 'data'), draw(42), draw(-42), draw(2 ** 40), draw(42, 'dropout', 1), draw(42, 'dropout', 2), draw(42, 'dropout', '1')];
  const distinct = new Set(variants.map((v) => v.join(',')));
  assert.equal(distinct.size, variants.length);
  assert.deepEqual(draw(0), draw(-0));
});

test('uniform lies in [0, 1) with mean 1/2 and variance 1/12', () => {
  const rng = createRng(7, 'test');
  const n = 100_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sq += u * u;
  }
  const mean = sum / n;
  // Standard error of the mean is sqrt(1/12/n) ≈ 0.0009; 5 standard errors.
  assert.ok(Math.abs(mean - 0.5) < 0.0046, `mean ${mean}`);
  assert.ok(Math.abs(sq / n - mean * mean - 1 / 12) < 0.002);
});

test('normal has mean 0, variance 1, and about 4.55% beyond ±2', () => {
  const rng = createRng(8, 'test');
  const n = 100_000;
  let sum = 0;
  let sq = 0;
  let tails = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    sum += z;
    sq += z * z;
    if (Math.abs(z) > 2) tails++;
  }
  assert.ok(Math.abs(sum / n) < 0.016, `mean ${sum / n}`);
  assert.ok(Math.abs(sq / n - 1) < 0.025, `variance ${sq / n}`);
  assert.ok(Math.abs(tails / n - 0.0455) < 0.004, `tails ${tails / n}`);
});

test('int(n) covers [0, n) evenly', () => {
  const rng = createRng(9, 'test');
  const counts = new Array<number>(7).fill(0);
  for (let i = 0; i < 70_000; i++) {
    const k = rng.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  // Each count is Binomial(70000, 1/7): mean 10000, sd ≈ 93.
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `count ${c}`);
});

test('permutation holds every index once and moves each position uniformly', () => {
  for (const n of [0, 1, 2, 10, 1000]) {
    const p = permutation(n, createRng(n, 'perm'));
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
  // Where element 0 lands over many permutations of 4: each of the 4 positions about 1/4 of the time.
  const rng = createRng(1, 'perm');
  const landed = [0, 0, 0, 0];
  for (let t = 0; t < 20_000; t++) {
    const at = permutation(4, rng).indexOf(0);
    landed[at] = (landed[at] ?? 0) + 1;
  }
  for (const c of landed) assert.ok(Math.abs(c - 5000) < 350, `landed ${landed.join(' ')}`);
});

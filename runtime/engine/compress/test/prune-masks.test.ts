import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../data';
import { magnitudeMasks, nmConformance, nmMask, scheduledSparsity, zeroShare } from '../prune-masks';

function randomWeights(n: number, seed: number, ties = false): Float32Array {
  const rng = createRng(seed, 'w', 0);
  // With ties, many magnitudes repeat (and some are exact zeros) to exercise the tie-break.
  return Float32Array.from({ length: n }, () => (ties ? Math.round(rng.normal() * 2) / 2 : rng.normal()));
}

const zeros = (m: Float32Array) => m.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);

for (const [sparsity, ties] of [[0.5, false], [0.3, true], [0.9, true], [0.77, false], [0, false]] as const) {
  test(`magnitude (${sparsity}, ${ties ? 'with ties' : 'distinct'}): ⌊sN⌋ zeros, one threshold over all weights, deterministic`, () => {
    const ws = [randomWeights(96, 1, ties), randomWeights(40, 2, ties), randomWeights(13, 3, ties)];
    const total = ws.reduce((s, w) => s + w.length, 0);
    const masks = magnitudeMasks(ws, sparsity, 'global');
    assert.equal(masks.reduce((s, m) => s + zeros(m), 0), Math.floor(sparsity * total));
    // Global threshold: every pruned |w| ≤ every kept |w|, across layers.
    const pruned = ws.flatMap((w, l) => [...w].filter((_, i) => masks[l]?.[i] === 0).map(Math.abs));
    const kept = ws.flatMap((w, l) => [...w].filter((_, i) => masks[l]?.[i] === 1).map(Math.abs));
    if (pruned.length > 0 && kept.length > 0) assert.ok(Math.max(...pruned) <= Math.min(...kept));
    assert.deepEqual(magnitudeMasks(ws, sparsity, 'global'), masks);
    // Per layer: ⌊sN_l⌋ zeros in every weight, each with its own threshold.
    const layer = magnitudeMasks(ws, sparsity, 'layer');
    ws.forEach((w, l) => {
      const m = layer[l] ?? new Float32Array();
      assert.equal(zeros(m), Math.floor(sparsity * w.length));
      const p = [...w].filter((_, i) => m[i] === 0).map(Math.abs);
      const k = [...w].filter((_, i) => m[i] === 1).map(Math.abs);
      if (p.length > 0 && k.length > 0) assert.ok(Math.max(...p) <= Math.min(...k));
    });
  });
}

test('ties are pruned in position order: earlier weight, then earlier index', () => {
  const masks = magnitudeMasks([Float32Array.of(1, 1, 2), Float32Array.of(1, 3)], 0.4, 'global');
  assert.deepEqual(masks.map((m) => [...m]), [[0, 0, 1], [1, 1]]);
});

for (const [n, m] of [[2, 4], [1, 4], [1, 2], [3, 8]] as const) {
  test(`N:M ${n}:${m}: exactly N kept per group, the N largest |w|, and conformance 1 after masking`, () => {
    const rows = 6;
    const row = m * 5;
    const w = randomWeights(rows * row, 7, true);
    const mask = nmMask(w, row, n, m);
    for (let g = 0; g < w.length; g += m) {
      const group = [...mask.subarray(g, g + m)];
      assert.equal(group.reduce((s, v) => s + v, 0), n, `group at ${g}`);
      const keptMin = Math.min(...group.flatMap((v, k) => (v === 1 ? [Math.abs(w[g + k] ?? 0)] : [])));
      const prunedMax = Math.max(...group.flatMap((v, k) => (v === 0 ? [Math.abs(w[g + k] ?? 0)] : [])));
      assert.ok(prunedMax <= keptMin);
    }
    const masked = w.map((v, i) => v * (mask[i] ?? 0));
    assert.equal(nmConformance(masked, row, n, m), 1);
    assert.ok(Math.abs(zeroShare(mask) - (1 - n / m)) < 1e-12);
    // Recomputing the mask of the masked weights gives the same mask when the kept weights are nonzero.
    const dense = randomWeights(rows * row, 8);
    const dm = nmMask(dense, row, n, m);
    assert.deepEqual(nmMask(dense.map((v, i) => v * (dm[i] ?? 0)), row, n, m), dm);
  });
}

test('nm_conformance counts groups with at most N nonzeros', () => {
  assert.equal(nmConformance([1, 1, 0, 0, 1, 1, 1, 0], 8, 2, 4), 0.5);
  assert.equal(nmConformance([0, 0, 0, 0], 4, 2, 4), 1);
});

test('the gradual schedule follows Zhu & Gupta’s cubic', () => {
  const s = { from: 100, to: 500, initial: 0.1, final: 0.8, exponent: 3 };
  for (const t of [100, 150, 250, 333, 499]) {
    const want = 0.8 + (0.1 - 0.8) * Math.pow(1 - (t - 100) / 400, 3);
    assert.ok(Math.abs(scheduledSparsity(t, s) - want) < 1e-15, `t=${t}`);
  }
  assert.equal(scheduledSparsity(99, s), 0);
  assert.ok(Math.abs(scheduledSparsity(100, s) - 0.1) < 1e-15);
  assert.equal(scheduledSparsity(500, s), 0.8);
  assert.equal(scheduledSparsity(9999, s), 0.8);
  // Monotone: pruned weights never come back.
  for (let t = 100; t < 500; t += 7) assert.ok(scheduledSparsity(t + 7, s) >= scheduledSparsity(t, s));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../data';
import { lowRank, rankForEnergy, retainedEnergy, svd } from '../svd';
import { matrixOf, project } from '../lowrank';

// One-sided Jacobi SVD and the low-rank projections built on it (catalog A57).

function random(n: number, seed: number): Float64Array {
  const rng = createRng(seed, 'svd', 0);
  return Float64Array.from({ length: n }, () => rng.normal());
}

for (const [rows, cols] of [[7, 4], [4, 7], [12, 12], [1, 5], [16, 2]] as const) {
  test(`svd ${rows}×${cols}: reconstruction, orthonormal factors, descending values`, () => {
    const a = random(rows * cols, rows * 100 + cols);
    const d = svd(a, rows, cols);
    const k = Math.min(rows, cols);
    assert.equal(d.s.length, k);
    const rec = lowRank(d, k);
    a.forEach((x, i) => assert.ok(Math.abs(x - (rec[i] ?? NaN)) < 1e-12, `entry ${i}`));
    for (let i = 0; i < k; i++) {
      if (i > 0) assert.ok((d.s[i - 1] ?? 0) >= (d.s[i] ?? 0));
      for (let j = 0; j < k; j++) {
        const dot = (x: Float64Array | undefined, y: Float64Array | undefined) => Array.from(x ?? []).reduce((s, v, r) => s + v * (y?.[r] ?? NaN), 0);
        assert.ok(Math.abs(dot(d.u[i], d.u[j]) - (i === j ? 1 : 0)) < 1e-12, `uᵀu ${i} ${j}`);
        assert.ok(Math.abs(dot(d.v[i], d.v[j]) - (i === j ? 1 : 0)) < 1e-12, `vᵀv ${i} ${j}`);
      }
    }
  });
}

test('svd of a rank-2 matrix has two nonzero singular values; rankForEnergy(1) keeps exactly them', () => {
  const u = random(8, 1);
  const v = random(8, 2);
  const a = new Float64Array(32);
  for (let r = 0; r < 8; r++) for (let c = 0; c < 4; c++) a[r * 4 + c] = (u[r] ?? 0) * (v[c] ?? 0) + (v[r] ?? 0) * (u[c + 4] ?? 0);
  const d = svd(a, 8, 4);
  assert.ok((d.s[2] ?? 1) < 1e-12 && (d.s[1] ?? 0) > 1e-3);
  assert.equal(rankForEnergy(d.s, 1), 2);
});

for (const energy of [0.5, 0.9, 0.99]) {
  for (const shape of [[10, 6], [4, 3, 3, 3]] as const) {
    for (const method of ['svd', 'trp'] as const) {
      test(`${method} projection of ${shape.join('×')} at energy ${energy}: rank k, energy ≥ e, idempotent`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const w = Float32Array.from(random(n, n + Math.round(energy * 100)));
        const p = project(w, shape, { method, energy });
        const m = matrixOf(shape, method);
        const mat = new Float64Array(m.rows * m.cols);
        for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) mat[r * m.cols + c] = p.weights[m.index(r, c)] ?? 0;
        const d = svd(mat, m.rows, m.cols);
        const top = d.s[0] ?? 1;
        assert.equal([...d.s].filter((s) => s > 1e-5 * top).length, p.rank, 'numerical rank');
        assert.ok(p.energy >= energy);
        assert.ok(p.rank === 1 || retainedEnergy(svd(Float64Array.from({ length: m.rows * m.cols }, (_, k) => w[m.index(Math.floor(k / m.cols), k % m.cols)] ?? 0), m.rows, m.cols).s, p.rank - 1) < energy, 'k is the smallest');
        const again = project(p.weights, shape, { method, energy: 1 });
        p.weights.forEach((x, i) => assert.ok(Math.abs(x - (again.weights[i] ?? NaN)) < 1e-5, `idempotent ${i}`));
        assert.equal(again.rank, p.rank);
      });
    }
  }
}

test('trp views a conv kernel [N, C, kh, kw] as (C·kh, N·kw) by permute(1, 2, 0, 3)', () => {
  const [n, c, kh, kw] = [2, 3, 2, 4];
  const m = matrixOf([n, c, kh, kw], 'trp');
  assert.deepEqual([m.rows, m.cols], [c * kh, n * kw]);
  const seen = new Set<number>();
  for (let o = 0; o < n; o++) for (let ci = 0; ci < c; ci++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    const flat = ((o * c + ci) * kh + y) * kw + x;
    assert.equal(m.index(ci * kh + y, o * kw + x), flat);
    seen.add(flat);
  }
  assert.equal(seen.size, n * c * kh * kw);
});

test('svd(rank: k) keeps exactly k', () => {
  const w = Float32Array.from(random(60, 9));
  assert.equal(project(w, [10, 6], { method: 'svd', rank: 3 }).rank, 3);
});

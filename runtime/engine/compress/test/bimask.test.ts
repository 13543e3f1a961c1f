import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, grad, interpret, matmul, reduceSum, tensor, transpose, mul } from '../../../compiler';
import { inputGradient, withBackwardMask } from '../../../compiler/compress/bimask';
import { maskedWeight } from '../../../compiler/compress/masked-weight';
import { openBackend } from '../../backend';
import { createRng, permutation } from '../../data';
import { bestPermutation, biMaskBackward, biMaskForward } from '../bimask-mask';
import { biMaskTraining, type PermutationSource } from '../nm-training';
import type { BiMaskPlan } from '../nm-training-plan';
import type { PrunePlan } from '../prune-plan';
import { nmConformance } from '../prune-masks';
import { referenceMlp, readPruneReference, replayPruning, worstRelativeError } from '../../../testing/prune-reference';
import { CPU_BACKENDS } from '../../../testing/backends';

// bimask (catalog A44): the forward and backward masks and the permutation search, the input
// gradient through W⊙m_b in the graph, and the train step replayed against PyTorch
// (test-fixtures/reference/prune/generate.py) in float32 with the same candidate permutations.

const randomWeight = (rows: number, cols: number, seed: number) => {
  const rng = createRng(seed, 'test', 0);
  return Float32Array.from({ length: rows * cols }, () => rng.normal());
};

test('m_b ≤ m_f, and in the permuted layout every output-dimension group of M holds at most N of m_b', () => {
  const s = { rows: 8, cols: 12, n: 2, m: 4 };
  const w = randomWeight(s.rows, s.cols, 3);
  const f = biMaskForward(w, s);
  assert.equal(nmConformance(f, s.cols, 2, 4), 1);
  const perm = permutation(s.rows, createRng(5, 'test', 1));
  const b = biMaskBackward(w, f, perm, s);
  b.forEach((v, i) => assert.ok(v <= (f[i] ?? 0), `m_b[${i}] > m_f`));
  for (let c = 0; c < s.cols; c++) {
    for (let g = 0; g < s.rows; g += s.m) {
      let kept = 0;
      for (let k = 0; k < s.m; k++) kept += b[(perm[g + k] ?? 0) * s.cols + c] ?? 0;
      assert.ok(kept <= s.n, `column ${c}, group ${g / s.m}: ${kept} kept`);
    }
  }
  // The search keeps the candidate with the largest Σ m_b (the first on ties).
  const candidates = Array.from({ length: 6 }, (_, k) => permutation(s.rows, createRng(9, 'test', k)));
  const best = bestPermutation(w, f, candidates, s);
  assert.ok(best);
  const sums = candidates.map((p) => biMaskBackward(w, f, p, s).reduce((a, v) => a + v, 0));
  assert.equal(best.perm, candidates[sums.indexOf(Math.max(...sums))]);
});

test('N = M: both masks are all ones (dense backprop)', () => {
  const s = { rows: 4, cols: 8, n: 4, m: 4 };
  const w = randomWeight(s.rows, s.cols, 1);
  const f = biMaskForward(w, s);
  assert.ok(f.every((v) => v === 1));
  assert.ok(biMaskBackward(w, f, [2, 0, 3, 1], s).every((v) => v === 1));
});

test('the layer input gradient is g·(W⊙m_b): entries outside m_b contribute nothing; the weight gradient stays dense', () => {
  const g = new GraphBuilder();
  const x = g.input('x', [3, 4], 'float64');
  const w = g.input('w', [4, 4], 'float64');
  const mf = g.input('mf', [4, 4], 'float64');
  const mb = g.input('mb', [4, 4], 'float64');
  const ones = g.input('ones', [4, 4], 'float64');
  const coef = g.input('coef', [3, 4], 'float64');
  const seen = withBackwardMask(maskedWeight(w, { mask: mf, keep: ones }), w, mf, mb);
  const y = inputGradient(matmul(x, transpose(seen)), x, seen);
  const loss = reduceSum(mul(y, coef), [], false);
  const [gx, gw] = grad(loss, [x, w]);
  assert.ok(gx && gw);
  const W = [0.5, -1, 2, 0.25, 1.5, 0.1, -0.3, 0.7, -2, 0.4, 0.9, -0.6, 0.8, -0.2, 0.3, 1.1];
  const MF = [1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1];
  const MB = [1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0];
  const X = [0.3, -0.2, 0.5, 1, -1, 0.4, 0.2, 0.6, 0.7, -0.5, 0.1, -0.3];
  const C = [1, -2, 0.5, 0.3, 0.2, 1, -1, 0.4, -0.5, 0.6, 0.9, -0.1];
  const [ys, gxs, gws] = interpret([y, gx, gw], { x: tensor([3, 4], X), w: tensor([4, 4], W), mf: tensor([4, 4], MF), mb: tensor([4, 4], MB), ones: tensor([4, 4], new Array(16).fill(1)), coef: tensor([3, 4], C) });
  // Forward with W⊙m_f; g_x = C·(W⊙m_b); g_W = Cᵀ·x (dense, straight through).
  const at = (a: readonly number[], r: number, c: number, cols: number) => a[r * cols + c] ?? 0;
  for (let b = 0; b < 3; b++) {
    for (let o = 0; o < 4; o++) {
      let v = 0;
      for (let i = 0; i < 4; i++) v += at(X, b, i, 4) * at(W, o, i, 4) * at(MF, o, i, 4);
      assert.ok(Math.abs((ys?.data[b * 4 + o] ?? NaN) - v) < 1e-12);
    }
    for (let i = 0; i < 4; i++) {
      let v = 0;
      for (let o = 0; o < 4; o++) v += at(C, b, o, 4) * at(W, o, i, 4) * at(MB, o, i, 4);
      assert.ok(Math.abs((gxs?.data[b * 4 + i] ?? NaN) - v) < 1e-12, `g_x[${b}, ${i}]`);
    }
  }
  for (let o = 0; o < 4; o++) {
    for (let i = 0; i < 4; i++) {
      let v = 0;
      for (let b = 0; b < 3; b++) v += at(C, b, o, 4) * at(X, b, i, 4);
      assert.ok(Math.abs((gws?.data[o * 4 + i] ?? NaN) - v) < 1e-12, `g_W[${o}, ${i}]`);
    }
  }
});

const REL_FLOAT32 = 2e-6;
const REL_FLOAT64 = 1e-5;
const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  test(`${b.name}, float32: PyTorch reference bimask (fc1 and fc2 2:4, search every 5 steps over 4 candidates) within ${REL_FLOAT32}`, { skip: b.skip }, async (t) => {
    const ref = readPruneReference('bimask.json');
    const s = ref.settings;
    const num = (k: string) => Number(s[k]);
    const nm: BiMaskPlan = { kind: 'bimask', every: num('every'), candidates: num('candidates'), decay: num('decay'), seed: 0 };
    const plan: PrunePlan = { targets: [0, 2], method: 'magnitude', scope: 'global', pattern: { n: num('n'), m: num('m') }, sparsity: 0.5, schedule: { kind: 'oneshot' }, from: 0, to: Number.POSITIVE_INFINITY, decay: nm.decay, nm };
    const draws = [...(ref.permutationCandidates ?? [])];
    const source: PermutationSource = (_t, rows) => {
      const next = draws.shift();
      assert.ok(next && next.every((p) => p.length === rows));
      return next;
    };
    const pruning = biMaskTraining(plan, nm, referenceMlp(ref.net).params, source);
    const backend = await openBackend({ kind: b.name, threads: 1 });
    const steps = await replayPruning(ref, backend, {
      pruning,
      optimizer: { name: 'sgd', hp: { lr: num('lr'), momentum: num('momentum'), dampening: 0, nesterov: false, weight_decay: num('weight_decay') } },
      lr: num('lr'),
      spec: { prune: { params: [0, 2], decay: nm.decay, backwardMask: [0, 2] } },
      maskParam: 2,
    });
    assert.equal(draws.length, 0, 'every search drew its candidates');
    steps.forEach((st, k) => {
      assert.deepEqual([...st.mask], ref.trajectoryFloat32[k]?.mask, `forward mask at step ${k + 1}`);
      assert.deepEqual([...(st.backwardMask ?? [])], ref.trajectoryFloat32[k]?.backwardMask, `backward mask at step ${k + 1}`);
    });
    assert.ok(steps.some((st) => st.backwardMask?.some((v, i) => v !== st.mask[i])), 'the backward mask differs from the forward one');
    const w32 = worstRelativeError(steps, ref.trajectoryFloat32);
    const w64 = worstRelativeError(steps, ref.trajectory);
    t.diagnostic(`worst relative error: ${w32.error.toExponential(3)} against torch float32 (${w32.where}), ${w64.error.toExponential(3)} against float64`);
    assert.ok(w32.error <= REL_FLOAT32, `${w32.where}: ${w32.error}`);
    assert.ok(w64.error <= REL_FLOAT64, `${w64.where}: ${w64.error}`);
  });
}

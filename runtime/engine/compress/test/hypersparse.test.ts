import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, grad, interpret, tensor } from '../../../compiler';
import { hyperSparse, hyperSparseScale } from '../../../compiler/compress/hypersparse';
import { openBackend } from '../../backend';
import { createRng } from '../../data';
import { hyperSparseWeight } from '../../passes/hypersparse-pass';
import { createArt } from '../art';
import type { PrunePlan } from '../prune-plan';
import { referenceMlp, readPruneReference, replayPruning, worstRelativeError } from '../../../testing/prune-reference';
import { scalar } from '../../tensors';
import { CPU_BACKENDS } from '../../../testing/backends';

// hypersparse and art (catalog A50): HS's value and gradient against the closed form, its limits,
// the α schedule, ART's buffer and termination, and the train step with α·HS replayed against
// PyTorch (test-fixtures/reference/prune/generate.py) in float32.

const weights = (seed: number, sizes: readonly number[]) => {
  const rng = createRng(seed, 'test', 0);
  return sizes.map((n) => Float64Array.from({ length: n }, () => rng.normal() * 0.3));
};

function hsGraph(sizes: readonly number[]) {
  const g = new GraphBuilder();
  const ws = sizes.map((n, i) => g.input(`w${i}`, [n], 'float64'));
  const s = g.input('s', [], 'float64');
  const hs = hyperSparse(ws, s);
  const grads = grad(hs, ws);
  return { hs, grads, run: (w: readonly Float64Array[], sv: number) => interpret([hs, ...grads.map((x) => { assert.ok(x); return x; })], { ...Object.fromEntries(w.map((v, i) => [`w${i}`, tensor([v.length], [...v])])), s: tensor([], [sv]) }) };
}

test('HS ≈ 0 (|HS| ≤ 1e-5·Σ|w|) and its autodiff gradient is sign(w)·s·sech²(s|w|)·Σ|w|/Σtanh(s|w|)', () => {
  const sizes = [40, 24];
  const w = weights(1, sizes);
  const s = hyperSparseScale(w, 0.9);
  assert.ok(s !== undefined);
  const [hs, ...gs] = hsGraph(sizes).run(w, s);
  const all = w.flatMap((v) => [...v]);
  const l1 = all.reduce((a, v) => a + Math.abs(v), 0);
  const t = all.reduce((a, v) => a + Math.tanh(s * Math.abs(v)), 0);
  assert.ok(Math.abs(hs?.data[0] ?? NaN) <= 1e-5 * l1, `HS = ${hs?.data[0]}`);
  w.forEach((v, i) => v.forEach((x, k) => {
    const closed = Math.sign(x) * s * (1 - Math.tanh(s * Math.abs(x)) ** 2) * (l1 / t);
    assert.ok(Math.abs((gs[i]?.data[k] ?? NaN) - closed) <= 1e-12 * Math.max(1, Math.abs(closed)), `w${i}[${k}]`);
  }));
});

test('the gradient vanishes for |w| ≫ 1/s and tends to s·Σ|w|/Σtanh for |w| → 0', () => {
  const w = [Float64Array.from([1e-9, -1e-9, 0.5, -0.4, 0.3, 40, -50, 0.2])];
  const s = 2;
  const [, g] = hsGraph([8]).run(w, s);
  const all = [...(w[0] ?? [])];
  const limit = s * all.reduce((a, v) => a + Math.abs(v), 0) / all.reduce((a, v) => a + Math.tanh(s * Math.abs(v)), 0);
  assert.ok(Math.abs((g?.data[0] ?? 0) - limit) <= 1e-9 * limit);
  assert.ok(Math.abs((g?.data[1] ?? 0) + limit) <= 1e-9 * limit, 'sign(w) for negative weights');
  assert.ok(Math.abs(g?.data[5] ?? 1) < 1e-30 && Math.abs(g?.data[6] ?? 1) < 1e-30);
});

test('s = 0.6585/|w|_(κ) with |w|_(κ) = sorted|w|[⌊κN⌋] over all weights; undefined when that is 0; α = λ·η^e', () => {
  assert.equal(hyperSparseScale([Float32Array.from([0.1, -0.4]), Float32Array.from([0.2, 0.3, -0.5])], 0.5), Math.fround(Math.fround(0.6585) / Math.fround(0.3)));
  assert.equal(hyperSparseScale([Float32Array.from([0, 0, 0, 1])], 0.5), undefined);
  assert.equal(hyperSparseWeight(5e-6, 1.05, 0), 5e-6);
  assert.equal(hyperSparseWeight(2, 1.5, 2), 4.5);
});

const artPlan = (buffer: number, to = Number.POSITIVE_INFINITY): PrunePlan & { art: { buffer: number } } => ({
  targets: [0], method: 'magnitude', scope: 'global', sparsity: 0.5, schedule: { kind: 'oneshot' }, from: 10, to, decay: 0, art: { buffer },
});

test('ART: the middle of the last 2b + 1 epochs becomes the best when their mean beats it; it ends when that mean beats the dense accuracy', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const art = createArt(artPlan(1), infos, 10);
  assert.equal(art.startEpoch, 1);
  assert.equal(art.active(9), false);
  assert.equal(art.active(10), true);
  const w = [Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  const pruned = art.prunedCopy(w);
  assert.equal(pruned.weights[0]?.filter((v) => v === 0).length, 32, '⌊0.5·64⌋ zeros');
  assert.deepEqual([...(pruned.weights[1] ?? [])], [...(w[1] ?? [])], 'other parameters copied');
  // Epoch 1: buffer [0.5]: mean 0.5 > 0 ⇒ best = epoch 1 (the only, middle clamped); 0.5 < dense 0.9.
  assert.deepEqual(art.epochEnd(1, pruned, 0.5, 0.9), { terminated: false, best: 1 });
  // Epoch 2: buffer [0.5, 0.7]: mean 0.6 > 0.5 ⇒ best = middle (index 1: epoch 2).
  assert.deepEqual(art.epochEnd(2, pruned, 0.7, 0.9), { terminated: false, best: 2 });
  // Epoch 3: [0.5, 0.7, 0.9]: mean 0.7 ≤ best's 0.7 ⇒ best stays epoch 2.
  assert.deepEqual(art.epochEnd(3, pruned, 0.9, 0.9), { terminated: false, best: 2 });
  // Epoch 4: [0.7, 0.9, 1.0]: mean 0.8667 > 0.7 ⇒ best = epoch 3 (the middle), its mean > dense 0.85 ⇒ ART ends.
  assert.deepEqual(art.epochEnd(4, pruned, 1.0, 0.85), { terminated: true, best: 3 });
  // It ends at the next epoch's first step: the best pruned model is uploaded once, its mask held.
  assert.equal(art.active(49), true);
  assert.equal(art.active(50), false);
  assert.equal(art.needsWeights(50), true);
  assert.match(art.beforeStep(50, w)[0] ?? '', /finished at step 50: ART ended, the pruned model of epoch 4 kept \(sparsity 50\.0%/);
  const replaced = art.replacement(50);
  assert.ok(replaced && replaced.size === 4);
  assert.equal(art.replacement(51), undefined);
  const m = art.masksOf(0);
  assert.ok(m && m.mask === m.keep && m.mask.filter((v) => v === 0).length === 32);
});

test('ART reaches `to` without ending: the best so far is kept (or the current weights pruned)', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const art = createArt(artPlan(1, 30), infos, 10);
  const w = [Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  assert.equal(art.needsWeights(29), false);
  assert.match(art.beforeStep(30, w)[0] ?? '', /reached `to`, the pruned model of this step kept/);
  assert.ok(art.replacement(30));
});

const REL_FLOAT32 = 2e-6;
const REL_FLOAT64 = 1e-5;
const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  test(`${b.name}, float32: PyTorch reference hypersparse (α·HS over both weights, α = λ·η^epoch) within ${REL_FLOAT32}`, { skip: b.skip }, async (t) => {
    const ref = readPruneReference('hypersparse.json');
    const s = ref.settings;
    const num = (k: string) => Number(s[k]);
    const backend = await openBackend({ kind: b.name, threads: 1 });
    const steps = await replayPruning(ref, backend, {
      feeds: (step, params) => ({
        hypersparse_scale: scalar(hyperSparseScale([params[0] ?? [], params[2] ?? []], num('kappa')) ?? 1),
        hypersparse_weight: scalar(hyperSparseWeight(num('lambda'), num('eta'), Math.floor(step / num('stepsPerEpoch')))),
      }),
      optimizer: { name: 'sgd', hp: { lr: num('lr'), momentum: num('momentum'), dampening: 0, nesterov: false, weight_decay: num('weight_decay') } },
      lr: num('lr'),
      spec: { hypersparse: { params: [0, 2] } },
    });
    steps.forEach((st, k) => assert.ok(Math.abs(st.loss - (ref.trajectoryFloat32[k]?.loss ?? NaN)) <= 1e-5, `loss at step ${k + 1}`));
    const w32 = worstRelativeError(steps, ref.trajectoryFloat32);
    const w64 = worstRelativeError(steps, ref.trajectory);
    t.diagnostic(`worst relative error: ${w32.error.toExponential(3)} against torch float32 (${w32.where}), ${w64.error.toExponential(3)} against float64`);
    assert.ok(w32.error <= REL_FLOAT32, `${w32.where}: ${w32.error}`);
    assert.ok(w64.error <= REL_FLOAT64, `${w64.where}: ${w64.error}`);
  });
}

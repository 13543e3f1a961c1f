import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openBackend } from '../../backend';
import { createRng } from '../../data';
import { createNmTraining } from '../nm-training';
import type { PrunePlan } from '../prune-plan';
import { isTransposable24, transposableMask, TRANSPOSABLE_PATTERNS } from '../transposable-mask';
import { referenceMlp, readPruneReference, replayPruning, worstRelativeError } from '../../../testing/prune-reference';
import { createFlipRate } from '../../passes/flip-rate';
import { CPU_BACKENDS } from '../../../testing/backends';

// transposable (catalog A46): the 90 patterns, the mask's oracles (row and column sums 2 in every
// 4×4 block, the largest Σ|w|), the flip rate, and the train step with masked decay after
// clipping replayed against PyTorch (test-fixtures/reference/prune/generate.py) in float32.

test('there are 90 transposable 4×4 patterns, each with row and column sums 2, in the official table order', () => {
  assert.equal(TRANSPOSABLE_PATTERNS.length, 90);
  assert.deepEqual(TRANSPOSABLE_PATTERNS[0], [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  assert.deepEqual(TRANSPOSABLE_PATTERNS[1], [1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1]);
  assert.deepEqual(TRANSPOSABLE_PATTERNS[89], [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0]);
  for (const p of TRANSPOSABLE_PATTERNS) assert.ok(isTransposable24(p, 4, 4));
  assert.equal(new Set(TRANSPOSABLE_PATTERNS.map((p) => p.join(''))).size, 90);
});

test('the transposable mask keeps 2 per row and column of every 4×4 block, with the largest Σ|w| of all 90 patterns', () => {
  const rng = createRng(7, 'test', 0);
  const rows = 8;
  const cols = 12;
  const w = Float32Array.from({ length: rows * cols }, () => rng.uniform() * 2 - 1);
  const mask = transposableMask(w, rows, cols);
  assert.ok(isTransposable24(mask, rows, cols));
  for (let r = 0; r < rows; r += 4) {
    for (let c = 0; c < cols; c += 4) {
      const score = (p: readonly number[]) => p.reduce((s, v, e) => s + v * Math.abs(w[(r + Math.floor(e / 4)) * cols + c + (e % 4)] ?? 0), 0);
      const chosen = score(Array.from({ length: 16 }, (_, e) => mask[(r + Math.floor(e / 4)) * cols + c + (e % 4)] ?? 0));
      const best = Math.max(...TRANSPOSABLE_PATTERNS.map(score));
      assert.equal(chosen, best, `block (${r}, ${c})`);
    }
  }
  // A block whose largest entries already form a transposable pattern keeps exactly them.
  const diag = Float32Array.from([9, 8, 0, 0, 0, 9, 8, 0, 0, 0, 9, 8, 8, 0, 0, 9]);
  assert.deepEqual([...transposableMask(diag, 4, 4)], [1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1]);
  assert.throws(() => transposableMask(new Float32Array(12), 3, 4), /4×4 blocks/);
});

const plan = (o: { every: number; to: number; decay: number; finish: 'fixed' | 'dense'; from?: number }): PrunePlan & { nm: NonNullable<PrunePlan['nm']> } => ({
  targets: [0], method: 'magnitude', scope: 'global', pattern: { n: 2, m: 4 }, sparsity: 0.5, schedule: { kind: 'oneshot' }, from: o.from ?? 0, to: o.to, decay: o.decay,
  nm: { kind: 'transposable', every: o.every, decay: o.decay, finish: o.finish },
});

test('masks are recomputed every `every` steps from `from`; keep is 1 until `to`, then the mask is fixed (or dropped with finish: dense)', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const w = (seed: number) => [Float32Array.from({ length: 64 }, (_, i) => Math.sin(seed * 31 + i * 1.7)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  const p = createNmTraining(plan({ every: 3, to: 7, decay: 0.01, finish: 'fixed', from: 1 }), infos);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => p.needsWeights(t)), [false, true, false, false, true, false, false, true, true]);
  assert.equal(p.beforeStep(0, w(0)).length, 0);
  assert.ok(p.masksOf(0)?.mask.every((v) => v === 1));
  assert.match(p.beforeStep(1, w(1))[0] ?? '', /^started \(transposable 2:4/);
  const m1 = p.masksOf(0);
  assert.ok(m1 && isTransposable24(m1.mask, 8, 8) && m1.keep.every((v) => v === 1));
  p.beforeStep(4, w(2));
  const m4 = p.masksOf(0)?.mask;
  assert.ok(m4 && m4 !== m1.mask && isTransposable24(m4, 8, 8));
  assert.match(p.beforeStep(7, w(3))[0] ?? '', /^finished: transposable 2:4 mask fixed, sparsity 50.0%/);
  const fixed = p.masksOf(0);
  assert.ok(fixed && fixed.mask === m4 && fixed.keep === m4, 'the last learned mask is fixed and held');
  assert.equal(p.needsWeights(8), false);
  const dense = createNmTraining(plan({ every: 3, to: 4, decay: 0.01, finish: 'dense' }), infos);
  dense.beforeStep(0, w(0));
  assert.match(dense.beforeStep(4, w(1))[0] ?? '', /training continues dense/);
  assert.ok(dense.masksOf(0)?.mask.every((v) => v === 1) && dense.masksOf(0)?.keep.every((v) => v === 1));
});

test('flip rate: ‖m_t − m_{t−1}‖₁ / D per update, in [0, 1], 0 for a static mask, averaged over the epoch', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const p = createNmTraining(plan({ every: 1, to: 100, decay: 0, finish: 'fixed' }), infos);
  const flips = createFlipRate(p, infos);
  const a = [Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  const b = [Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * 2.3)), ...a.slice(1)];
  p.beforeStep(0, a);
  flips.record();
  p.beforeStep(1, a);
  flips.record();
  assert.deepEqual(flips.epoch(), { flip_rate: 0, 'flip_rate/fc1': 0 });
  const before = p.masksOf(0)?.mask.slice() ?? new Float32Array();
  p.beforeStep(2, b);
  flips.record();
  const after = p.masksOf(0)?.mask ?? new Float32Array();
  const expected = before.reduce((s, v, i) => s + Math.abs(v - (after[i] ?? 0)), 0) / 64;
  assert.ok(expected > 0 && expected <= 1);
  p.beforeStep(3, b);
  flips.record();
  const r = flips.epoch();
  assert.equal(r['flip_rate'], expected / 2, 'the mean of one flip and one static update');
  assert.equal(r['flip_rate/fc1'], expected / 2);
  assert.deepEqual(flips.epoch(), { flip_rate: 0, 'flip_rate/fc1': 0 }, 'an epoch without updates');
});

/** float32 against torch float32 (the same inputs, rounded the same way); the bound. */
const REL_FLOAT32 = 2e-6;
/** float32 against torch float64, through 20 steps. */
const REL_FLOAT64 = 1e-5;

const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  test(`${b.name}, float32: PyTorch reference transposable-2by4 (masks every 5 steps, masked decay after clipping, dense from step 15) within ${REL_FLOAT32}`, { skip: b.skip }, async (t) => {
    const ref = readPruneReference('transposable-2by4.json');
    const s = ref.settings;
    const num = (k: string) => Number(s[k]);
    const infos = referenceMlp(ref.net).params;
    const pruning = createNmTraining(plan({ every: num('every'), to: num('to'), decay: num('decay'), finish: s['finish'] === 'dense' ? 'dense' : 'fixed' }), infos);
    const backend = await openBackend({ kind: b.name, threads: 1 });
    const steps = await replayPruning(ref, backend, {
      pruning,
      optimizer: { name: 'sgd', hp: { lr: num('lr'), momentum: num('momentum'), dampening: 0, nesterov: false, weight_decay: 0 } },
      lr: num('lr'),
      spec: { prune: { params: [0], decay: num('decay'), decayAfterClip: true }, gradClip: num('gradClip') },
    });
    // The same masks as torch at every step (they change at steps 5 and 10).
    steps.forEach((st, k) => assert.deepEqual([...st.mask], ref.trajectoryFloat32[k]?.mask, `mask at step ${k + 1}`));
    for (const st of steps.slice(0, num('to'))) assert.ok(isTransposable24(st.mask, 8, 8));
    const w32 = worstRelativeError(steps, ref.trajectoryFloat32);
    const w64 = worstRelativeError(steps, ref.trajectory);
    t.diagnostic(`worst relative error: ${w32.error.toExponential(3)} against torch float32 (${w32.where}), ${w64.error.toExponential(3)} against float64`);
    assert.ok(w32.error <= REL_FLOAT32, `${w32.where}: ${w32.error}`);
    assert.ok(w64.error <= REL_FLOAT64, `${w64.where}: ${w64.error}`);
  });
}

test('α = 0 is a no-op: the step with masked decay 0 equals plain straight-through 2:4 training, bit for bit', async () => {
  const ref = readPruneReference('transposable-2by4.json');
  const infos = referenceMlp(ref.net).params;
  const backend = await openBackend({ kind: 'wasm', threads: 1 });
  const run = (decayAfterClip: boolean) =>
    replayPruning(ref, backend, {
      pruning: createNmTraining(plan({ every: 5, to: 15, decay: 0, finish: 'dense' }), infos),
      optimizer: { name: 'sgd', hp: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 } },
      lr: 0.5,
      spec: { prune: { params: [0], decay: 0, ...(decayAfterClip ? { decayAfterClip: true } : {}) }, gradClip: 1 },
    });
  const [a, b2] = [await run(true), await run(false)];
  a.forEach((s, k) => s.params.forEach((p, i) => assert.deepEqual([...p], [...(b2[k]?.params[i] ?? [])], `step ${k + 1} param ${i}`)));
});

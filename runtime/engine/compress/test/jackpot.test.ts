import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openBackend } from '../../backend';
import { createJackpot, layerRates, swapped } from '../jackpot';
import type { PrunePlan } from '../prune-plan';
import { referenceMlp, readPruneReference, replayPruning, worstRelativeError } from '../../../testing/prune-reference';
import { CPU_BACKENDS } from '../../../testing/backends';

// jackpot (catalog A48): the layer rates from one global threshold, the swap, the run's masks
// and scores, and the mask search replayed against PyTorch (test-fixtures/reference/prune/generate.py)
// in float32: scores within 2e-6, masks equal, the frozen weights untouched.

test('l1 layer rates: one global |w| threshold (the preserve-th largest), each layer prunes its share below it; uniform: the sparsity everywhere', () => {
  const a = Float32Array.from([0.1, -0.2, 0.3, 0.4]);
  const b = Float32Array.from([1, -2, 0.05, 3]);
  // 8 weights, sparsity 50%: keep 4, the 4th largest |w| is 0.4; below it: a has 3, b has 1.
  assert.deepEqual(layerRates([a, b], 0.5, 'l1'), [0.75, 0.25]);
  assert.deepEqual(layerRates([a, b], 0.5, 'uniform'), [0.5, 0.5]);
});

test('the swap: R (pruned, s > θ) and K (kept, s ≤ θ) of equal size change sides, the top ⌈|R|·rate⌉ of each; the kept count is constant', () => {
  // θ = 2nd smallest score = 0.3 (prune 2). R = {1 (0.9)}; K = {2 (0.3)}: one swap.
  const mask = Float32Array.from([0, 0, 1, 1, 1]);
  const s = [0.1, 0.9, 0.3, 0.5, 0.8];
  assert.deepEqual([...swapped(s, mask, 2, 1)], [0, 1, 0, 1, 1]);
  // R and K of different sizes (ties at θ = 0.2: K = {2, 3}, R = {1}): nothing moves.
  assert.deepEqual([...swapped([0.2, 0.9, 0.2, 0.2, 0.8], mask, 2, 1)], [...mask]);
  // Two to swap with rate 1: both; the kept count stays 3.
  const m2 = Float32Array.from([0, 0, 1, 1, 1]);
  const out = swapped([0.95, 0.9, 0.1, 0.2, 0.8], m2, 2, 1);
  assert.deepEqual([...out], [1, 1, 0, 0, 1]);
  assert.equal(out.reduce((a, v) => a + v, 0), 3);
  assert.deepEqual([...swapped(s, mask, 0, 1)], [...mask], 'a dense layer (prune 0) never swaps');
});

const plan = (sparsity: number, epochs: number): PrunePlan & { jackpot: { layerwise: 'l1'; epochs: number } } => ({
  targets: [0], method: 'magnitude', scope: 'global', sparsity, schedule: { kind: 'oneshot' }, from: 0, to: Number.POSITIVE_INFINITY, decay: 0, jackpot: { layerwise: 'l1', epochs },
});

test('a jackpot run: at the start the weights are frozen and the slots get scores 1 (kept) and 0.99 (pruned); the effective weights are W₀ ⊙ b', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }, [[], [], [], []]).params;
  const p = createJackpot(plan(0.5, 4), infos, 5);
  const w0 = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.7));
  assert.match(p.beforeStep(0, [w0])[0] ?? '', /^started \(lottery jackpots: weights frozen, scores searched; sparsity 50\.0%/);
  const scores = p.replacement?.(0)?.get(0);
  assert.ok(scores);
  const b = p.masksOf(0)?.mask;
  assert.ok(b);
  scores.forEach((v, i) => assert.equal(v, b[i] === 1 ? 1 : Math.fround(0.99)));
  assert.equal(p.replacement?.(1), undefined, 'uploaded once');
  assert.deepEqual([...(p.frozenWeightOf?.(0) ?? [])], [...w0]);
  const eff = p.effective([scores])[0] ?? new Float32Array();
  eff.forEach((v, i) => assert.equal(v, (w0[i] ?? 0) * (b[i] ?? 0)));
  assert.ok(p.masksOf(0)?.keep.every((v) => v === 1), 'the scores get the whole gradient');
});

const REL_FLOAT32 = 2e-6;
const REL_FLOAT64 = 1e-5;
const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  test(`${b.name}, float32: PyTorch reference jackpot (fc1 searched at 60% l1 sparsity, the rest frozen) within ${REL_FLOAT32}`, { skip: b.skip }, async (t) => {
    const ref = readPruneReference('jackpot.json');
    const s = ref.settings;
    const num = (k: string) => Number(s[k]);
    const infos = referenceMlp(ref.net, ref.init).params;
    const pruning = createJackpot(plan(num('sparsity'), num('epochs')), infos, num('stepsPerEpoch'));
    const backend = await openBackend({ kind: b.name, threads: 1 });
    const steps = await replayPruning(ref, backend, {
      pruning,
      optimizer: { name: 'sgd', hp: { lr: num('lr'), momentum: num('momentum'), dampening: 0, nesterov: false, weight_decay: num('weight_decay') } },
      lr: num('lr'),
      spec: { prune: { params: [0], decay: 0, scores: [0] } },
      frozenRest: true,
    });
    // The mask fed at step k + 1 is the one torch used at its step k + 1 (after the swap of step k).
    steps.forEach((st, k) => {
      const expected = k === 0 ? undefined : ref.trajectoryFloat32[k - 1]?.mask;
      if (expected) assert.deepEqual([...st.mask], expected, `mask at step ${k + 1}`);
      assert.equal(st.mask.reduce((a, v) => a + v, 0), 25, 'kept count constant');
    });
    assert.ok(steps.some((st, k) => k > 0 && st.mask.some((v, i) => v !== steps[k - 1]?.mask[i])), 'the search swaps');
    const w32 = worstRelativeError(steps, ref.trajectoryFloat32);
    const w64 = worstRelativeError(steps, ref.trajectory);
    t.diagnostic(`worst relative error of the scores: ${w32.error.toExponential(3)} against torch float32 (${w32.where}), ${w64.error.toExponential(3)} against float64`);
    assert.ok(w32.error <= REL_FLOAT32, `${w32.where}: ${w32.error}`);
    assert.ok(w64.error <= REL_FLOAT64, `${w64.where}: ${w64.error}`);
    // The frozen weights never move: the effective weights are W₀ ⊙ b.
    const last = steps[steps.length - 1];
    assert.ok(last);
    const eff = pruning.effective(last.params)[0] ?? new Float32Array();
    const w0 = Float32Array.from(ref.init[0] ?? []);
    eff.forEach((v, i) => assert.ok(v === 0 || v === w0[i], `weight ${i} changed`));
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanValue, TechniqueUse } from '../../../catalog';
import { openBackend } from '../../backend';
import { createNmTraining } from '../nm-training';
import { nmTrainingOf, pgfDecayFactor, structureFrames, type PgfPlan } from '../nm-training-plan';
import type { PrunePlan } from '../prune-plan';
import { nmConformance } from '../prune-masks';
import { referenceMlp, readPruneReference, replayPruning, worstRelativeError } from '../../../testing/prune-reference';
import { CPU_BACKENDS } from '../../../testing/backends';

// pgf (catalog A45): the decay factor and the structure-decay frames, the masks a run feeds, and
// the train step replayed against PyTorch (test-fixtures/reference/prune/generate.py) in float32.

const use = (args: Record<string, PlanValue>): TechniqueUse => ({ kind: 'technique', name: 'pgf', entryKind: 'prune_method', args });
const steps = (value: number): PlanValue => ({ kind: 'duration', value, unit: 'step' });

function pgfPlan(args: Record<string, PlanValue>, window: { from: number; end: number; n: number; m: number }): PrunePlan & { nm: PgfPlan } {
  const nm = nmTrainingOf(use(args), 10, { from: window.from, end: window.end, pattern: { n: window.n, m: window.m }, seed: 0 });
  assert.ok(nm && nm.kind === 'pgf');
  return { targets: [0], method: 'magnitude', scope: 'global', pattern: { n: window.n, m: window.m }, sparsity: 1 - window.n / window.m, schedule: { kind: 'oneshot' }, from: window.from, to: window.end, decay: 0, nm };
}

test('d_t: linear max(0, 1 − c·t) and exp e^(−c·t) start at 1 (dense forward at t = 0), never increase, and are 0 from the fine-tune on', () => {
  const linear = pgfPlan({ decay: 'linear', coef: 0.1, fine_tune: steps(5) }, { from: 0, end: 30, n: 2, m: 4 }).nm;
  const exp = pgfPlan({ decay: 'exp', coef: 0.1, fine_tune: steps(5) }, { from: 0, end: 30, n: 2, m: 4 }).nm;
  assert.equal(pgfDecayFactor(linear, 0), 1);
  assert.equal(pgfDecayFactor(exp, 0), 1);
  assert.equal(pgfDecayFactor(linear, 4), 1 - 0.1 * 4);
  assert.equal(pgfDecayFactor(exp, 4), Math.exp(-0.4));
  assert.equal(pgfDecayFactor(linear, 12), 0, 'clamped at 0 after 1/c steps');
  for (const p of [linear, exp]) {
    const ds = Array.from({ length: 30 }, (_, t) => pgfDecayFactor(p, t));
    ds.slice(1).forEach((d, t) => assert.ok(d <= (ds[t] ?? 0), `non-increasing at ${t + 1}`));
    assert.deepEqual(ds.slice(25), [0, 0, 0, 0, 0], 'binary from the fine-tune (the last 5 steps)');
  }
  const step = pgfPlan({ decay: 'step' }, { from: 0, end: 30, n: 2, m: 4 }).nm;
  assert.equal(pgfDecayFactor(step, 0), 0);
});

test('structure decay: log2(M/N) equal frames (M−1):M, M/2:M, … that end exactly at N:M when the fine-tune starts', () => {
  assert.deepEqual(structureFrames(10, 110, { n: 1, m: 8 }), [{ start: 10, n: 7, m: 8 }, { start: 43, n: 4, m: 8 }, { start: 76, n: 2, m: 8 }, { start: 110, n: 1, m: 8 }]);
  assert.deepEqual(structureFrames(0, 10, { n: 2, m: 4 }), [{ start: 0, n: 3, m: 4 }, { start: 10, n: 2, m: 4 }]);
  const plan = pgfPlan({ structure: true, fine_tune: steps(4) }, { from: 2, end: 20, n: 1, m: 4 });
  assert.deepEqual(plan.nm.frames.map((f) => [f.start, f.n]), [[2, 3], [9, 2], [16, 1]]);
  assert.equal(plan.nm.fineTuneFrom, 16);
  const last = plan.nm.frames[plan.nm.frames.length - 1];
  assert.deepEqual(last && [last.n, last.m], [1, 4]);
});

test('a pgf run: dense before `from`, m + (1 − m)·d_t with keep = 1 in the window, binary in the fine-tune, fixed and held at `to`', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const p = createNmTraining(pgfPlan({ decay: 'linear', coef: 0.1, fine_tune: steps(2) }, { from: 2, end: 8, n: 2, m: 4 }), infos);
  const w = [Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.3)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  assert.equal(p.needsWeights(1), false);
  assert.deepEqual(p.beforeStep(1, w), []);
  assert.ok(p.masksOf(0)?.mask.every((v) => v === 1));
  assert.match(p.beforeStep(2, w)[0] ?? '', /^started \(2:4, progressive gradient flow with linear decay, c = 0\.1\)/);
  const m2 = p.masksOf(0);
  assert.ok(m2);
  assert.deepEqual(new Set(m2.mask), new Set([1, Math.fround(1 - 0.2)]), 'pruned entries scaled by d_2 = 0.8');
  assert.ok(m2.keep.every((v) => v === 1), 'dense straight-through gradient');
  const binary = p.structure?.(0);
  assert.ok(binary);
  assert.equal(nmConformance(binary, 8, 2, 4), 1);
  p.beforeStep(5, w);
  const d5 = new Set(p.masksOf(0)?.mask);
  assert.deepEqual(d5, new Set([1, Math.fround(0.5)]));
  assert.deepEqual(p.beforeStep(6, w), ['fine-tune: binary 2:4 mask']);
  assert.deepEqual(new Set(p.masksOf(0)?.mask), new Set([0, 1]), 'binary from the fine-tune');
  assert.match(p.beforeStep(8, w)[0] ?? '', /^finished: 2:4 mask fixed/);
  const fixed = p.masksOf(0);
  assert.ok(fixed && fixed.keep === fixed.mask, 'held at zero after `to`');
  assert.equal(p.needsWeights(9), false);
});

test('linear decay with c = 0 before the fine-tune is dense training: the forward mask is all ones', () => {
  const infos = referenceMlp({ inputs: 8, hidden: 8, classes: 3 }).params;
  const p = createNmTraining(pgfPlan({ decay: 'linear', coef: 0, fine_tune: steps(2) }, { from: 0, end: 10, n: 2, m: 4 }), infos);
  const w = [Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)), new Float32Array(8), new Float32Array(24), new Float32Array(3)];
  for (let t = 0; t < 8; t++) {
    p.beforeStep(t, w);
    assert.ok(p.masksOf(0)?.mask.every((v) => v === 1), `step ${t}`);
  }
});

/** float32 against torch float32 (the same inputs, rounded the same way); the bound. */
const REL_FLOAT32 = 2e-6;
/** float32 against torch float64, through 20 steps. */
const REL_FLOAT64 = 1e-5;

const BACKENDS = CPU_BACKENDS;

for (const file of ['pgf-linear-structure.json', 'pgf-exp.json']) {
  for (const b of BACKENDS) {
    test(`${b.name}, float32: PyTorch reference ${file} within ${REL_FLOAT32}`, { skip: b.skip }, async (t) => {
      const ref = readPruneReference(file);
      const s = ref.settings;
      const num = (k: string) => Number(s[k]);
      const args: Record<string, PlanValue> = { decay: String(s['decay']), coef: num('coef'), structure: num('structure') === 1, fine_tune: steps(num('fineTune')) };
      const infos = referenceMlp(ref.net).params;
      const pruning = createNmTraining(pgfPlan(args, { from: num('from'), end: num('end'), n: num('n'), m: num('m') }), infos);
      const backend = await openBackend({ kind: b.name, threads: 1 });
      const name = String(s['opt_name']);
      const hp = name === 'adam' ? { lr: num('opt_lr'), beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, amsgrad: false } : { lr: num('opt_lr'), momentum: num('opt_momentum'), dampening: 0, nesterov: false, weight_decay: 0 };
      const replayed = await replayPruning(ref, backend, { pruning, optimizer: { name, hp }, lr: num('opt_lr'), spec: { prune: { params: [0], decay: 0 } } });
      replayed.forEach((st, k) => {
        const expected = ref.trajectoryFloat32[k]?.mask ?? [];
        st.mask.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] ?? NaN)) <= 1e-7, `mask at step ${k + 1}[${i}]: ${v} vs ${expected[i]}`));
      });
      const w32 = worstRelativeError(replayed, ref.trajectoryFloat32);
      const w64 = worstRelativeError(replayed, ref.trajectory);
      t.diagnostic(`worst relative error: ${w32.error.toExponential(3)} against torch float32 (${w32.where}), ${w64.error.toExponential(3)} against float64`);
      assert.ok(w32.error <= REL_FLOAT32, `${w32.where}: ${w32.error}`);
      assert.ok(w64.error <= REL_FLOAT64, `${w64.where}: ${w64.error}`);
    });
  }
}

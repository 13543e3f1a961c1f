// Learning-rate schedules (catalog schedules/*.ts, A23 oracles).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanValue, TechniqueUse } from '../../../catalog/schema';
import { learningRate } from '../schedule';

const ep = (value: number): PlanValue => ({ kind: 'duration', value, unit: 'ep' });
const steps = (value: number): PlanValue => ({ kind: 'duration', value, unit: 'step' });
const use = (name: string, args: Record<string, PlanValue>): TechniqueUse => ({ kind: 'technique', name, entryKind: 'schedule', args });
const ctx = { stepsPerEpoch: 10, totalSteps: 100 };
const lrs = (s: TechniqueUse): number[] => Array.from({ length: 101 }, (_, t) => learningRate(s, 0.5, t, ctx));

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12;

// Data-driven: schedule, then [step, expected lr] pairs (lr = 0.5).
const cases: [TechniqueUse, [number, number][]][] = [
  [use('constant', { warmup: ep(0) }), [[0, 0.5], [57, 0.5], [100, 0.5]]],
  [use('constant', { warmup: steps(4) }), [[0, 0], [1, 0.125], [3, 0.375], [4, 0.5], [99, 0.5]]],
  [use('warmup', { duration: ep(2) }), [[0, 0], [10, 0.25], [19, 0.475], [20, 0.5], [80, 0.5]]],
  [use('step', { every: ep(3), gamma: 0.1, warmup: ep(0) }), [[0, 0.5], [29, 0.5], [30, 0.05], [60, 0.005], [99, 0.0005]]],
  [use('multistep', { milestones: [ep(5), steps(75)], gamma: 0.5, warmup: ep(0) }), [[0, 0.5], [49, 0.5], [50, 0.25], [74, 0.25], [75, 0.125], [100, 0.125]]],
  [use('cosine', { warmup: ep(0), min_lr: 0.1 }), [[0, 0.5], [50, 0.5 * (0.1 + 0.9 * 0.5)], [100, 0.05]]],
  [use('cosine', { warmup: ep(2), min_lr: 0 }), [[0, 0], [10, 0.25], [20, 0.5], [60, 0.25], [100, 0]]],
  [use('linear', { warmup: steps(0), final: 0.2 }), [[0, 0.5], [50, 0.5 * 0.6], [100, 0.1]]],
  [use('linear', { warmup: steps(20), final: 0 }), [[10, 0.25], [20, 0.5], [60, 0.25], [100, 0]]],
];

for (const [s, points] of cases) {
  test(`schedule ${s.name} ${JSON.stringify(s.args)}`, () => {
    for (const [t, expected] of points) assert.ok(close(learningRate(s, 0.5, t, ctx), expected), `t = ${t}: ${learningRate(s, 0.5, t, ctx)} ≠ ${expected}`);
  });
}

test('every decaying schedule is positive before the end and non-increasing after its warmup', () => {
  for (const [s] of cases) {
    const w = s.args['warmup'] ?? s.args['duration'];
    const warm = typeof w === 'object' && w !== null && 'kind' in w && w.kind === 'duration' ? (w.unit === 'ep' ? w.value * 10 : w.value) : 0;
    const xs = lrs(s);
    xs.slice(warm, 100).forEach((v) => assert.ok(v > 0, `${s.name}: ${v}`));
    xs.slice(warm).forEach((v, i) => assert.ok(i === 0 || v <= (xs[warm + i - 1] ?? Infinity) + 1e-15, `${s.name} rises at ${warm + i}`));
  }
});

test('cosine: α(warmup end) = α_max and α(T) = α_min', () => {
  const s = use('cosine', { warmup: steps(7), min_lr: 0.03 });
  assert.equal(learningRate(s, 2, 7, ctx), 2);
  assert.ok(close(learningRate(s, 2, 100, ctx), 0.06));
});

// DeepZero's host side (passes/deepzero-pass.ts): the budget warning, and the masks and directions
// it feeds: distinct sorted coordinates of the right count, the same until `reshuffle` is over,
// then redrawn; fresh Gaussian directions every step; the same seed gives the same draws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TechniqueUse } from '../../catalog';
import type { ParamInfo } from '../../compiler/model/types';
import { deepzeroPass, ZO_BUDGET } from '../passes/deepzero-pass';
import type { Pass, PassSetup, StepBatch, StepContext } from '../passes';

const info = (name: string, shape: number[]): ParamInfo => ({ name, layer: 'fc', role: shape.length >= 2 ? 'weight' : 'bias', shape, compressible: shape.length >= 2, isNorm: false, init: { kind: 'zeros' } });
const use = (args: Record<string, unknown>): TechniqueUse => ({ kind: 'technique', name: 'deepzero', entryKind: 'wrapper', args: { estimator: 'cge', mu: 5e-3, queries: 4, sparsity: 0, reshuffle: { kind: 'duration', value: 2, unit: 'step' }, ...args } as TechniqueUse['args'] });
const params = [info('w', [8, 5]), info('b', [8])];

async function feeds(pass: Pass, t: number): Promise<Record<string, Float32Array>> {
  const ctx = { t, epoch: 0, lr: 0.1, phase: () => undefined } as unknown as StepContext;
  const out = await pass.feeds?.({} as StepBatch, ctx);
  return Object.fromEntries(Object.entries(out ?? {}).map(([k, v]) => [k, (v as { data: Float32Array }).data]));
}

async function created(u: TechniqueUse, seed = 1): Promise<Pass> {
  return deepzeroPass(u, params, seed, 10).create({} as PassSetup);
}

test('deepzero warns when a step needs more loss evaluations than the budget', () => {
  assert.deepEqual(deepzeroPass(use({}), params, 1, 10).warnings, []);
  const big = [info('w', [40, 30])];
  const w = deepzeroPass(use({}), big, 1, 10).warnings ?? [];
  assert.equal(w.length, 1);
  assert.match(w[0] ?? '', new RegExp(`1201 loss evaluations per step.*budget of ${ZO_BUDGET}`));
  assert.deepEqual(deepzeroPass(use({ sparsity: 0.5 }), big, 1, 10).warnings, []);
});

test('deepzero masks: distinct sorted coordinates, the same within reshuffle, redrawn after, seeded', async () => {
  const pass = await created(use({ sparsity: 0.75 }));
  const draws = [];
  for (let t = 0; t < 4; t++) draws.push((await feeds(pass, t))['wrapper_input.deepzero_coords:w']);
  const [a, b, c] = draws;
  assert.ok(a && b && c);
  assert.equal(a.length, 10);
  assert.ok(a.every((v, i) => Number.isInteger(v) && v >= 0 && v < 40 && (i === 0 || v > (a[i - 1] ?? -1))));
  assert.deepEqual(b, a);
  assert.notDeepEqual(c, a);
  assert.deepEqual((await feeds(await created(use({ sparsity: 0.75 })), 0))['wrapper_input.deepzero_coords:w'], a);
  assert.notDeepEqual((await feeds(await created(use({ sparsity: 0.75 }), 2), 0))['wrapper_input.deepzero_coords:w'], a);
});

test('deepzero rge: q Gaussian directions per tensor, fresh every step', async () => {
  const pass = await created(use({ estimator: 'rge', queries: 2 }));
  const f0 = await feeds(pass, 0);
  const f1 = await feeds(pass, 1);
  assert.deepEqual(Object.keys(f0).sort(), ['wrapper_input.rge_u0:b', 'wrapper_input.rge_u0:w', 'wrapper_input.rge_u1:b', 'wrapper_input.rge_u1:w']);
  assert.equal(f0['wrapper_input.rge_u1:w']?.length, 40);
  assert.notDeepEqual(f0['wrapper_input.rge_u0:w'], f1['wrapper_input.rge_u0:w']);
});

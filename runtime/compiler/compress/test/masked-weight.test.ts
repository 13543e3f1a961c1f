import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { isTechnique, type TechniqueUse } from '../../../catalog';
import { interpret, tensor, type Tensor } from '../..';
import { buildLoss } from '../../loss';
import { buildModel, initTensors, type ModelGraph } from '../../model';
import { hostScalarValues, OPTIMIZERS } from '../../optim';
import { buildTrainStep, type TrainStepGraph } from '../../step';
import { createRng } from '../../../engine/data';

// Pruning inside the train step (masked-weight.ts), run in the float64 reference interpreter.

const RECIPE = `recipe "p" { seed = 1 }
data moons(samples: 64) { batch = 8 }
model mlp {
  dense(8, act: tanh)
  dense(8, act: tanh)
  dense(2)
}
train {
  epochs = 1
  optimizer = sgd(lr: 0.1)
}
`;

interface Setup {
  readonly model: ModelGraph;
  readonly loss: TechniqueUse;
  readonly params: Float64Array[];
}

function setup(): Setup {
  const a = analyze(RECIPE);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const model = buildModel(a.recipe, { inputShape: [2] });
  const loss = a.recipe.blocks['train']?.attrs['loss'];
  assert.ok(isTechnique(loss));
  return { model, loss, params: initTensors(model, 1).params.map((p) => Float64Array.from(p)) };
}

function step(s: Setup, hp: Record<string, number | boolean>, prune?: { params: number[]; decay: number }): TrainStepGraph {
  const sgd = OPTIMIZERS.get('sgd');
  assert.ok(sgd);
  return buildTrainStep({
    model: s.model,
    loss: (g, out, y) => buildLoss(g, s.loss, out, y),
    optimizer: { builder: sgd, hp },
    targetWidth: 2,
    dtype: 'float64',
    ...(prune ? { prune } : {}),
  });
}

function batch(seed: number): Record<string, Tensor> {
  const rng = createRng(seed, 'batch', 0);
  const x = Array.from({ length: 16 }, () => rng.normal());
  const y = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? [1, 0] : [0, 1])).flat();
  return { x: tensor([8, 2], x), y: tensor([8, 2], y) };
}

/** Runs the step once; returns the outputs by name. */
function run(s: Setup, st: TrainStepGraph, params: readonly Float64Array[], state: ReadonlyMap<string, Float64Array>, extra: Record<string, Tensor>, t: number): Map<string, Float64Array> {
  const feeds: Record<string, Tensor> = { ...batch(t), lr: tensor([], [0.1]), step: tensor([], [t + 1]), ...extra };
  s.model.params.forEach((p, i) => (feeds[p.name] = tensor(p.shape, params[i] ?? [])));
  st.layout.state.forEach((specs, i) => specs.forEach((sp) => {
    const name = `${s.model.params[i]?.name}.${sp.name}`;
    feeds[name] = tensor(sp.shape, state.get(name) ?? new Float64Array(sp.shape.reduce((a, b) => a * b, 1)));
  }));
  for (const h of hostScalarValues(st.layout.hostScalars, () => t + 1)) feeds[h.input] = tensor([], [h.value]);
  const values = interpret(st.outputs.map((o) => o.value), feeds);
  return new Map(st.outputs.map((o, i) => [o.name, Float64Array.from(values[i]?.data ?? [])]));
}

function randomMask(n: number, seed: number): Float64Array {
  const rng = createRng(seed, 'mask', 0);
  return Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
}

test('pruned weights and their momentum stay exactly zero through steps with momentum and weight decay', () => {
  const s = setup();
  const target = s.model.params.findIndex((p) => p.name === 'dense_2.weight');
  const info = s.model.params[target];
  assert.ok(info);
  const st = step(s, { lr: 0.1, momentum: 0.9, weight_decay: 0.05, dampening: 0, nesterov: false }, { params: [target], decay: 0 });
  const mask = randomMask(info.shape.reduce((a, b) => a * b, 1), 3);
  const [entry] = st.layout.prune;
  assert.ok(entry);
  const maskFeeds = { [entry.mask]: tensor(info.shape, mask), [entry.keep]: tensor(info.shape, mask) };
  // The weights before the first step are dense: the step itself must zero the pruned entries.
  let params = s.params;
  let state = new Map<string, Float64Array>();
  for (let t = 0; t < 5; t++) {
    const out = run(s, st, params, state, maskFeeds, t);
    params = s.model.params.map((p) => out.get(`${p.name}.next`) ?? new Float64Array());
    state = new Map([...out].filter(([k]) => k.endsWith('.next') && !s.model.params.some((p) => `${p.name}.next` === k)).map(([k, v]) => [k.slice(0, -'.next'.length), v]));
    const w = params[target] ?? new Float64Array();
    const momentum = [...state].find(([k]) => k.startsWith(`${info.name}.`))?.[1];
    assert.ok(momentum, 'sgd with momentum keeps a buffer');
    mask.forEach((m, k) => {
      if (m === 0) {
        assert.ok(w[k] === 0, `weight ${k} after step ${t + 1}`);
        assert.ok(momentum[k] === 0, `momentum ${k} after step ${t + 1}`);
      }
    });
    // The kept weights still train.
    assert.ok(mask.some((m, k) => m === 1 && w[k] !== s.params[target]?.[k]));
  }
});

for (const decay of [0, 0.5]) {
  test(`SR-STE with decay ${decay}: the dense weights get ∇L(W⊙m) + λ(1 − m)⊙W (decay 0 is the plain STE)`, () => {
    const s = setup();
    const target = s.model.params.findIndex((p) => p.name === 'dense_2.weight');
    const info = s.model.params[target];
    assert.ok(info);
    const n = info.shape.reduce((a, b) => a * b, 1);
    const mask = randomMask(n, 5);
    const ones = new Float64Array(n).fill(1);
    const hp = { lr: 0.1, momentum: 0, weight_decay: 0, dampening: 0, nesterov: false };
    const ste = step(s, hp, { params: [target], decay });
    const [entry] = ste.layout.prune;
    assert.ok(entry);
    const out = run(s, ste, s.params, new Map(), { [entry.mask]: tensor(info.shape, mask), [entry.keep]: tensor(info.shape, ones) }, 0);
    // Reference: an unpruned step at W⊙m gives lr·∇L(W⊙m) as the change of the weights.
    const masked = s.params.map((p, i) => (i === target ? p.map((v, k) => v * (mask[k] ?? 0)) : p));
    const ref = run(s, step(s, hp), masked, new Map(), {}, 0);
    const w = s.params[target] ?? new Float64Array();
    const got = out.get(`${info.name}.next`) ?? new Float64Array();
    const want = ref.get(`${info.name}.next`) ?? new Float64Array();
    for (let k = 0; k < n; k++) {
      const grad = ((masked[target]?.[k] ?? 0) - (want[k] ?? 0)) / 0.1;
      const expected = (w[k] ?? 0) - 0.1 * (grad + decay * (1 - (mask[k] ?? 0)) * (w[k] ?? 0));
      assert.ok(Math.abs((got[k] ?? 0) - expected) < 1e-12, `entry ${k}: ${got[k]} vs ${expected}`);
    }
    // Dense gradient: pruned entries move too (the plain magnitude step would keep them at zero).
    assert.ok(mask.some((m, k) => m === 0 && got[k] !== w[k]));
  });
}

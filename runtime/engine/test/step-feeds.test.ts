// The host scalars of a train step: collected per step counter by buildTrainStep, computed by
// hostScalarFeeds from the counters' fed values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { isTechnique } from '../../catalog';
import { softmaxCrossEntropy } from '../../compiler';
import { buildModel } from '../../compiler/model';
import { OPTIMIZERS } from '../../compiler/optim';
import { buildTrainStep } from '../../compiler/step';
import { LSQ_STEP } from '../../compiler/compress/lsq';
import { hostScalarFeeds } from '../step-feeds';
import { scalar } from '../tensors';

const RECIPE = `recipe "h" { seed = 1 }
data moons(samples: 64) { batch = 8 }
model mlp {
  dense(8, act: tanh)
  dense(2)
}
train {
  epochs = 1
  optimizer = adam(lr: 0.01)
}
`;

function adamStep(lsq: boolean) {
  const a = analyze(RECIPE);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const opt = a.recipe.blocks['train']?.attrs['optimizer'];
  assert.ok(isTechnique(opt));
  const adam = OPTIMIZERS.get('adam');
  assert.ok(adam);
  return buildTrainStep({
    model: buildModel(a.recipe, { inputShape: [2] }),
    loss: (_g, out, y) => softmaxCrossEntropy(out, y),
    optimizer: { builder: adam, hp: opt.args },
    targetWidth: 2,
    dtype: 'float32',
    ...(lsq ? { qat: { params: [0], perChannel: true, qmin: -7, qmax: 7, estimator: 'lsq' as const } } : {}),
  });
}

test("Adam's bias corrections are host scalars, once for the weights and once for LSQ's step sizes, each on its own counter", () => {
  const step = adamStep(true);
  assert.deepEqual(step.layout.hostScalars.map((s) => [s.input, s.counter]), [
    ['step.adam_step_scale_0.9_0.999', 'step'],
    ['step.adam_eps_1e-8_0.999', 'step'],
    [`${LSQ_STEP}.adam_step_scale_0.9_0.999`, LSQ_STEP],
    [`${LSQ_STEP}.adam_eps_1e-8_0.999`, LSQ_STEP],
  ]);
  const inputs = new Set(step.graph.inputs.map((v) => (v.source.kind === 'input' ? v.source.name : '')));
  for (const s of step.layout.hostScalars) assert.ok(inputs.has(s.input), s.input);
  const feeds = hostScalarFeeds(step.layout, { step: scalar(7), [LSQ_STEP]: scalar(2) });
  assert.deepEqual(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.data[0]])), {
    'step.adam_step_scale_0.9_0.999': Math.fround(Math.sqrt(1 - 0.999 ** 7) / (1 - 0.9 ** 7)),
    'step.adam_eps_1e-8_0.999': Math.fround(1e-8 * Math.sqrt(1 - 0.999 ** 7)),
    [`${LSQ_STEP}.adam_step_scale_0.9_0.999`]: Math.fround(Math.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)),
    [`${LSQ_STEP}.adam_eps_1e-8_0.999`]: Math.fround(1e-8 * Math.sqrt(1 - 0.999 ** 2)),
  });
  for (const t of Object.values(feeds)) assert.deepEqual([t.dtype, t.shape], ['float32', []]);
});

test('hostScalarFeeds needs every counter fed from the host', () => {
  const step = adamStep(true);
  assert.throws(() => hostScalarFeeds(step.layout, { step: scalar(1) }), /lsq_step is not fed/);
  assert.deepEqual(hostScalarFeeds(adamStep(false).layout, { step: scalar(1) })['step.adam_step_scale_0.9_0.999']?.data, Float32Array.of(Math.fround(Math.sqrt(1 - 0.999) / (1 - 0.9))));
});

// Step-dependent scalars are host scalars (host-scalars.ts): no optimizer or wrapper computes
// with the step count in the graph, where the arithmetic would round to the graph's dtype.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { OPTIMIZERS, WRAPPERS } from '..';
import { hostScalarInputs, hostScalarValues, type HostScalar } from '../host-scalars';
import { buildStepGraph, mlp } from '../../../testing/optim-harness';
import { optimReferenceFiles, readOptimReference } from '../../../testing/optim-references';

/** What a step graph may do with the step count: exact comparisons and casts only. */
const EXACT_USES = new Set(['Equal', 'Cast']);

const cases = [
  ...optimReferenceFiles().map((f) => {
    const ref = readOptimReference(f);
    return { name: f, net: ref.net, optimizer: ref.optimizer, wrapper: ref.wrapper };
  }),
  {
    name: 'fsam over sgd',
    net: { inputs: 5, hidden: 6, classes: 3, rowNormalized: false },
    optimizer: { name: 'sgd', hp: { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 } },
    wrapper: { name: 'fsam', hp: { rho: 0.05, keep_ratio: 0.25, mask_every: 2 } },
  },
];

for (const c of cases) {
  test(`${c.name}: the step count is only compared or cast in the graph`, () => {
    const optimizer = OPTIMIZERS.get(c.optimizer.name);
    assert.ok(optimizer);
    const wrapper = c.wrapper ? WRAPPERS.get(c.wrapper.name) : undefined;
    const { g } = buildStepGraph({ net: mlp(c.net), batchSize: 4, optimizer: { builder: optimizer, hp: c.optimizer.hp }, ...(c.wrapper && wrapper ? { wrapper: { builder: wrapper, hp: c.wrapper.hp } } : {}) });
    const uses = g.nodes.filter((n) => n.inputs.some((v) => v.source.kind === 'input' && v.source.name === 'step')).map((n) => n.op.name);
    assert.deepEqual(uses.filter((op) => !EXACT_USES.has(op)), []);
  });
}

test('Adam, AdamW, AdamP and Grams take their bias corrections from the host, in double', () => {
  const expected: Record<string, Record<string, (t: number) => number>> = {
    adam: { 'step.adam_step_scale_0.9_0.999': (t) => Math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t), 'step.adam_eps_1e-8_0.999': (t) => 1e-8 * Math.sqrt(1 - 0.999 ** t) },
    grams: { 'step.bias_correction_0.9': (t) => 1 - 0.9 ** t, 'step.bias_correction_0.999': (t) => 1 - 0.999 ** t },
  };
  expected['adamw'] = expected['adam'] ?? {};
  expected['adamp'] = expected['adam'] ?? {};
  const hp = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, amsgrad: false, delta: 0.1, wd_ratio: 0.1, nesterov: false };
  for (const [name, want] of Object.entries(expected)) {
    const optimizer = OPTIMIZERS.get(name);
    assert.ok(optimizer);
    const { hostScalars } = buildStepGraph({ net: mlp({ inputs: 3, hidden: 4, classes: 2 }), batchSize: 2, optimizer: { builder: optimizer, hp } });
    assert.deepEqual(hostScalars.map((s) => s.input).sort(), Object.keys(want).sort(), name);
    for (const t of [1, 2, 20, 1000]) {
      for (const v of hostScalarValues(hostScalars, () => t)) assert.equal(v.value, want[v.input]?.(t), `${name} ${v.input} at step ${t}`);
    }
  }
  // The float32 rounding this avoids: 1 − 0.999 in float32 is 1.3e-5 relative too small.
  assert.ok(Math.abs(Math.fround(1 - Math.fround(0.999)) / (1 - 0.999) - 1) > 1e-5);
});

test('hostScalarInputs: one input per counter and key, recorded once', () => {
  const g = new GraphBuilder();
  const into: HostScalar[] = [];
  const main = hostScalarInputs(g, 'step', 'float32', into);
  const other = hostScalarInputs(g, 'lsq_step', 'float32', into);
  const a = main('k', (t) => t / 2);
  assert.equal(main('k', (t) => t / 2), a);
  const b = other('k', (t) => t / 2);
  assert.notEqual(b, a);
  assert.deepEqual(into.map((s) => [s.input, s.counter]), [['step.k', 'step'], ['lsq_step.k', 'lsq_step']]);
  assert.deepEqual(g.inputs.map((v) => (v.source.kind === 'input' ? [v.source.name, v.dtype, v.shape.length] : [])), [['step.k', 'float32', 0], ['lsq_step.k', 'float32', 0]]);
  assert.deepEqual(hostScalarValues(into, (c) => (c === 'step' ? 4 : 2)), [{ input: 'step.k', value: 2 }, { input: 'lsq_step.k', value: 1 }]);
});

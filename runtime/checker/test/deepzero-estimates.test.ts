// deepzero's estimates: a step is nnz + 1 forward passes (queries + 1 for rge), without backward
// passes, so its FLOPs are the forward FLOPs × batch × evaluations; the budget warning counts
// the same evaluations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../analysis';

const recipe = (optimizer: string, hidden = 8): string => `data moons(samples: 1000) {\n  batch = 64\n}\n\nmodel mlp {\n  dense(${hidden}, act: tanh)\n  dense(2)\n}\n\ntrain {\n  epochs = 1\n  optimizer = ${optimizer}\n}\n`;

test('deepzero cge: nnz + 1 forward passes a step in the estimates', () => {
  const e = analyze(recipe('deepzero(base: sgd(lr: 0.1))')).recipe?.estimates;
  assert.ok(e);
  // 2·8 + 8 + 8·2 + 2 = 42 parameters, all estimated.
  assert.equal(e.parameters, 42);
  assert.equal(e.passesPerStep, 43);
  assert.equal(e.flopsPerStep, e.flopsPerExample * 64 * 43);
  const sparse = analyze(recipe('deepzero(sparsity: 50%, base: sgd(lr: 0.1))')).recipe?.estimates;
  // The weights keep 8 of 16 and 8 of 16 coordinates; the biases (8 + 2) are always estimated.
  assert.equal(sparse?.passesPerStep, 8 + 8 + 8 + 2 + 1);
  assert.equal(analyze(recipe('deepzero(estimator: rge, queries: 10, base: sgd(lr: 0.1))')).recipe?.estimates?.passesPerStep, 11);
});

test('deepzero: the budget warning fires where the estimate passes 1,000 evaluations', () => {
  const warned = (hidden: number) => analyze(recipe('deepzero(base: sgd(lr: 0.1))', hidden)).diagnostics.some((d) => d.message.startsWith('deepzero evaluates the loss'));
  // 5h + 2 parameters for hidden width h, so 5h + 3 evaluations: 998 at h = 199, 1003 at h = 200.
  assert.equal(warned(199), false);
  assert.equal(warned(200), true);
});

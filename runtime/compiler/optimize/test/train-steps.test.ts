// Whole train steps, optimized and as built, evaluated by the float64 reference interpreter on the
// same feeds: every output (loss, logits, gradient norm, next parameters and state) agrees to
// 1e-12 relative, and the optimized graph has no more nodes (fewer where a rule applies). The recipes cover the forms the rules
// rewrite: SGD with momentum (Gemm accumulation, the Mul by 1 − dampening = 1), SAM (the merged
// gradient norm), Adam/AdamW, gradient clipping and L2, and the digits CNN's dense-form layers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { isTechnique } from '../../../catalog';
import { createRng } from '../../../engine/data';
import { nodesLeadingTo } from '../../grad';
import { interpret } from '../../interpret';
import type { Value } from '../../ir';
import { buildLoss } from '../../loss';
import { buildModel } from '../../model';
import { OPTIMIZERS, WRAPPERS } from '../../optim';
import { buildTrainStep, type TrainStepGraph } from '../../step';
import { type Tensor, tensor } from '../../tensor';
import { optimize } from '..';

const MLP = 'dense(6, act: relu)\n  dense(5, act: relu)\n  dense(10)';
const CNN = 'conv2d(4, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  conv2d(4, kernel: 3, pad: 1, act: relu)\n  flatten\n  dense(10)';

function recipe(layers: string, optimizer: string, extra = ''): string {
  const kind = layers.startsWith('conv2d') ? 'cnn' : 'mlp';
  return `recipe "t" {\n  seed = 1\n}\n\ndata digits {\n  batch = 8\n}\n\nmodel ${kind} {\n  ${layers}\n}\n\ntrain {\n  epochs = 1\n  loss = cross_entropy\n  optimizer = ${optimizer}\n${extra}}\n`;
}

function build(text: string, inputShape: readonly number[], options: { gradClip?: number; l2?: number } = {}): TrainStepGraph {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const opt = a.recipe.blocks['train']?.attrs['optimizer'];
  const loss = a.recipe.blocks['train']?.attrs['loss'];
  assert.ok(isTechnique(opt) && isTechnique(loss));
  const base = opt.entryKind === 'wrapper' ? opt.args['base'] : opt;
  assert.ok(isTechnique(base));
  const builder = OPTIMIZERS.get(base.name);
  assert.ok(builder);
  const wrapper = opt.entryKind === 'wrapper' ? WRAPPERS.get(opt.name) : undefined;
  return buildTrainStep({
    model: buildModel(a.recipe, { inputShape }),
    loss: (g, out, y) => buildLoss(g, loss, out, y),
    optimizer: { builder, hp: base.args },
    ...(wrapper ? { wrapper: { builder: wrapper, hp: opt.args } } : {}),
    targetWidth: 10,
    dtype: 'float64',
    ...(options.gradClip !== undefined ? { gradClip: options.gradClip } : {}),
    ...(options.l2 !== undefined ? { l2: options.l2 } : {}),
  });
}

/** Feeds for every input: a batch of 8, positive optimizer state (Adam's v is a square), step 3. */
function feedsFor(step: TrainStepGraph): Record<string, Tensor> {
  const rng = createRng(7, 'optimize', 'feeds');
  const feeds: Record<string, Tensor> = {};
  for (const v of step.graph.inputs) {
    if (v.source.kind !== 'input') continue;
    const name = v.source.name;
    const shape = v.shape.map((d) => (typeof d === 'number' ? d : 8));
    const n = shape.reduce((p, d) => p * d, 1);
    const data = new Float64Array(n);
    if (name === 'y') for (let r = 0; r < 8; r++) data[r * 10 + ((r * 3) % 10)] = 1;
    else if (name === 'lr') data[0] = 0.05;
    else if (name === 'step') data[0] = 3;
    else if (shape.length === 0) data[0] = 0.5 + 0.1 * Math.abs(rng.normal());
    else if (name.includes('.')) for (let i = 0; i < n; i++) data[i] = 0.1 * Math.abs(rng.normal());
    else for (let i = 0; i < n; i++) data[i] = (name === 'x' ? 1 : 0.3) * rng.normal();
    feeds[name] = tensor(shape, data);
  }
  return feeds;
}

function nodeCount(outputs: readonly { value: Value }[]): number {
  return nodesLeadingTo(...outputs.map((o) => o.value)).length;
}

function opCount(outputs: readonly { value: Value }[], op: string): number {
  return nodesLeadingTo(...outputs.map((o) => o.value)).filter((n) => n.op.name === op).length;
}

function assertSameOutputs(step: TrainStepGraph): { plain: number; optimized: number; step: TrainStepGraph; opt: ReturnType<typeof optimize<TrainStepGraph['outputs'][number]>> } {
  const opt = optimize(step.graph, step.outputs);
  assert.deepEqual(opt.graph.inputs.map((v) => (v.source.kind === 'input' ? v.source.name : '')), step.graph.inputs.map((v) => (v.source.kind === 'input' ? v.source.name : '')));
  assert.deepEqual(opt.outputs.map((o) => o.name), step.outputs.map((o) => o.name));
  const feeds = feedsFor(step);
  const before = interpret(step.outputs.map((o) => o.value), feeds);
  const after = interpret(opt.outputs.map((o) => o.value), feeds);
  before.forEach((t, i) => {
    const u = after[i];
    const name = step.outputs[i]?.name ?? '';
    assert.ok(u, name);
    assert.deepEqual(u.shape, t.shape, name);
    t.data.forEach((x, k) => {
      const y = u.data[k] ?? NaN;
      assert.ok(Number.isFinite(x), `${name}[${k}] is ${x}`);
      assert.ok(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x)), `${name}[${k}]: ${x} as built, ${y} optimized`);
    });
  });
  const plain = nodeCount(step.outputs);
  const optimized = nodeCount(opt.outputs);
  assert.ok(optimized <= plain, `${optimized} nodes optimized, ${plain} as built`);
  return { plain, optimized, step, opt };
}

test('SGD with momentum: the Mul by 1 − dampening goes; the gradients, read by the norm too, are not folded', () => {
  const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9)'), [64]));
  // The Mul by 1 − dampening = 1 is gone: per parameter, Mul(buf, μ) and Mul(·, lr) remain (6 params).
  assert.equal(opCount(opt.outputs, 'Mul'), opCount(step.outputs, 'Mul') - 6);
  assert.equal(opt.outputs.filter((o) => o.name.endsWith('.momentum.next') && o.value.source.kind === 'node' && o.value.source.node.op.name === 'Gemm').length, 0, 'the gradient norm still reads the gradients here');
});

test('SAM over SGD: one gradient norm for the report and the ascent; the second gradients fold into their Gemms', () => {
  const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), [64]));
  assert.equal(opCount(opt.outputs, 'ReduceSumSquare'), 6, 'one per parameter, for the first pass only');
  assert.equal(opCount(step.outputs, 'ReduceSumSquare'), 12);
  const folded = opt.outputs.filter((o) => o.name.endsWith('.weight.momentum.next') && o.value.source.kind === 'node' && o.value.source.node.op.name === 'Gemm');
  assert.equal(folded.length, 3, 'each weight gradient Gemm writes its momentum buffer');
});

test('SAM reports the gradient norm at the unperturbed weights (catalog: grad_norm)', () => {
  const step = build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), [64]);
  const plain = build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9)'), [64]);
  const feeds = feedsFor(plain);
  const norm = (s: TrainStepGraph) => interpret([s.outputs.find((o) => o.name === 'grad_norm')?.value].filter((v): v is Value => v !== undefined), feeds)[0]?.data[0];
  assert.equal(norm(step), norm(plain));
});

test('Adam, AdamW and AMSGrad steps', () => {
  assertSameOutputs(build(recipe(MLP, 'adam(lr: 1e-3, weight_decay: 0.01)'), [64]));
  assertSameOutputs(build(recipe(MLP, 'adamw(lr: 1e-3, weight_decay: 0.01, amsgrad: true)'), [64]));
});

test('gradient clipping and L2 regularization', () => {
  assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9, nesterov: true)'), [64], { gradClip: 0.5, l2: 1e-3 }));
  assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, adaptive: true, base: sgd(lr: 0.05, momentum: 0.5, dampening: 0.1))'), [64], { gradClip: 0.5 }));
});

test('the digits CNN (patch-GEMM with its pool, dense-form second convolution)', () => {
  const { plain, optimized } = assertSameOutputs(build(recipe(CNN, 'sgd(lr: 0.05)'), [1, 8, 8]));
  assert.ok(plain - optimized >= 1, `${plain} → ${optimized}: the bias gradient's Reshape chain is one Reshape`);
});

test('DeepZero (zeroth order) reports the norm of its estimate: no backward graph is emitted for it; DP-SAT reports its privatized gradient\'s norm', () => {
  const text = recipe(MLP, 'deepzero(base: sgd(lr: 0.05), estimator: rge, queries: 2)');
  const step = build(text, [64]);
  const wrapper = WRAPPERS.get('deepzero');
  assert.ok(wrapper?.ownGradients);
  const plain = buildTrainStep({ ...stepSpec(text, [64]), wrapper: { builder: { ...wrapper, ownGradients: false }, hp: wrapperHp(text) } });
  assert.ok(nodeCount(step.outputs) < nodeCount(plain.outputs), `${nodeCount(step.outputs)} nodes with the flag, ${nodeCount(plain.outputs)} with the backward graph of the first pass`);
  // No ReLU backward (Greater) in the zeroth-order step: only forward passes lead to its outputs.
  assert.equal(opCount(step.outputs, 'Greater'), 0);
  // DP-SAT: no backward graph in the step either (the host privatizes per-example gradients), so no un-noised norm is reported.
  const dp = build(recipe(MLP, 'dp_sat(base: sgd(lr: 0.05))'), [64]);
  assert.equal(opCount(dp.outputs, 'Greater'), 0);
});

function wrapperHp(text: string) {
  const opt = analyze(text).recipe?.blocks['train']?.attrs['optimizer'];
  assert.ok(isTechnique(opt));
  return opt.args;
}

function stepSpec(text: string, inputShape: readonly number[]) {
  const a = analyze(text);
  assert.ok(a.recipe);
  const opt = a.recipe.blocks['train']?.attrs['optimizer'];
  const loss = a.recipe.blocks['train']?.attrs['loss'];
  assert.ok(isTechnique(opt) && isTechnique(loss));
  const base = opt.args['base'];
  assert.ok(isTechnique(base));
  const builder = OPTIMIZERS.get(base.name);
  assert.ok(builder);
  return { model: buildModel(a.recipe, { inputShape }), loss: (g: Parameters<typeof buildLoss>[0], out: Value, y: Value) => buildLoss(g, loss, out, y), optimizer: { builder, hp: base.args }, targetWidth: 10, dtype: 'float64' as const };
}

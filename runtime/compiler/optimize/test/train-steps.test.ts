// Whole train steps, optimized and as built, evaluated by the float64 reference interpreter on the
// same feeds: every output (loss, logits, gradient norm, next parameters and state) agrees to
// 1e-12 relative, and the optimized graph has no more nodes (fewer where a rule applies). The
// recipes cover the forms the rules rewrite: plain SGD (the update folded into the weight
// gradient's Gemm), SGD with momentum (Gemm accumulation, the Mul by 1 − dampening = 1), with
// weight decay, dampening and Nesterov (forms the update rule must leave alone), each with and
// without the reported gradient norm; SAM (the merged gradient norm), Adam/AdamW, gradient
// clipping and L2, and the digits CNN's dense-form layers.

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

function build(text: string, inputShape: readonly number[], options: { gradClip?: number; l2?: number; gradNorm?: boolean } = {}): TrainStepGraph {
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
    ...(options.gradNorm !== undefined ? { gradNorm: options.gradNorm } : {}),
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

/** The optimized outputs named `…suffix` that a Gemm writes (an update or accumulation folded into it). */
function writtenByGemm(opt: { outputs: readonly { name: string; value: Value }[] }, suffix: string): number {
  return opt.outputs.filter((o) => o.name.endsWith(suffix) && o.value.source.kind === 'node' && o.value.source.node.op.name === 'Gemm').length;
}

for (const gradNorm of [false, true]) {
  const norm = gradNorm ? 'with grad_norm' : 'without grad_norm';

  test(`plain SGD ${norm}: the update w − lr·g is folded into each weight gradient's Gemm only when the norm does not read the gradient`, () => {
    const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05)'), [64], { gradNorm }));
    assert.equal(step.outputs.some((o) => o.name === 'grad_norm'), gradNorm);
    assert.equal(writtenByGemm(opt, '.weight.next'), gradNorm ? 0 : 3);
    // Folded: per weight, the Mul by lr scales the smaller operand (dY, [B, out]) and the Sub is gone.
    if (!gradNorm) assert.equal(opCount(opt.outputs, 'Sub'), opCount(step.outputs, 'Sub') - 3);
  });

  test(`SGD with momentum ${norm}: the Mul by 1 − dampening goes; the buffer μ·buf + g is written by the gradient's Gemm unless the norm reads g`, () => {
    const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9)'), [64], { gradNorm }));
    // The Mul by 1 − dampening = 1 is gone: per parameter, Mul(buf, μ) and Mul(·, lr) remain (6
    // params), and Mul(buf, μ) too becomes Gemm's β where the buffer is folded (3 weights).
    assert.equal(opCount(opt.outputs, 'Mul'), opCount(step.outputs, 'Mul') - 6 - (gradNorm ? 0 : 3));
    assert.equal(writtenByGemm(opt, '.momentum.next'), gradNorm ? 0 : 3);
    // The buffer is read by the state output and the update, so the update itself stays as built.
    assert.equal(writtenByGemm(opt, '.weight.next'), 0);
  });

  test(`SGD with weight decay, dampening or Nesterov ${norm}: equal values; the update is not folded`, () => {
    for (const sgd of ['sgd(lr: 0.05, weight_decay: 0.01)', 'sgd(lr: 0.05, momentum: 0.9, weight_decay: 0.01)', 'sgd(lr: 0.05, momentum: 0.9, dampening: 0.1)', 'sgd(lr: 0.05, momentum: 0.9, nesterov: true)']) {
      const { opt } = assertSameOutputs(build(recipe(MLP, sgd), [64], { gradNorm }));
      assert.equal(writtenByGemm(opt, '.weight.next'), 0, sgd);
    }
  });
}

test('SAM over SGD: one gradient norm for the report and the ascent; the second gradients fold into their Gemms', () => {
  const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), [64], { gradNorm: true }));
  assert.equal(opCount(opt.outputs, 'ReduceSumSquare'), 6, 'one per parameter, for the first pass only');
  assert.equal(opCount(step.outputs, 'ReduceSumSquare'), 12);
  assert.equal(writtenByGemm(opt, '.weight.momentum.next'), 3, 'each weight gradient Gemm writes its momentum buffer');
});

test('SAM without grad_norm keeps the norm its ascent needs and drops only the reported output', () => {
  const { step, opt } = assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), [64]));
  assert.equal(step.outputs.some((o) => o.name === 'grad_norm'), false);
  assert.equal(opCount(step.outputs, 'ReduceSumSquare'), 6, 'the ascent\'s norm of the first gradients');
  assert.equal(opCount(opt.outputs, 'ReduceSumSquare'), 6);
  assert.equal(writtenByGemm(opt, '.weight.momentum.next'), 3);
  // SAM over plain SGD: the update w − lr·g₂ is folded into the second gradients' Gemms.
  const plain = assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05))'), [64]));
  assert.equal(writtenByGemm(plain.opt, '.weight.next'), 3);
});

test('SAM reports the gradient norm at the unperturbed weights (catalog: grad_norm)', () => {
  const step = build(recipe(MLP, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), [64], { gradNorm: true });
  const plain = build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9)'), [64], { gradNorm: true });
  const feeds = feedsFor(plain);
  const norm = (s: TrainStepGraph) => interpret([s.outputs.find((o) => o.name === 'grad_norm')?.value].filter((v): v is Value => v !== undefined), feeds)[0]?.data[0];
  assert.ok(Number.isFinite(norm(plain)));
  assert.equal(norm(step), norm(plain));
});

test('gradient clipping without grad_norm builds its norm once and reports none', () => {
  const step = build(recipe(MLP, 'sgd(lr: 0.05)'), [64], { gradClip: 0.5 });
  assert.equal(step.outputs.some((o) => o.name === 'grad_norm'), false);
  assert.equal(opCount(step.outputs, 'ReduceSumSquare'), 6);
  const reported = build(recipe(MLP, 'sgd(lr: 0.05)'), [64], { gradClip: 0.5, gradNorm: true });
  assert.equal(opCount(reported.outputs, 'ReduceSumSquare'), 6, 'the reported norm is the clip\'s');
  assertSameOutputs(step);
});

test('Adam, AdamW and AMSGrad steps', () => {
  assertSameOutputs(build(recipe(MLP, 'adam(lr: 1e-3, weight_decay: 0.01)'), [64]));
  assertSameOutputs(build(recipe(MLP, 'adamw(lr: 1e-3, weight_decay: 0.01, amsgrad: true)'), [64]));
});

test('gradient clipping and L2 regularization', () => {
  assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05, momentum: 0.9, nesterov: true)'), [64], { gradClip: 0.5, l2: 1e-3, gradNorm: true }));
  assertSameOutputs(build(recipe(MLP, 'sgd(lr: 0.05)'), [64], { gradClip: 0.5, l2: 1e-3 }));
  assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, adaptive: true, base: sgd(lr: 0.05, momentum: 0.5, dampening: 0.1))'), [64], { gradClip: 0.5, gradNorm: true }));
  assertSameOutputs(build(recipe(MLP, 'sam(rho: 0.05, adaptive: true, base: sgd(lr: 0.05, momentum: 0.5, dampening: 0.1))'), [64], { gradClip: 0.5 }));
});

test('the digits CNN (patch-GEMM with its pool, dense-form second convolution)', () => {
  const { plain, optimized } = assertSameOutputs(build(recipe(CNN, 'sgd(lr: 0.05)'), [1, 8, 8]));
  assert.ok(plain - optimized >= 1, `${plain} → ${optimized}: the bias gradient's Reshape chain is one Reshape`);
});

test('DeepZero (zeroth order) reports the norm of its estimate: no backward graph is emitted for it; DP-SAT reports its privatized gradient\'s norm', () => {
  const text = recipe(MLP, 'deepzero(base: sgd(lr: 0.05), estimator: rge, queries: 2)');
  const step = build(text, [64], { gradNorm: true });
  const wrapper = WRAPPERS.get('deepzero');
  assert.ok(wrapper?.ownGradients);
  const plain = buildTrainStep({ ...stepSpec(text, [64]), gradNorm: true, wrapper: { builder: { ...wrapper, ownGradients: false }, hp: wrapperHp(text) } });
  assert.ok(nodeCount(step.outputs) < nodeCount(plain.outputs), `${nodeCount(step.outputs)} nodes with the flag, ${nodeCount(plain.outputs)} with the backward graph of the first pass`);
  // No ReLU backward (Greater) in the zeroth-order step: only forward passes lead to its outputs.
  assert.equal(opCount(step.outputs, 'Greater'), 0);
  // DP-SAT: no backward graph in the step either (the host privatizes per-example gradients), so no un-noised norm is reported.
  const dp = build(recipe(MLP, 'dp_sat(base: sgd(lr: 0.05))'), [64], { gradNorm: true });
  assert.ok(dp.outputs.some((o) => o.name === 'grad_norm'));
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

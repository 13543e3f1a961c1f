// Finite-difference gradient checks (runtime/testing/gradcheck.ts: central differences, eps 1e-6,
// tolerance 1e-6 · max(1, |g|)) through every layer, norm and activation kind, for the input and
// every parameter. NOTE: the spectral-norm weight is excluded: by design (as PyTorch) no gradient
// flows through the power iteration's u and v, so the exact derivative of the forward function
// differs; that gradient is checked against PyTorch in reference.test.ts instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../..';
import { buildModel } from '..';
import { type InputSpec, checkGradient } from '../../../testing/gradcheck';
import { checkedRecipe } from '../../../testing/model-harness';

interface Case {
  readonly name: string;
  /** `data` source and the model block's body. */
  readonly data: string;
  readonly model: string;
  readonly kind?: 'mlp' | 'cnn';
  readonly mode?: 'train' | 'eval';
}

const VECTOR = 'blobs(features: 3, classes: 2)';
const IMAGE = 'digits';

const CASES: readonly Case[] = [
  { name: 'dense relu', data: VECTOR, model: 'dense(4, act: relu)\ndense(2)' },
  { name: 'dense gelu + layer norm', data: VECTOR, model: 'dense(4, act: gelu, norm: layer)\ndense(2)' },
  { name: 'dense tanh + layer norm without affine', data: VECTOR, model: 'dense(4, act: tanh, norm: layer(affine: false))\ndense(2)' },
  { name: 'dense sigmoid + batch norm (train)', data: VECTOR, model: 'dense(4, act: sigmoid, norm: batch)\ndense(2)' },
  { name: 'dense + batch norm (eval)', data: VECTOR, model: 'dense(4, act: tanh, norm: batch)\ndense(2)', mode: 'eval' },
  { name: 'dense + batch norm without affine', data: VECTOR, model: 'dense(4, norm: batch(affine: false))\ndense(2, bias: false)' },
  { name: 'dense + weight norm', data: VECTOR, model: 'dense(4, act: tanh, norm: weight)\ndense(2, norm: weight)' },
  { name: 'dense + spectral norm (input and bias only)', data: VECTOR, model: 'dense(4, act: tanh, norm: spectral(iters: 2))\ndense(2)' },
  { name: 'dense + dropout', data: VECTOR, model: 'dense(5, act: gelu)\ndropout(0.4)\ndense(2)' },
  { name: 'conv + batch norm + maxpool', data: IMAGE, kind: 'cnn', model: 'conv2d(2, kernel: 3, stride: 2, pad: 1, act: relu, norm: batch)\nmaxpool(2)\ndense(10)' },
  { name: 'grouped conv + layer norm + avgpool + flatten', data: IMAGE, kind: 'cnn', model: 'conv2d(2, kernel: 3, stride: 2, act: tanh)\nconv2d(2, kernel: 2, groups: 2, norm: layer)\navgpool(2, stride: 1)\nflatten\ndense(10)' },
  { name: 'conv + weight norm, spectral norm', data: IMAGE, kind: 'cnn', model: 'conv2d(2, kernel: 3, stride: 3, norm: weight, act: sigmoid)\nconv2d(2, kernel: 2, norm: spectral)\ndense(10)' },
];

const BATCH = 3;

for (const c of CASES) {
  test(`gradient check: ${c.name}`, () => {
    const text = `data ${c.data} {\n  batch = ${BATCH}\n}\nmodel ${c.kind ?? 'mlp'} {\n${c.model}\n}\ntrain {\n  epochs = 1\n  optimizer = sgd(0.1)\n}\n`;
    const model = buildModel(checkedRecipe(text, c.name));
    const mode = c.mode ?? 'train';
    const inputs: Record<string, InputSpec> = { x: { shape: [BATCH, ...model.inputShape], staticShape: ['B', ...model.inputShape] } };
    model.params.forEach((p) => {
      const spectral = model.buffers.some((b) => b.role === 'sn_u' && b.layer === p.layer) && p.role === 'weight';
      inputs[`p:${p.name}`] = { shape: p.shape, ...(p.role === 'weight_g' || p.role === 'norm_scale' ? { lo: 0.5, hi: 1.5 } : {}), ...(spectral ? { check: false } : {}) };
    });
    model.buffers.forEach((b) => {
      const positive = b.role === 'running_var' ? { lo: 0.5, hi: 1.5 } : {};
      inputs[`b:${b.name}`] = { shape: b.shape, check: false, ...positive };
    });
    model.dropouts.forEach((d, i) => {
      const n = BATCH * d.shape.reduce((a, b) => a * b, 1);
      inputs[`mask:${i}`] = { shape: [BATCH, ...d.shape], staticShape: ['B', ...d.shape], dtype: 'bool', data: Array.from({ length: n }, (_, k) => (k % 3 === 1 ? 0 : 1)) };
    });
    const worst = checkGradient({
      name: c.name,
      inputs,
      build: (v) => {
        const get = (name: string): Value => {
          const value = v[name];
          if (value === undefined) throw new Error(`no input ${name}`);
          return value;
        };
        const result = model.forward(get('x').graph, get('x'), model.params.map((p) => get(`p:${p.name}`)), model.buffers.map((b) => get(`b:${b.name}`)), {
          mode,
          masks: model.dropouts.map((_, i) => get(`mask:${i}`)),
        });
        return result.output;
      },
    });
    assert.ok(worst <= 1);
  });
}

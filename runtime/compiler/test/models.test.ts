// End-to-end gradient checks of small models built with the functional API, against central
// finite differences (tolerance 1e-6 · max(1, |g|), eps 1e-6), all with a symbolic batch dim.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '..';
import { checkGradient } from '../../testing/gradcheck';

const ONE_HOT_5x3 = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0];
const at = (x: Readonly<Record<string, c.Value>>, name: string): c.Value => {
  const v = x[name];
  if (v === undefined) throw new Error(`no input ${name}`);
  return v;
};

test('MLP forward + softmax cross-entropy: gradients for weights, biases and inputs', () => {
  const worst = checkGradient({
    name: 'mlp',
    inputs: {
      x: { shape: [5, 4], staticShape: ['B', 4] },
      w1: { shape: [4, 6] },
      b1: { shape: [6] },
      w2: { shape: [6, 3] },
      b2: { shape: [3] },
      y: { shape: [5, 3], staticShape: ['B', 3], data: ONE_HOT_5x3, check: false },
    },
    build: (x) => {
      const h = c.relu(c.linear(at(x, 'x'), at(x, 'w1'), at(x, 'b1')));
      return c.softmaxCrossEntropy(c.linear(h, at(x, 'w2'), at(x, 'b2')), at(x, 'y'));
    },
  });
  assert.ok(worst <= 1);
});

test('MLP with LayerNorm, GELU and dropout (fixed mask)', () => {
  const worst = checkGradient({
    name: 'mlp-ln',
    inputs: {
      x: { shape: [5, 4], staticShape: ['B', 4] },
      w1: { shape: [4, 6] },
      s: { shape: [6], lo: 0.5, hi: 1.5 },
      b: { shape: [6] },
      w2: { shape: [6, 3] },
      mask: { shape: [5, 6], staticShape: ['B', 6], dtype: 'bool', data: Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 0 : 1)) },
      y: { shape: [5, 3], staticShape: ['B', 3], data: ONE_HOT_5x3, check: false },
    },
    build: (x) => {
      const h = c.dropout(c.gelu(c.layerNorm(c.matmul(at(x, 'x'), at(x, 'w1')), at(x, 's'), at(x, 'b'))), at(x, 'mask'), 1 / 3);
      return c.softmaxCrossEntropy(c.matmul(h, at(x, 'w2')), at(x, 'y'));
    },
  });
  assert.ok(worst <= 1);
});

test('conv → relu → maxpool → flatten → matmul → cross-entropy', () => {
  const worst = checkGradient({
    name: 'cnn',
    inputs: {
      x: { shape: [2, 1, 6, 6], staticShape: ['B', 1, 6, 6] },
      w: { shape: [3, 1, 3, 3] },
      b: { shape: [3] },
      w2: { shape: [27, 3] },
      y: { shape: [2, 3], staticShape: ['B', 3], data: [0, 1, 0, 0, 0, 1], check: false },
    },
    build: (x) => {
      const h = c.maxPool(c.relu(c.conv(at(x, 'x'), at(x, 'w'), { pads: [1, 1, 1, 1] }, at(x, 'b'))), { kernel: [2, 2] });
      return c.softmaxCrossEntropy(c.matmul(c.flatten(h), at(x, 'w2')), at(x, 'y'));
    },
  });
  assert.ok(worst <= 1);
});

test('conv → BatchNorm (train) → relu → avgpool → flatten → linear → MSE', () => {
  const worst = checkGradient({
    name: 'cnn-bn',
    inputs: {
      x: { shape: [3, 2, 4, 4], staticShape: ['B', 2, 4, 4] },
      w: { shape: [2, 1, 3, 3] },
      s: { shape: [2], lo: 0.5, hi: 1.5 },
      b: { shape: [2] },
      m: { shape: [2], check: false },
      v: { shape: [2], lo: 0.5, hi: 1.5, check: false },
      w2: { shape: [8, 2] },
      t: { shape: [3, 2], staticShape: ['B', 2], check: false },
    },
    build: (x) => {
      const z = c.conv(at(x, 'x'), at(x, 'w'), { pads: [1, 1, 1, 1], group: 2 });
      const bn = c.batchNorm(z, at(x, 's'), at(x, 'b'), at(x, 'm'), at(x, 'v'), { training: true });
      const h = c.flatten(c.averagePool(c.relu(bn.y), { kernel: [2, 2] }));
      return c.meanSquaredError(c.matmul(h, at(x, 'w2')), at(x, 't'));
    },
  });
  assert.ok(worst <= 1);
});

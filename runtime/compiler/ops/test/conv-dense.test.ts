// conv() on small maps runs in its dense (Toeplitz) form, pixel-major (conv-dense.ts); a dense
// layer over its (Relu'd, flattened) output reads the pixel-major rows with permuted weights.
// Same values as Conv → Relu → Flatten → Gemm, and gradients that pass the finite-difference check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { nodesLeadingTo } from '../../grad';
import { interpret } from '../../interpret';
import type { Value } from '../../ir';
import { conv, convOp } from '../conv';
import { denseOverImage, flattenImage } from '../conv-dense';
import { gemm } from '../matmul';
import { flatten } from '../reshape';
import { relu } from '../unary';
import { type GradCase, checkGradient, randomTensor, seededRandom } from '../../../testing/gradcheck';

const v = (x: Readonly<Record<string, Value>>, name: string): Value => {
  const value = x[name];
  assert.ok(value, name);
  return value;
};

const X = [3, 2, 4, 4];
const W = [3, 2, 3, 3];
const D = [5, 48];

function head(x: Value, w: Value, b: Value, d: Value, db: Value, form: 'pixel-major' | 'reference'): Value {
  if (form === 'reference') return gemm(flatten(relu(convOp(x, w, { pads: [1, 1, 1, 1] }, b)), 1), d, { transB: true }, db);
  return denseOverImage(flattenImage(relu(conv(x, w, { pads: [1, 1, 1, 1] }, b))), d, db);
}

test('a dense layer over a dense-form convolution reads its pixel-major rows: same values as Flatten + Gemm', () => {
  const g = new GraphBuilder();
  const [x, w, b, d, db] = [g.input('x', ['B', ...X.slice(1)]), g.input('w', W), g.input('b', [W[0] ?? 0]), g.input('d', D), g.input('db', [D[0] ?? 0])];
  const fast = head(x, w, b, d, db, 'pixel-major');
  const reference = head(x, w, b, d, db, 'reference');
  assert.deepEqual(g.errors, []);
  const ops = nodesLeadingTo(fast).map((n) => n.op.name);
  assert.ok(!ops.includes('Flatten') && !ops.includes('Conv'), ops.join(' '));
  const rand = seededRandom(5);
  const feeds = { x: randomTensor({ shape: X }, rand), w: randomTensor({ shape: W }, rand), b: randomTensor({ shape: [W[0] ?? 0] }, rand), d: randomTensor({ shape: D }, rand), db: randomTensor({ shape: [D[0] ?? 0] }, rand) };
  const [got, want] = interpret([fast, reference], feeds);
  assert.ok(got && want);
  assert.deepEqual(got.shape, want.shape);
  want.data.forEach((expected, i) => assert.ok(Math.abs((got.data[i] ?? NaN) - expected) < 1e-12, `element ${i}`));
});

test('a dense layer over a dense-form convolution: gradients of x, w, b and the dense weights', () => {
  const gc: GradCase = {
    name: 'pixel-major dense head',
    inputs: { x: { shape: X, staticShape: ['B', ...X.slice(1)] }, w: { shape: W }, b: { shape: [W[0] ?? 0], lo: 0.2, hi: 1 }, d: { shape: D }, db: { shape: [D[0] ?? 0] } },
    build: (x) => head(v(x, 'x'), v(x, 'w'), v(x, 'b'), v(x, 'd'), v(x, 'db'), 'pixel-major'),
  };
  assert.ok(checkGradient(gc) <= 1);
});

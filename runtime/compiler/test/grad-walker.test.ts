// The generic reverse-mode walker: accumulation, broadcasting, zero and missing gradients, loud
// failures, and second order (Hessian-vector products by differentiating a gradient graph).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '..';
import { checkGradient, randomTensor, seededRandom } from '../../testing/gradcheck';

const scalarOf = (t: c.Tensor | undefined): number => t?.data[0] ?? NaN;

test('a value used twice accumulates both contributions (micrograd: y = x·x + x)', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', []);
  const y = c.add(c.mul(x, x), x);
  const [dx] = c.grad(y, [x]);
  assert.ok(dx);
  // dy/dx = 2x + 1 exactly.
  assert.equal(scalarOf(c.interpret([dx], { x: c.tensor([], [3]) })[0]), 7);
});

test('a deep chain reusing values matches finite differences', () => {
  assert.ok(
    checkGradient({
      name: 'reuse chain',
      inputs: { a: { shape: [3], lo: 0.5, hi: 1.5 } },
      build: (v) => {
        const a = v['a'] as c.Value;
        const b = c.mul(a, c.exp(a));
        return c.add(c.div(b, a), c.mul(b, c.tanh(b)));
      },
    }) <= 1,
  );
});

test('a broadcast bias receives the gradient summed over the batch', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', ['B', 3]);
  const b = g.input('b', [3]);
  const [db] = c.grad(c.sum(c.add(x, b)), [b]);
  assert.ok(db);
  assert.deepEqual(db.shape, [3]);
  const out = c.interpret([db], { x: c.filled([4, 3], 0.5), b: c.filled([3], 0) })[0];
  assert.deepEqual(Array.from(out?.data ?? []), [4, 4, 4]);
});

test('a value the loss does not depend on gets zeros of its shape', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [2]);
  const unused = g.input('u', ['B', 2]);
  const [, du] = c.grad(c.sum(c.mul(x, x)), [x, unused]);
  assert.ok(du);
  const t = c.interpret([du], { x: c.filled([2], 1), u: c.filled([3, 2], 5) })[0];
  assert.deepEqual(t?.shape, [3, 2]);
  assert.ok(t?.data.every((z) => z === 0));
});

test('no gradient flows through comparisons (an explicit non-differentiable op)', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [3]);
  const mask = c.cast(c.greater(x, 0), 'float64');
  const [dx] = c.grad(c.sum(c.mul(mask, 2)), [x]);
  assert.ok(dx);
  assert.ok(c.interpret([dx], { x: c.tensor([3], [-1, 0.5, 2]) })[0]?.data.every((z) => z === 0));
});

test('grad fails loudly, naming the op, when a gradient must pass an op without a rule', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [3]);
  assert.throws(() => c.grad(c.sum(c.round(c.mul(x, 3))), [x]), /op Round has no backward rule/);
  // The same op is fine where no gradient is needed through it.
  const y = g.input('y', [3]);
  assert.doesNotThrow(() => c.grad(c.sum(c.add(c.round(x), y)), [y]));
});

test('the loss must be a scalar', () => {
  const g = new c.GraphBuilder();
  const x = g.input('x', [3]);
  assert.throws(() => c.grad(c.relu(x), [x]), /loss must be a scalar/);
});

test('the gradient checker catches a wrong backward rule', () => {
  // Square with a deliberately wrong rule (missing the factor 2): the check must fail.
  const BadSquare: c.OpDef = {
    name: 'BadSquare',
    attrTypes: {},
    inferShape: ([x]) => (x ? [x] : c.shapeError('BadSquare', 'needs one input')),
    backward: ({ node, gradOutputs: [g] }) => [g ? c.mul(g, node.inputs[0] as c.Value) : undefined],
    evaluate: ([x]) => [c.mapUnary(x as c.Tensor, (v) => v * v)],
  };
  assert.throws(
    () => checkGradient({ name: 'bad', inputs: { a: { shape: [3], lo: 0.5, hi: 1 } }, build: (v) => (v['a'] as c.Value).graph.apply1(BadSquare, [v['a'] as c.Value]) }),
    /bad: d\/da\[0\] analytic/,
  );
});

/** Hv = d/dw (∇L · v), compared with (∇L(w + εv) − ∇L(w − εv)) / 2ε. */
function checkHessianVector(name: string, build: (g: c.GraphBuilder) => { loss: c.Value; params: c.Value[]; feeds: Record<string, c.Tensor> }): void {
  const g = new c.GraphBuilder();
  const { loss, params, feeds } = build(g);
  const rand = seededRandom(99);
  const grads = c.grad(loss, params);
  const vs = params.map((p, k) => {
    const name = `v${k}`;
    feeds[name] = randomTensor({ shape: (feeds[(p.source as { name: string }).name] as c.Tensor).shape }, rand);
    return g.input(name, p.shape);
  });
  const dot = grads.map((gr, k) => c.sum(c.mul(gr, vs[k] as c.Value))).reduce((a, b) => c.add(a, b));
  const hv = c.grad(dot, params);
  const exact = c.interpret(hv, feeds);
  const eps = 1e-5;
  const shifted = (sign: number): c.Tensor[] => {
    const f = { ...feeds };
    params.forEach((p, k) => {
      const pn = (p.source as { name: string }).name;
      const base = f[pn] as c.Tensor;
      const dir = feeds[`v${k}`] as c.Tensor;
      f[pn] = { ...base, data: base.data.map((x, i) => x + sign * eps * (dir.data[i] ?? NaN)) };
    });
    return c.interpret(grads, f);
  };
  const plus = shifted(1);
  const minus = shifted(-1);
  exact.forEach((t, k) => {
    t.data.forEach((h, i) => {
      const numeric = ((plus[k]?.data[i] ?? NaN) - (minus[k]?.data[i] ?? NaN)) / (2 * eps);
      // Tolerance: 1e-6 · max(1, |Hv|) (central differences of an analytic gradient, eps 1e-5).
      assert.ok(Math.abs(h - numeric) <= 1e-6 * Math.max(1, Math.abs(h)), `${name}: Hv[${k}][${i}] ${h} vs ${numeric}`);
    });
  });
}

test('second order: Hessian-vector product of a tanh MLP with LayerNorm and cross-entropy', () => {
  checkHessianVector('mlp', (g) => {
    const rand = seededRandom(7);
    const x = g.input('x', ['B', 3]);
    const w1 = g.input('w1', [3, 4]);
    const s = g.input('s', [4]);
    const w2 = g.input('w2', [4, 2]);
    const y = g.input('y', ['B', 2]);
    const h = c.layerNorm(c.tanh(c.matmul(x, w1)), s);
    const loss = c.softmaxCrossEntropy(c.matmul(h, w2), y);
    const feeds: Record<string, c.Tensor> = {
      x: randomTensor({ shape: [5, 3] }, rand),
      w1: randomTensor({ shape: [3, 4] }, rand),
      s: randomTensor({ shape: [4], lo: 0.5, hi: 1.5 }, rand),
      w2: randomTensor({ shape: [4, 2] }, rand),
      y: c.tensor([5, 2], [1, 0, 0, 1, 0, 1, 1, 0, 1, 0]),
    };
    return { loss, params: [w1, s, w2], feeds };
  });
});

test('second order: Hessian-vector product through conv, relu, maxpool and softmax', () => {
  checkHessianVector('cnn', (g) => {
    const rand = seededRandom(8);
    const x = g.input('x', ['B', 1, 4, 4]);
    const w = g.input('w', [2, 1, 3, 3]);
    const w2 = g.input('w2', [8, 3]);
    const y = g.input('y', ['B', 3]);
    const h = c.flatten(c.maxPool(c.relu(c.conv(x, w, { pads: [1, 1, 1, 1] })), { kernel: [2, 2] }));
    const loss = c.softmaxCrossEntropy(c.matmul(h, w2), y);
    const feeds: Record<string, c.Tensor> = {
      x: randomTensor({ shape: [2, 1, 4, 4] }, rand),
      w: randomTensor({ shape: [2, 1, 3, 3] }, rand),
      w2: randomTensor({ shape: [8, 3] }, rand),
      y: c.tensor([2, 3], [0, 1, 0, 0, 0, 1]),
    };
    return { loss, params: [w, w2], feeds };
  });
});

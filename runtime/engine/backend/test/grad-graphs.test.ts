// Whole training-step gradient graphs (grad() output), emitted as ONNX and run on onnxruntime,
// must agree with the reference interpreter, like the single ops in ops.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../../../compiler';
import { seededRandom } from '../../../testing/gradcheck';
import { type FloatMode, type RunCase, feedFor, mismatch, runCases, toHost } from '../../../testing/onnx-run';
import { type Backend, loadNative, openBackend } from '..';

const get = (x: Readonly<Record<string, c.Value>>, name: string): c.Value => {
  const v = x[name];
  if (v === undefined) throw new Error(`no input ${name}`);
  return v;
};

const ONE_HOT = [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1];

const MLP: RunCase = {
  name: 'MLP 4→5→3 with softmax cross-entropy: loss and grads',
  inputs: {
    x: { shape: [4, 4], staticShape: ['B', 4] },
    y: { shape: [4, 3], staticShape: ['B', 3], data: ONE_HOT },
    w1: { shape: [4, 5] },
    b1: { shape: [5] },
    w2: { shape: [5, 3] },
    b2: { shape: [3] },
  },
  build: (x) => {
    const params = ['w1', 'b1', 'w2', 'b2'].map((n) => get(x, n));
    const [w1, b1, w2, b2] = params as [c.Value, c.Value, c.Value, c.Value];
    const hidden = c.relu(c.linear(get(x, 'x'), w1, b1));
    const loss = c.softmaxCrossEntropy(c.linear(hidden, w2, b2), get(x, 'y'));
    return [loss, ...c.grad(loss, params)];
  },
};

const CNN: RunCase = {
  name: 'conv → relu → maxpool → flatten → matmul with cross-entropy: loss and grads',
  inputs: {
    x: { shape: [4, 1, 6, 6], staticShape: ['B', 1, 6, 6] },
    y: { shape: [4, 3], staticShape: ['B', 3], data: ONE_HOT },
    k: { shape: [2, 1, 3, 3] },
    kb: { shape: [2] },
    w: { shape: [18, 3] },
  },
  build: (x) => {
    const params = ['x', 'k', 'kb', 'w'].map((n) => get(x, n));
    const [input, k, kb, w] = params as [c.Value, c.Value, c.Value, c.Value];
    const features = c.flatten(c.maxPool(c.relu(c.conv(input, k, { pads: [1, 1, 1, 1] }, kb)), { kernel: [2, 2] }));
    const loss = c.softmaxCrossEntropy(c.matmul(features, w), get(x, 'y'));
    return [loss, ...c.grad(loss, params)];
  },
};

const TOLERANCE: Readonly<Record<FloatMode, number>> = { float64: 1e-12, float32: 1e-5 };

const RUNS: readonly { case: RunCase; modes: readonly FloatMode[] }[] = [
  { case: MLP, modes: ['float64', 'float32'] },
  // Conv has no float64 kernel in onnxruntime (see ops.test.ts).
  { case: CNN, modes: ['float32'] },
];

const native = loadNative();
const backends: { name: string; open: () => Promise<Backend>; skip: string | false }[] = [
  { name: 'wasm', open: () => openBackend({ kind: 'wasm' }), skip: false },
  { name: 'native', open: () => openBackend({ kind: 'native' }), skip: native.ok ? false : `native backend unavailable: ${native.reason}` },
];

for (const b of backends) {
  test(`gradient graphs on ${b.name}`, { skip: b.skip }, async (t) => {
    const backend = await b.open();
    for (const run of RUNS) {
      for (const mode of run.modes) {
        const [result] = await runCases(backend, [run.case], mode, TOLERANCE[mode], seededRandom(7));
        await t.test(`${mode}: ${run.case.name}`, () => {
          assert.ok(result);
          assert.deepEqual(result.problems.flatMap((p, i) => (p === undefined ? [] : [`output ${i}: ${p}`])), []);
        });
      }
    }
    await t.test('a graph built in float32 is written in float32 without the dtype option', async () => {
      const g = new c.GraphBuilder();
      const rand = seededRandom(3);
      const feeds: Record<string, c.Tensor> = {};
      const values: Record<string, c.Value> = {};
      for (const [name, spec] of Object.entries(MLP.inputs)) {
        values[name] = g.input(name, spec.staticShape ?? spec.shape, 'float32');
        feeds[name] = feedFor({ ...spec, dtype: 'float32' }, rand, 'float32');
      }
      const outs = MLP.build(values);
      const expected = c.interpret(outs, feeds);
      const session = await backend.createSession(c.toOnnx(g, outs.map((value, i) => ({ name: `out${i}`, value })), { name: 'mlp32' }));
      const hostFeeds = Object.fromEntries(Object.entries(feeds).map(([n, f]) => [n, toHost(f, 'float32')]));
      const actual = await session.run(hostFeeds);
      await session.release();
      assert.deepEqual(expected.map((e, i) => mismatch(actual[`out${i}`], e, 'float32', TOLERANCE.float32)), expected.map(() => undefined));
    });
  });
}

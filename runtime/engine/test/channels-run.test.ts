// Runs on data with channels: a folder of colour images into the built-in CNN, augmented and
// standardized per channel, and NumPy arrays into an imported ONNX model whose input is
// [batch, 3, H, W] (the shape a torchvision export declares).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import type { CheckedRecipe } from '../../checker';
import * as c from '../../compiler';
import { GraphBuilder, tensor, toOnnx } from '../../compiler';
import { runRecipe, type RunEvent } from '..';

const RUNS = path.join(process.cwd(), 'test-fixtures', 'runs');

function checked(text: string): CheckedRecipe {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  return a.recipe;
}

async function run(text: string, baseDir: string): Promise<{ result: Awaited<ReturnType<typeof runRecipe>>; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runRecipe(checked(text), { baseDir, recipeText: text, backend: 'wasm', onEvent: (e) => events.push(e) });
  return { result, events };
}

const stepLosses = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss'] ?? NaN] : []));
const epochMetrics = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));

test('a folder of colour images trains a CNN, augmented and standardized per channel', async () => {
  const text = fs.readFileSync(path.join(RUNS, 'images-augment.minima'), 'utf8');
  const { result, events } = await run(text, RUNS);
  assert.equal(result.status, 'finished', result.message);
  const started = events[0];
  assert.ok(started?.type === 'started');
  assert.equal(started.run.trainExamples + started.run.valExamples, 9);
  assert.equal(stepLosses(events).length, 3 * Math.ceil(started.run.trainExamples / 4));
  assert.ok(stepLosses(events).every(Number.isFinite));
  // The same seed gives the same augmented batches.
  const again = await run(text, RUNS);
  assert.deepEqual(stepLosses(again.events), stepLosses(events));
});

test('augmentation changes the training batches, never the validation set', async () => {
  // NOTE: at lr 1e-30 no float32 weight moves (biases become ~1e-31, lost next to the rest of each
  // logit), so the validation metrics can only differ if the validation images were augmented.
  const base = fs.readFileSync(path.join(RUNS, 'images-augment.minima'), 'utf8').replace('sgd(lr: 0.05, momentum: 0.9)', 'sgd(lr: 1e-30)').replace('epochs = 3', 'epochs = 1');
  const plain = await run(base.replace('  augment = [crop(pad: 2), flip]\n', ''), RUNS);
  const augmented = await run(base, RUNS);
  assert.equal(plain.result.status, 'finished', plain.result.message);
  assert.equal(augmented.result.status, 'finished', augmented.result.message);
  assert.notDeepEqual(stepLosses(augmented.events), stepLosses(plain.events));
  const [p] = epochMetrics(plain.events);
  const [a] = epochMetrics(augmented.events);
  assert.equal(a?.['val_loss'], p?.['val_loss']);
  assert.equal(a?.['val_accuracy'], p?.['val_accuracy']);
});

test('NumPy (N, 3, H, W) images feed an imported model whose input is [batch, 3, H, W]', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-channels-'));
  // A conv net as a PyTorch export declares it: x [batch, 3, 2, 2] → Conv → Relu → Flatten → Gemm.
  const g = new GraphBuilder();
  const x = g.input('x', ['B', 3, 2, 2]);
  const w = (shape: number[], scale: number) => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => scale * Math.sin(i + 1)));
  const h = c.relu(c.conv(x, g.constant(w([4, 3, 1, 1], 0.5)), {}, g.constant(w([4], 0.1))));
  const logits = c.linear(c.flatten(h, 1), g.constant(w([16, 3], 0.3)), g.constant(w([3], 0.1)));
  fs.writeFileSync(path.join(dir, 'net.onnx'), toOnnx(g, [{ name: 'logits', value: logits }], { name: 'net' }));
  for (const f of ['x.npy', 'y.npy']) fs.copyFileSync(path.join(process.cwd(), 'test-fixtures', 'data', 'npy', f), path.join(dir, f));
  const text = 'data npy("x.npy", "y.npy") {\n  batch = 2\n  split = 60%\n  standardize = channel\n  augment = [flip]\n}\n\nmodel onnx("net.onnx") {\n}\n\ntrain {\n  epochs = 2\n  optimizer = sgd(lr: 0.1)\n}\n';
  const { result, events } = await run(text, dir);
  assert.equal(result.status, 'finished', result.message);
  assert.equal(stepLosses(events).length, 2 * 2);
});

test('bad data fails the run before training, with the file and what is wrong', async () => {
  const dir = path.join(process.cwd(), 'test-fixtures', 'data');
  const cases: readonly [string, RegExp][] = [
    ['data images("images/bad-corrupt", size: 4) {\n}', /bad-corrupt\/b\/broken\.png: the PNG image cannot be decoded \(the file is cut short\)/],
    ['data npy("npy/x.npy", "npy/y-negative.npy") {\n}', /npy\/y-negative\.npy: label \[2\] is -1/],
    ['data npy("npy/x-float64.npy", "npy/y.npy") {\n  augment = [crop(pad: 2)]\n}', /crop augments images \(channels × height × width\), but npy gives examples of shape \[12\]/],
    ['data npy("npy/x-float64.npy", "npy/y.npy") {\n  standardize = channel\n}', /standardize = channel needs images/],
    ['data idx("rgb-images-idx4-ubyte", "tiny-labels-idx1-ubyte") {\n  standardize = channel\n  mean = [0.5]\n  std = [0.2]\n}', /mean has 1 value but idx gives images of 3 channels/],
  ];
  for (const [data, message] of cases) {
    const text = `${data}\n\nmodel mlp {\n  dense(8, act: relu)\n  dense(6)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n`;
    const { result, events } = await run(text, dir);
    assert.equal(result.status, 'failed', data);
    assert.match(result.message ?? '', message);
    assert.ok(!events.some((e) => e.type === 'step'), 'no step ran');
  }
});

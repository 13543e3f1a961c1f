// The losses against PyTorch (the logits, targets and losses of test-fixtures/reference/model,
// written by its generate.py with nn.CrossEntropyLoss(label_smoothing=0.1) and nn.MSELoss()),
// against the catalog formula written out by hand, and by finite differences.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GraphBuilder, interpret, tensor } from '../..';
import { buildLoss } from '..';
import { checkGradient } from '../../../testing/gradcheck';

const DIR = path.join('test-fixtures', 'reference', 'model');

interface JsonTensor {
  readonly shape: number[];
  readonly data: number[];
}
interface Reference {
  readonly smoothing: number;
  readonly logits: JsonTensor;
  readonly target_onehot: JsonTensor;
  readonly target_regression: JsonTensor;
  readonly loss_ce: number;
  readonly loss_mse: number;
}

function evaluate(name: string, args: Readonly<Record<string, unknown>>, output: JsonTensor, target: JsonTensor): number {
  const g = new GraphBuilder();
  const width = output.shape[1] ?? 0;
  const o = g.input('o', ['B', width]);
  const t = g.input('t', ['B', width]);
  const loss = buildLoss(g, { name, args }, o, t);
  assert.deepEqual(loss.shape, [], 'the loss is a scalar');
  const [value] = interpret([loss], { o: tensor(output.shape, output.data), t: tensor(target.shape, target.data) });
  return value?.data[0] ?? NaN;
}

for (const file of fs.readdirSync(path.join(process.cwd(), DIR)).filter((f) => f.endsWith('.json')).sort()) {
  test(`PyTorch losses on the logits of ${file}`, () => {
    const ref = JSON.parse(fs.readFileSync(path.join(process.cwd(), DIR, file), 'utf8')) as Reference;
    const ce = evaluate('cross_entropy', { smoothing: ref.smoothing }, ref.logits, ref.target_onehot);
    const mse = evaluate('mse', {}, ref.logits, ref.target_regression);
    assert.ok(Math.abs(ce - ref.loss_ce) <= 1e-12 * Math.abs(ref.loss_ce), `cross-entropy ${ce} vs ${ref.loss_ce}`);
    assert.ok(Math.abs(mse - ref.loss_mse) <= 1e-12 * Math.abs(ref.loss_mse), `MSE ${mse} vs ${ref.loss_mse}`);
  });
}

/** −(1/B) Σ_b Σ_c q_c log softmax(z_b)_c with q = (1 − ε)·onehot + ε/C, written out. */
function crossEntropyByHand(logits: number[][], labels: number[], eps: number): number {
  const total = logits.reduce((sum, z, b) => {
    const max = Math.max(...z);
    const logZ = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    return sum - z.reduce((s, v, c) => s + ((c === labels[b] ? 1 - eps : 0) + eps / z.length) * (v - logZ), 0);
  }, 0);
  return total / logits.length;
}

const LOGITS = [[2, -1, 0.5, 0], [-3, 4, 1, 1], [0, 0, 0, 0]];
const LABELS = [0, 3, 2];
const ONE_HOT = { shape: [3, 4], data: LABELS.flatMap((l) => [0, 1, 2, 3].map((c) => (c === l ? 1 : 0))) };

for (const eps of [0, 0.1, 0.5]) {
  test(`cross_entropy(smoothing: ${eps}) follows the catalog formula`, () => {
    const value = evaluate('cross_entropy', { smoothing: eps }, { shape: [3, 4], data: LOGITS.flat() }, ONE_HOT);
    assert.ok(Math.abs(value - crossEntropyByHand(LOGITS, LABELS, eps)) < 1e-14);
  });
}

test('mse is the mean over batch and targets', () => {
  const value = evaluate('mse', {}, { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, { shape: [2, 3], data: [1, 0, 3, 0, 5, 9] });
  assert.equal(value, (4 + 16 + 9) / 6);
});

for (const [name, args] of [['cross_entropy', { smoothing: 0.1 }], ['mse', {}]] as const) {
  test(`${name}: gradient w.r.t. the outputs by finite differences`, () => {
    const worst = checkGradient({
      name,
      inputs: {
        o: { shape: [3, 4], staticShape: ['B', 4], lo: -2, hi: 2 },
        t: { shape: [3, 4], staticShape: ['B', 4], data: ONE_HOT.data, check: false },
      },
      build: (x) => {
        const o = x['o'];
        const t = x['t'];
        if (o === undefined || t === undefined) throw new Error('inputs');
        return buildLoss(o.graph, { name, args }, o, t);
      },
    });
    assert.ok(worst <= 1);
  });
}

test('an unknown loss is a caller bug', () => {
  const g = new GraphBuilder();
  const o = g.input('o', ['B', 2]);
  assert.throws(() => buildLoss(g, { name: 'hinge', args: {} }, o, o), /unknown loss hinge/);
});

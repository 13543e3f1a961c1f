import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { softmaxCrossEntropy, toOnnx } from '../../../compiler';
import { buildTrainStep } from '../../../compiler/step';
import { OPTIMIZERS } from '../../../compiler/optim';
import { openBackend, type BackendName } from '../../backend';
import { createRng } from '../../data';
import { stepFeeds } from '../../step-feeds';
import { createQat, type QatPlan } from '../qat';
import { lsqInit } from '../qat-lsq';
import { CPU_BACKENDS } from '../../../testing/backends';
import { tinyMlp } from '../../../testing/tiny-mlp';

// qat(lsq) on the host: LSQ's initial step sizes, and the whole train step (forward with learned
// step sizes, STE, LSQ gradients, the optimizer on W and s, s created at `from`) replayed against
// PyTorch (test-fixtures/reference/qat/generate.py) in float32 on onnxruntime.

const plan = (o: { bits: number; perChannel: boolean; symmetric: boolean; from?: number; targets?: number[] }): QatPlan => {
  const [qmin, qmax] = o.symmetric ? [-(2 ** (o.bits - 1) - 1), 2 ** (o.bits - 1) - 1] : [0, 2 ** o.bits - 1];
  return { targets: o.targets ?? [0], spec: { bits: o.bits, symmetric: o.symmetric, perChannel: o.perChannel, range: { kind: 'minmax' } }, from: o.from ?? 0, qmin, qmax, estimator: 'lsq', warnings: [] };
};

test('lsq init: s = 2·mean|w|/√q_max and g = 1/√(N·q_max), per channel and per tensor', () => {
  const w = [0.5, -1, 0.25, 0.25, 0, -2, 4, 1];
  const perChannel = lsqInit(w, [2, 4], plan({ bits: 4, perChannel: true, symmetric: true }));
  // Channel 0: mean|w| = 0.5; channel 1: mean|w| = 1.75; q_max = 7, N = 4.
  assert.deepEqual([...perChannel.scale], [(2 * 0.5) / Math.sqrt(7), (2 * 1.75) / Math.sqrt(7)]);
  assert.deepEqual([...perChannel.gradScale], [1 / Math.sqrt(4 * 7), 1 / Math.sqrt(4 * 7)]);
  assert.deepEqual([...perChannel.zeroPoint], [0, 0]);
  const perTensor = lsqInit(w, [2, 4], plan({ bits: 8, perChannel: false, symmetric: true }));
  assert.deepEqual([...perTensor.scale], [(2 * 1.125) / Math.sqrt(127)]);
  assert.deepEqual([...perTensor.gradScale], [1 / Math.sqrt(8 * 127)]);
});

test('lsq init, asymmetric: min–max zero point fixed, Q_p = max(q_max − z, z − q_min)', () => {
  // 3-bit unsigned grid [0, 7]; channel 0 spans [−1, 0.5]: min–max s = 1.5/7, z = round(0 + 1/s) = 5.
  const w = [-1, 0.5, 0.25, 0.25, 0.1, 0.2, 0.3, 0.4];
  const q = lsqInit(w, [2, 4], plan({ bits: 3, perChannel: true, symmetric: false }));
  assert.deepEqual([...q.zeroPoint], [5, 0]);
  // Q_p: channel 0 max(7 − 5, 5 − 0) = 5; channel 1 (all positive, z = 0) 7.
  assert.deepEqual([...q.scale], [(2 * 0.5) / Math.sqrt(5), (2 * 0.25) / Math.sqrt(7)]);
  assert.deepEqual([...q.gradScale], [1 / Math.sqrt(4 * 5), 1 / Math.sqrt(4 * 7)]);
});

interface Reference {
  readonly case: string;
  readonly optimizer: { readonly name: string; readonly hp: Readonly<Record<string, unknown>> };
  readonly bits: number;
  readonly from: number;
  readonly net: { readonly inputs: number; readonly hidden: number; readonly classes: number };
  readonly shapes: readonly (readonly number[])[];
  readonly init: readonly (readonly number[])[];
  readonly batches: readonly { readonly x: readonly number[]; readonly labels: readonly number[] }[];
  readonly trajectory: readonly { readonly loss: number; readonly params: readonly (readonly number[])[]; readonly scales: readonly (readonly number[])[] }[];
}

const REFERENCE_DIR = path.join('test-fixtures', 'reference', 'qat');
const references = fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.json')).sort();

/**
 * float32 against float64 PyTorch, per element: |ours − torch| ≤ 1e-5·max(|torch|, rms(torch
 * tensor)), the rule of the optimizer references (runtime/compiler/optim/test/reference-ort.test.ts).
 */
const REL = 1e-5;

const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  for (const file of references) {
    test(`${b.name}, float32: PyTorch LSQ reference ${file}: weights and step sizes within ${REL} after each step`, { skip: b.skip }, async (t) => {
      const ref = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as Reference;
      const worst = await replay(ref, b.name);
      t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}`);
      assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
    });
  }
}

/** Steps the engine's train step and QAT run state through the reference's batches. */
async function replay(ref: Reference, backendName: BackendName): Promise<{ error: number; where: string }> {
  const model = tinyMlp(ref.net);
  const optimizer = OPTIMIZERS.get(ref.optimizer.name);
  assert.ok(optimizer, ref.optimizer.name);
  const qat = plan({ bits: ref.bits, perChannel: true, symmetric: true, from: ref.from, targets: [0, 2] });
  const step = buildTrainStep({
    model,
    loss: (_g, output, target) => softmaxCrossEntropy(output, target),
    optimizer: { builder: optimizer, hp: ref.optimizer.hp },
    targetWidth: ref.net.classes,
    dtype: 'float32',
    qat: { params: qat.targets, perChannel: true, qmin: qat.qmin, qmax: qat.qmax, estimator: 'lsq' },
  });
  const backend = await openBackend({ kind: backendName, threads: 1 });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'lsq_reference', dtype: 'float32' }));
  const run = createQat(qat, step.layout, model.params);
  let params: Float32Array[] = ref.init.map((p) => Float32Array.from(p));
  let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
  const worst = { error: 0, where: 'nowhere' };
  const compare = (ours: ArrayLike<number>, theirs: readonly number[], where: string) => {
    const rms = Math.sqrt(theirs.reduce((s, v) => s + v * v, 0) / Math.max(1, theirs.length));
    theirs.forEach((v, i) => {
      const e = Math.abs((ours[i] ?? NaN) - v) / Math.max(Math.abs(v), rms);
      if (!(e <= worst.error)) Object.assign(worst, { error: e, where: `${where}[${i}]: ${ours[i]} vs ${v}` });
    });
  };
  try {
    for (const [t, batch] of ref.batches.entries()) {
      const size = batch.labels.length;
      const y = new Float32Array(size * ref.net.classes);
      batch.labels.forEach((c, k) => (y[k * ref.net.classes + c] = 1));
      const feeds = stepFeeds(model, step.layout, { x: Float32Array.from(batch.x), y, size, targetWidth: ref.net.classes }, { lr: Number(ref.optimizer.hp['lr']), step: t + 1 }, { params, buffers: [], state, wrapperState: [] }, createRng(0, 'dropout', t), run.feeds(params, t));
      const out = await session.run(feeds);
      params = model.params.map((p) => out[`${p.name}.next`]?.data as Float32Array);
      state = step.layout.state.map((specs, i) => specs.map((s) => out[`${model.params[i]?.name}.${s.name}.next`]?.data as Float32Array));
      run.record(out, t);
      const expected = ref.trajectory[t];
      assert.ok(expected);
      compare([Number(out['loss']?.data[0])], [expected.loss], `step ${t + 1} loss`);
      expected.params.forEach((p, i) => compare(params[i] ?? [], p, `step ${t + 1} ${model.params[i]?.name}`));
      const scales = step.layout.lsq?.params.map((p) => out[`${p.scale}.next`]?.data as Float32Array) ?? [];
      expected.scales.forEach((s, k) => compare(scales[k] ?? [], s, `step ${t + 1} step size ${k}`));
      if (worst.error > REL) break;
    }
    // The step sizes exist from `from` on, and training moved them.
    assert.equal(ref.trajectory.filter((s) => s.scales.length > 0).length, ref.batches.length - ref.from);
    return worst;
  } finally {
    await session.release();
  }
}


import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { softmaxCrossEntropy, toOnnx } from '../../../compiler';
import { buildFisherGraph, fisherName } from '../../../compiler/compress/fisher';
import { OPTIMIZERS } from '../../../compiler/optim';
import { buildTrainStep } from '../../../compiler/step';
import { oneHot, tinyMlp, worstError } from '../../../testing/tiny-mlp';
import { openBackend, type BackendName } from '../../backend';
import { createRng } from '../../data';
import { stepFeeds } from '../../step-feeds';
import { tensorOf } from '../../tensors';
import { factorOf } from '../factor';
import { createFwsvd, rowScales, weightedProject, type FwsvdPlan } from '../fwsvd';
import { project } from '../lowrank';
import { svd } from '../svd';
import { CPU_BACKENDS } from '../../../testing/backends';

// fwsvd (catalog A58): the catalog's oracles on the host projection, and the whole procedure
// (train step, Fisher graph on the last batches, weighted truncation, training on) replayed
// against PyTorch (test-fixtures/reference/fwsvd/generate.py) in float32 on onnxruntime.

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = createRng(seed, 'fwsvd-test', 0);
  return Float32Array.from({ length: rows * cols }, () => rng.uniform() * 2 - 1);
}

const weightedError = (w: ArrayLike<number>, hat: ArrayLike<number>, scales: ArrayLike<number>, rows: number, cols: number) => {
  let e = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) e += (scales[r] ?? 1) ** 2 * ((w[r * cols + c] ?? 0) - (hat[r * cols + c] ?? 0)) ** 2;
  return e;
};

test('fwsvd at full rank reproduces the weight (any row weights)', () => {
  const w = randomMatrix(6, 5, 1);
  const scales = Float64Array.from([0.1, 2, 0.5, 3, 1, 0.7]);
  const p = weightedProject(w, [6, 5], scales, { rank: 5 });
  assert.equal(p.rank, 5);
  w.forEach((v, i) => assert.ok(Math.abs(v - (p.weights[i] ?? NaN)) <= 1e-6, `${i}: ${v} vs ${p.weights[i]}`));
  assert.ok(Math.abs(p.energy - 1) < 1e-12);
});

test('fwsvd with equal row weights Î = cI is truncated SVD', () => {
  const w = randomMatrix(8, 6, 2);
  const plain = project(w, [8, 6], { method: 'svd', rank: 3 });
  const weighted = weightedProject(w, [8, 6], new Float64Array(8).fill(2.5), { rank: 3 });
  plain.weights.forEach((v, i) => assert.ok(Math.abs(v - (weighted.weights[i] ?? NaN)) <= 1e-6, `${i}: ${v} vs ${weighted.weights[i]}`));
  // And from the Fisher: rows with equal importance.
  assert.deepEqual([...rowScales(new Float32Array(8 * 6).fill(0.5), [8, 6])], new Array(8).fill(Math.sqrt(3)));
});

test('fwsvd minimizes Σ_i I_i‖W_i − Ŵ_i‖² among rank-r matrices (Eckart–Young on ÎW)', () => {
  const [rows, cols, k] = [7, 5, 2];
  const w = randomMatrix(rows, cols, 3);
  const scales = Float64Array.from([0.05, 3, 1, 0.2, 2, 0.5, 1.5]);
  const best = weightedProject(w, [rows, cols], scales, { rank: k });
  const bestError = weightedError(w, best.weights, scales, rows, cols);
  // Plain truncated SVD has the same rank and a larger weighted error.
  const plain = project(w, [rows, cols], { method: 'svd', rank: k });
  assert.ok(weightedError(w, plain.weights, scales, rows, cols) > bestError * (1 + 1e-6));
  // The optimum equals the weighted spectrum's tail, Σ_{j>k} σ_j(ÎW)².
  const a = Float64Array.from({ length: rows * cols }, (_, i) => (scales[Math.floor(i / cols)] ?? 1) * (w[i] ?? 0));
  const tail = [...svd(a, rows, cols).s].slice(k).reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(bestError - tail) <= 1e-5 * tail, `${bestError} vs ${tail}`);
  // Rank-k perturbations of the optimum's factors are never better.
  const rng = createRng(9, 'fwsvd-perturb', 0);
  const f = factorOf(w, [rows, cols], 'svd', k, scales).weight;
  for (let trial = 0; trial < 50; trial++) {
    const left = Float64Array.from(f.second.values, (v) => v + 0.01 * (rng.uniform() - 0.5));
    const right = Float64Array.from(f.first.values, (v) => v + 0.01 * (rng.uniform() - 0.5));
    const hat = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) for (let j = 0; j < k; j++) hat[r * cols + c] = hat[r * cols + c]! + left[r * k + j]! * right[j * cols + c]!;
    assert.ok(weightedError(w, hat, scales, rows, cols) >= bestError * (1 - 1e-5), `trial ${trial}`);
  }
});

test('fwsvd export factors multiply to the weighted truncation, Î⁻¹U_k√S_k · √S_kV_kᵀ', () => {
  const w = randomMatrix(6, 9, 4);
  const scales = Float64Array.from([1, 0.3, 4, 0.8, 2, 0.1]);
  const f = factorOf(w, [6, 9], 'svd', 3, scales);
  const p = weightedProject(w, [6, 9], scales, { rank: 3 });
  assert.deepEqual(f.weight.first.shape, [3, 9]);
  assert.deepEqual(f.weight.second.shape, [6, 3]);
  p.weights.forEach((v, i) => assert.ok(Math.abs(v - (f.projected[i] ?? NaN)) <= 1e-5, `${i}: ${v} vs ${f.projected[i]}`));
});

test('fwsvd row weights: √(Σ_j F_ij); a row without gradient takes the smallest positive importance', () => {
  const fisher = Float32Array.from([1, 3, 0, 0, 0.25, 0.75]);
  assert.deepEqual([...rowScales(fisher, [3, 2])], [2, 1, 1]);
  assert.deepEqual([...rowScales(new Float32Array(6), [3, 2])], [1, 1, 1]);
});

test('fwsvd by energy keeps the share of the weighted spectrum', () => {
  const w = randomMatrix(10, 8, 5);
  const scales = Float64Array.from({ length: 10 }, (_, i) => 0.2 + i * 0.3);
  const p = weightedProject(w, [10, 8], scales, { energy: 0.8 });
  assert.ok(p.energy >= 0.8 && p.rank < 8, `rank ${p.rank}, energy ${p.energy}`);
  const smaller = weightedProject(w, [10, 8], scales, { rank: p.rank - 1 });
  assert.ok(smaller.energy < 0.8);
});

interface Reference {
  readonly case: string;
  readonly optimizer: { readonly name: string; readonly hp: Readonly<Record<string, unknown>> };
  readonly from: number;
  readonly batches: number;
  readonly rank: number;
  readonly targets: readonly number[];
  readonly net: { readonly inputs: number; readonly hidden: number; readonly classes: number };
  readonly init: readonly (readonly number[])[];
  readonly data: readonly { readonly x: readonly number[]; readonly labels: readonly number[] }[];
  readonly projection: { readonly scales: readonly (readonly number[])[]; readonly weights: readonly (readonly number[])[] };
  readonly trajectory: readonly { readonly loss: number; readonly params: readonly (readonly number[])[] }[];
}

const REFERENCE_DIR = path.join('test-fixtures', 'reference', 'fwsvd');
const references = fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.json')).sort();
/** float32 against float64 PyTorch over 20 steps, per element relative to max(|torch|, rms(torch tensor)). */
const REL = 2e-6;

const BACKENDS = CPU_BACKENDS;

for (const b of BACKENDS) {
  for (const file of references) {
    test(`${b.name}, float32: PyTorch fwsvd reference ${file}: row weights, projection and 20 steps within ${REL}`, { skip: b.skip }, async (t) => {
      const ref = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as Reference;
      const worst = await replay(ref, b.name);
      t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}`);
      assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
    });
  }
}

async function replay(ref: Reference, backendName: BackendName): Promise<{ error: number; where: string }> {
  const model = tinyMlp(ref.net);
  const optimizer = OPTIMIZERS.get(ref.optimizer.name);
  assert.ok(optimizer);
  const loss = (_g: unknown, output: Parameters<typeof softmaxCrossEntropy>[0], target: Parameters<typeof softmaxCrossEntropy>[1]) => softmaxCrossEntropy(output, target);
  const step = buildTrainStep({ model, loss, optimizer: { builder: optimizer, hp: ref.optimizer.hp }, targetWidth: ref.net.classes, dtype: 'float32' });
  const fisherGraph = buildFisherGraph({ model, loss, targetWidth: ref.net.classes, dtype: 'float32', targets: ref.targets });
  const backend = await openBackend({ kind: backendName, threads: 1 });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'fwsvd_reference', dtype: 'float32' }));
  const fisherSession = await backend.createSession(toOnnx(fisherGraph.graph, fisherGraph.outputs, { name: 'fwsvd_fisher', dtype: 'float32' }));
  const plan: FwsvdPlan = { method: 'svd', targets: ref.targets, rank: ref.rank, nuclear: 0, every: 1, from: ref.from, to: Infinity, batches: ref.batches };
  const fwsvd = createFwsvd(plan, model.params);
  let params: Float32Array[] = ref.init.map((p) => Float32Array.from(p));
  let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
  const worst = worstError();
  try {
    for (const [t, batch] of ref.data.entries()) {
      const size = batch.labels.length;
      if (t === ref.from) {
        const fisher = new Map(ref.targets.map((i) => [i, new Float64Array(params[i]!.length)]));
        for (const used of ref.data.slice(t - ref.batches, t)) {
          const out = await fisherSession.run({ ...Object.fromEntries(model.params.map((p, i) => [p.name, tensorOf(params[i]!, p.shape)])), x: tensorOf(Float32Array.from(used.x), [used.labels.length, ref.net.inputs]), y: tensorOf(oneHot(used.labels, ref.net.classes), [used.labels.length, ref.net.classes]) });
          for (const i of ref.targets) {
            const g2 = out[fisherName(model.params[i]!.name)]?.data as Float32Array;
            fisher.get(i)!.forEach((v, k, acc) => (acc[k] = v + g2[k]!));
          }
        }
        ref.targets.forEach((i, k) => worst.compare(rowScales(fisher.get(i)!, model.params[i]!.shape), ref.projection.scales[k]!, `row weights ${model.params[i]!.name}`));
        fwsvd.project(params, fisher, ref.batches);
        ref.targets.forEach((i, k) => worst.compare(params[i]!, ref.projection.weights[k]!, `projected ${model.params[i]!.name}`));
      }
      const feeds = stepFeeds(model, step.layout, { x: Float32Array.from(batch.x), y: oneHot(batch.labels, ref.net.classes), size, targetWidth: ref.net.classes }, { lr: Number(ref.optimizer.hp['lr']), step: t + 1 }, { params, buffers: [], state, wrapperState: [] }, createRng(0, 'dropout', t));
      const out = await session.run(feeds);
      params = model.params.map((p) => out[`${p.name}.next`]?.data as Float32Array);
      state = step.layout.state.map((specs, i) => specs.map((s) => out[`${model.params[i]?.name}.${s.name}.next`]?.data as Float32Array));
      const expected = ref.trajectory[t]!;
      worst.compare([Number(out['loss']?.data[0])], [expected.loss], `step ${t + 1} loss`);
      expected.params.forEach((p, i) => worst.compare(params[i] ?? [], p, `step ${t + 1} ${model.params[i]?.name}`));
    }
    assert.deepEqual([...fwsvd.ranks().values()], [ref.rank, ref.rank]);
    return worst;
  } finally {
    await session.release();
    await fisherSession.release();
  }
}

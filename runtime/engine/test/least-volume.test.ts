import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { gemm, meanSquaredError, tanh, toOnnx, type GraphBuilder, type Value } from '../../compiler';
import type { ModelGraph, ParamInfo } from '../../compiler/model';
import { OPTIMIZERS } from '../../compiler/optim';
import { buildTrainStep } from '../../compiler/step';
import { worstError } from '../../testing/tiny-mlp';
import { runRecipe, type RunEvent } from '..';
import { loadNative, openBackend, probeAdapter, type BackendName } from '../backend';
import { createRng } from '../data';
import { latentStats } from '../passes/least-volume-pass';
import { stepFeeds } from '../step-feeds';

// least_volume (catalog A33): the volume's oracles, the train step with the volume term replayed
// against PyTorch (test-fixtures/reference/least_volume/generate.py, the official VolumeAE loss)
// on wasm and native, and the autoencoder example through the engine.

test('latent volume = (Π_i (s_i + η))^{1/d} with the unbiased std; z → cz scales it by ≈ c when η ≪ s', () => {
  const rng = createRng(1, 'lv', 0);
  const n = 50;
  const d = 3;
  const z = Float64Array.from({ length: n * d }, (_, k) => rng.normal() * (k % d === 0 ? 2 : k % d === 1 ? 0.5 : 1));
  const s = latentStats(z, d, 1e-2);
  const product = [...s.std].reduce((a, v) => a * (v + 1e-2), 1);
  assert.ok(Math.abs(s.volume - product ** (1 / d)) < 1e-12);
  const scaled = latentStats(Float64Array.from(z, (v) => v * 3), d, 1e-6);
  const base = latentStats(z, d, 1e-6);
  assert.ok(Math.abs(scaled.volume / base.volume - 3) < 1e-5, String(scaled.volume / base.volume));
  // A collapsed dimension (std 0) leaves η in the product and is not counted as active.
  const collapsed = latentStats(Float64Array.from(z, (v, k) => (k % d === 2 ? 0.7 : v)), d, 1e-2);
  assert.equal(collapsed.dims, 2);
});

interface Reference {
  readonly optimizer: { readonly name: string; readonly hp: Readonly<Record<string, unknown>> };
  readonly weight: number;
  readonly eta: number;
  readonly net: { readonly inputs: number; readonly hidden: number; readonly latent: number };
  readonly shapes: readonly (readonly number[])[];
  readonly init: readonly (readonly number[])[];
  readonly data: readonly (readonly number[])[];
  readonly trajectory: readonly { readonly loss: number; readonly volume: number; readonly params: readonly (readonly number[])[] }[];
}

function tinyAutoencoder(ref: Reference): ModelGraph {
  const names = ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias', 'fc4.weight', 'fc4.bias'];
  const params: ParamInfo[] = names.map((name, i) => ({ name, layer: name.split('.')[0]!, role: i % 2 === 0 ? 'weight' : 'bias', shape: ref.shapes[i]!, compressible: i % 2 === 0, isNorm: false, init: { kind: 'zeros' } }));
  return {
    params,
    buffers: [],
    dropouts: [],
    inputShape: [ref.net.inputs],
    outputWidth: ref.net.inputs,
    forward: (_g: GraphBuilder, x: Value, ps: readonly Value[]) => {
      const [w1, b1, w2, b2, w3, b3, w4, b4] = ps as [Value, Value, Value, Value, Value, Value, Value, Value];
      const z = gemm(tanh(gemm(x, w1, { transB: true }, b1)), w2, { transB: true }, b2);
      return { output: gemm(tanh(gemm(z, w3, { transB: true }, b3)), w4, { transB: true }, b4), buffers: [] };
    },
  };
}

const REFERENCE = path.join('test-fixtures', 'reference', 'least_volume', 'volume-ae.json');
const REL = 2e-6;
const native = loadNative();
const BACKENDS: readonly { readonly name: BackendName; readonly skip: string | false }[] = [
  { name: 'wasm', skip: false },
  { name: 'native', skip: native.ok ? false : 'native backend unavailable' },
];

for (const b of BACKENDS) {
  test(`${b.name}, float32: PyTorch VolumeAE reference: loss and parameters within ${REL} over 20 Adam steps`, { skip: b.skip }, async (t) => {
    const ref = JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as Reference;
    const model = tinyAutoencoder(ref);
    const optimizer = OPTIMIZERS.get(ref.optimizer.name);
    assert.ok(optimizer);
    const step = buildTrainStep({ model, loss: (_g, o, y) => meanSquaredError(o, y), optimizer: { builder: optimizer, hp: ref.optimizer.hp }, targetWidth: ref.net.inputs, dtype: 'float32', latentVolume: { param: 2, weight: ref.weight, eta: ref.eta } });
    const backend = await openBackend({ kind: b.name });
    const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'least_volume_reference', dtype: 'float32' }));
    let params: Float32Array[] = ref.init.map((p) => Float32Array.from(p));
    let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
    const worst = worstError();
    try {
      for (const [k, x] of ref.data.entries()) {
        const xs = Float32Array.from(x);
        const out = await session.run(stepFeeds(model, step.layout, { x: xs, y: xs, size: xs.length / ref.net.inputs, targetWidth: ref.net.inputs }, { lr: Number(ref.optimizer.hp['lr']), step: k + 1 }, { params, buffers: [], state, wrapperState: [] }, createRng(0, 'dropout', k)));
        params = model.params.map((p) => out[`${p.name}.next`]?.data as Float32Array);
        state = step.layout.state.map((specs, i) => specs.map((s) => out[`${model.params[i]?.name}.${s.name}.next`]?.data as Float32Array));
        worst.compare([Number(out['loss']?.data[0])], [ref.trajectory[k]!.loss], `step ${k + 1} loss`);
        ref.trajectory[k]!.params.forEach((p, i) => worst.compare(params[i]!, p, `step ${k + 1} ${model.params[i]!.name}`));
      }
    } finally {
      await session.release();
    }
    t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}`);
    assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
  });
}

const EXAMPLE = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-least-volume.minima');

async function run(text: string): Promise<{ metrics: Readonly<Record<string, number>>; events: RunEvent[] }> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-lv-'));
  const result = await runRecipe(a.recipe, { baseDir: dir, recipeText: text, runsDir: dir, backend: 'wasm', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { metrics: result.metrics, events };
}

test('wasm: the least_volume penalty shrinks the latent volume against the same autoencoder without it', async () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8').replace(/epochs = \d+/, 'epochs = 4');
  const withVolume = await run(text);
  const without = await run(text.replace('least_volume(latent: dense_2, weight: 0.05)', 'least_volume(latent: dense_2, weight: 0)'));
  const v = withVolume.metrics['latent_volume'] ?? NaN;
  const v0 = without.metrics['latent_volume'] ?? NaN;
  assert.ok(v < v0, `volume ${v} with the penalty, ${v0} without`);
  const epochs = withVolume.events.filter((e) => e.type === 'epoch');
  assert.ok(epochs.every((e) => e.type === 'epoch' && typeof e.metrics['latent_dims'] === 'number'));
});

test('webgpu: the autoencoder with least_volume follows native over its first 20 steps', async (t) => {
  const available = await openBackend({ kind: 'webgpu' }).then(async (b) => (await b.release(), (await probeAdapter()).ok), () => false);
  if (!available && !process.env['CI']) {
    t.skip('no WebGPU adapter here');
    return;
  }
  const text = fs.readFileSync(EXAMPLE, 'utf8').replace(/epochs = \d+/, 'epochs = 1');
  const losses = async (backend: BackendName) => {
    const a = analyze(text);
    assert.ok(a.recipe);
    const events: RunEvent[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-lv-gpu-'));
    const r = await runRecipe(a.recipe, { baseDir: dir, recipeText: text, runsDir: dir, backend, onEvent: (e) => events.push(e) });
    assert.equal(r.status, 'finished', r.message);
    return { steps: events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss'] ?? NaN] : [])).slice(0, 20), volume: r.metrics['latent_volume'] ?? NaN };
  };
  const n = await losses('native');
  const w = await losses('webgpu');
  n.steps.forEach((l, i) => assert.ok(Math.abs(l - w.steps[i]!) <= 1e-4 * Math.abs(l), `step ${i + 1}: ${l} vs ${w.steps[i]}`));
  assert.ok(Math.abs(n.volume - w.volume) <= 1e-3 * n.volume, `${n.volume} vs ${w.volume}`);
});

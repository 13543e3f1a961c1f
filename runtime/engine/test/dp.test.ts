import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { softmaxCrossEntropy, toOnnx } from '../../compiler';
import { buildExampleGradients, dpGradName, exampleGradName, OPTIMIZERS, WRAPPERS } from '../../compiler/optim';
import { buildTrainStep } from '../../compiler/step';
import { oneHot, tinyMlp, worstError } from '../../testing/tiny-mlp';
import { runRecipe, type RunEvent } from '..';
import { loadNative, openBackend, type BackendName } from '../backend';
import { createRng } from '../data';
import { dpPerturbation, privatize } from '../dp';
import { DEFAULT_ORDERS, privacySpent, rdpStep } from '../privacy';
import { stepFeeds } from '../step-feeds';
import { tensorOf } from '../tensors';

// dp_sat (catalog A07): the RDP accountant against published values, the privatization and the
// perturbation, the whole step replayed against PyTorch (test-fixtures/reference/dp/generate.py,
// Opacus' clipping and noise with DP-SAT's minimizer) on wasm and native, and runs.

test('RDP accountant: Opacus\' documented example (q = 1%, σ = 1, 300 steps, δ = 1e-5, orders 2 5 10 20 100) is ε = 2.39 at α = 5', () => {
  const r = privacySpent({ q: 0.01, sigma: 1, steps: 300, delta: 1e-5, orders: [2, 5, 10, 20, 100] });
  assert.equal(r.epsilon.toFixed(2), '2.39');
  assert.equal(r.order, 5);
});

test('RDP accountant: TF-Privacy\'s MNIST tutorial (N = 60000, batch 256, σ = 1.1, 60 epochs, δ = 1e-5) is ε = 3.01 with its conversion ε = RDP − log δ/(α − 1)', () => {
  const orders = [...Array.from({ length: 100 }, (_, x) => 1 + (x + 1) / 10), ...Array.from({ length: 52 }, (_, k) => 12 + k)];
  const steps = Math.ceil((60 * 60000) / 256);
  const eps = Math.min(...orders.map((a) => rdpStep(256 / 60000, 1.1, a) * steps - Math.log(1e-5) / (a - 1)));
  assert.equal(eps.toFixed(2), '3.01');
  // Opacus' tighter conversion gives less.
  assert.ok(privacySpent({ q: 256 / 60000, sigma: 1.1, steps, delta: 1e-5, orders }).epsilon < eps);
});

test('RDP accountant: closed forms and the fractional series agree with the integer sum', () => {
  // q = 1: the Gaussian mechanism, RDP(α) = α/(2σ²).
  assert.equal(rdpStep(1, 2, 7), 7 / 8);
  assert.equal(rdpStep(0, 2, 7), 0);
  for (const a of [2, 5, 17]) {
    const integer = rdpStep(0.02, 0.8, a);
    const fractional = rdpStep(0.02, 0.8, a + 1e-9);
    assert.ok(Math.abs(integer - fractional) <= 1e-6 * integer, `α = ${a}: ${integer} vs ${fractional}`);
  }
  // More noise, fewer steps or a smaller sample rate never cost more privacy.
  const base = privacySpent({ q: 0.01, sigma: 1, steps: 1000, delta: 1e-5 }).epsilon;
  assert.ok(privacySpent({ q: 0.01, sigma: 2, steps: 1000, delta: 1e-5 }).epsilon < base);
  assert.ok(privacySpent({ q: 0.01, sigma: 1, steps: 100, delta: 1e-5 }).epsilon < base);
  assert.ok(privacySpent({ q: 0.001, sigma: 1, steps: 1000, delta: 1e-5 }).epsilon < base);
  assert.equal(DEFAULT_ORDERS.length, 151);
});

test('privatize: clip factor min(1, C/(‖g‖ + 1e-6)) over all parameters jointly, sum, noise, divide by the expected batch', () => {
  const a = [Float32Array.from([3, 0]), Float32Array.from([4])];
  const b = [Float32Array.from([0.3, 0]), Float32Array.from([0.4])];
  const r = privatize([a, b], 1, [[0.5, -0.5], [1]], 4);
  const f = 1 / (5 + 1e-6);
  assert.ok(Math.abs(r.grads[0]![0]! - Math.fround((3 * f + 0.3 + 0.5) / 4)) < 1e-7);
  assert.ok(Math.abs(r.grads[1]![0]! - Math.fround((4 * f + 0.4 + 1) / 4)) < 1e-7);
  assert.equal(r.clipped, 0.5);
  // Each clipped example contributes norm ≤ C.
  const clipped = privatize([a], 1, [[0, 0], [0]], 1);
  const n = Math.hypot(clipped.grads[0]![0]!, clipped.grads[0]![1]!, clipped.grads[1]![0]!);
  assert.ok(n <= 1 && n > 0.999999, String(n));
});

test('dp_sat perturbation: ‖e‖ = ρ along the previous private gradient, and 0 at the first step', () => {
  assert.deepEqual(dpPerturbation(undefined, 0.5, [2, 1]).map((e) => [...e]), [[0, 0], [0]]);
  assert.deepEqual(dpPerturbation([new Float32Array(2), new Float32Array(1)], 0.5, [2, 1]).map((e) => [...e]), [[0, 0], [0]]);
  const e = dpPerturbation([Float32Array.from([3, 0]), Float32Array.from([4])], 0.5, [2, 1]);
  assert.ok(Math.abs(Math.hypot(e[0]![0]!, e[0]![1]!, e[1]![0]!) - 0.5) < 1e-7);
  assert.ok(Math.abs(e[0]![0]! / e[1]![0]! - 0.75) < 1e-6);
});

interface Reference {
  readonly optimizer: { readonly name: string; readonly hp: Readonly<Record<string, unknown>> };
  readonly rho: number;
  readonly clip: number;
  readonly batch: number;
  readonly net: { readonly inputs: number; readonly hidden: number; readonly classes: number };
  readonly init: readonly (readonly number[])[];
  readonly data: readonly { readonly x: readonly number[]; readonly labels: readonly number[] }[];
  readonly trajectory: readonly { readonly loss: number; readonly noise: readonly (readonly number[])[]; readonly clipped: number; readonly params: readonly (readonly number[])[] }[];
}

const REFERENCE_DIR = path.join('test-fixtures', 'reference', 'dp');
const REL = 2e-6;
const native = loadNative();
const BACKENDS: readonly { readonly name: BackendName; readonly skip: string | false }[] = [
  { name: 'wasm', skip: false },
  { name: 'native', skip: native.ok ? false : 'native backend unavailable' },
];

for (const b of BACKENDS) {
  for (const file of fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.json')).sort()) {
    test(`${b.name}, float32: PyTorch/Opacus DP-SAT reference ${file}: 20 steps within ${REL}`, { skip: b.skip }, async (t) => {
      const ref = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as Reference;
      const model = tinyMlp(ref.net);
      const loss = (_g: unknown, o: Parameters<typeof softmaxCrossEntropy>[0], y: Parameters<typeof softmaxCrossEntropy>[1]) => softmaxCrossEntropy(o, y);
      const optimizer = OPTIMIZERS.get(ref.optimizer.name);
      const wrapper = WRAPPERS.get('dp_sat');
      assert.ok(optimizer && wrapper);
      const step = buildTrainStep({ model, loss, optimizer: { builder: optimizer, hp: ref.optimizer.hp }, wrapper: { builder: wrapper, hp: { rho: ref.rho } }, targetWidth: ref.net.classes, dtype: 'float32' });
      const ex = buildExampleGradients({ model, loss, targetWidth: ref.net.classes, dtype: 'float32' });
      const backend = await openBackend({ kind: b.name });
      const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'dp_reference', dtype: 'float32' }));
      const examples = await backend.createSession(toOnnx(ex.graph, ex.outputs, { name: 'dp_examples', dtype: 'float32' }));
      let params: Float32Array[] = ref.init.map((p) => Float32Array.from(p));
      let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
      let previous: Float32Array[] | undefined;
      const worst = worstError();
      try {
        for (const [k, batch] of ref.data.entries()) {
          const expected = ref.trajectory[k]!;
          const e = dpPerturbation(previous, ref.rho, params.map((p) => p.length));
          const at = params.map((p, i) => Float32Array.from(p, (v, j) => v + e[i]![j]!));
          const perExample: Float32Array[][] = [];
          for (let i = 0; i < batch.labels.length; i++) {
            const out = await examples.run({ ...Object.fromEntries(model.params.map((p, j) => [p.name, tensorOf(at[j]!, p.shape)])), x: tensorOf(Float32Array.from(batch.x.slice(i * ref.net.inputs, (i + 1) * ref.net.inputs)), [1, ref.net.inputs]), y: tensorOf(oneHot([batch.labels[i]!], ref.net.classes), [1, ref.net.classes]) });
            perExample.push(model.params.map((p) => Float32Array.from(out[exampleGradName(p.name)]?.data as Float32Array)));
          }
          const r = privatize(perExample, ref.clip, expected.noise, ref.batch);
          assert.equal(r.clipped, expected.clipped, `step ${k + 1}: clipped share`);
          previous = r.grads;
          const more = Object.fromEntries(model.params.map((p, i) => [dpGradName(p.name), tensorOf(r.grads[i]!, p.shape)]));
          const out = await session.run(stepFeeds(model, step.layout, { x: Float32Array.from(batch.x), y: oneHot(batch.labels, ref.net.classes), size: batch.labels.length, targetWidth: ref.net.classes }, { lr: Number(ref.optimizer.hp['lr']), step: k + 1 }, { params, buffers: [], state, wrapperState: [] }, createRng(0, 'dropout', k), more));
          params = model.params.map((p) => out[`${p.name}.next`]?.data as Float32Array);
          state = step.layout.state.map((specs, i) => specs.map((s) => out[`${model.params[i]?.name}.${s.name}.next`]?.data as Float32Array));
          worst.compare([Number(out['loss']?.data[0])], [expected.loss], `step ${k + 1} loss`);
          expected.params.forEach((p, i) => worst.compare(params[i]!, p, `step ${k + 1} ${model.params[i]!.name}`));
        }
      } finally {
        await session.release();
        await examples.release();
      }
      t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}`);
      assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
    });
  }
}

const EXAMPLE = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-dp-sat.minima');

async function run(text: string, backend: BackendName): Promise<RunEvent[]> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-dp-'));
  const result = await runRecipe(a.recipe, { baseDir: dir, recipeText: text, runsDir: dir, backend, onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return events;
}

test('wasm: dp_sat reports ε per epoch (increasing, from the accountant), the clipped share per step, and ρ = 0 differs from ρ > 0 only after the first step', async () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8').replace('epochs = 8', 'epochs = 2');
  const events = await run(text, 'wasm');
  const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
  // 1437 examples, batch 64: q = 64/1437, 23 steps per epoch.
  epochs.forEach((m, i) => assert.ok(Math.abs((m['epsilon'] ?? NaN) - privacySpent({ q: 64 / 1437, sigma: 1, steps: 23 * (i + 1), delta: 1e-5 }).epsilon) < 1e-12));
  assert.ok((epochs[1]?.['epsilon'] ?? 0) > (epochs[0]?.['epsilon'] ?? Infinity));
  const steps = events.flatMap((e) => (e.type === 'step' ? [e.metrics] : []));
  assert.ok(steps.every((m) => typeof m['dp_clipped'] === 'number' && m['dp_clipped'] >= 0 && m['dp_clipped'] <= 1));
  const sgd = await run(text.replace(/rho: [\d.]+/, 'rho: 0'), 'wasm');
  const loss = (es: RunEvent[]) => es.flatMap((e) => (e.type === 'step' ? [e.metrics['loss']] : []));
  // e_0 = 0, so step 1 is DP-SGD's; the second step sees the perturbation.
  assert.equal(loss(events)[0], loss(sgd)[0]);
  assert.equal(loss(events)[1], loss(sgd)[1]);
  assert.notEqual(loss(events)[2], loss(sgd)[2]);
});

// The webgpu backend against native, on Mesa's lavapipe in CI (a Vulkan driver on the CPU, so
// these are correctness runs, kept small): per-step losses and final weights within 1e-4
// relative over 20 steps for MLP and CNN graphs with each optimizer family and compression
// technique, and the transfer discipline of a plain step (no parameter or state byte moves).
// [slow]: about a minute on 2 cores. Skipped where no WebGPU adapter exists, except on CI (CI
// installs lavapipe with .ci/install-lavapipe.sh, so a missing adapter there is a failure).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { decodeOnnxModel } from '../../compiler/onnx';
import { openBackend, probeAdapter, type Transfers } from '../backend';
import { runRecipe, type RunEvent } from '..';

const FIXTURES = path.join(process.cwd(), 'test-fixtures', 'webgpu');
test('[slow] webgpu backend against native', async (t) => {
  const available = await webgpuAvailable();
  if (available !== true && !process.env['CI']) {
    t.skip(`no WebGPU adapter here: ${available}`);
    return;
  }
  await t.test('the adapter is named', async () => {
  const b = await openBackend({ kind: 'webgpu' });
  assert.equal(b.name, 'webgpu');
  assert.ok(b.info.adapter, `no adapter info: ${b.info.note}`);
  assert.ok(b.info.adapter.description.length > 0 || b.info.adapter.device.length > 0);
  await b.release();
  });

  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.minima')).map((f) => f.replace(/\.minima$/, ''))) {
  await t.test(`matches native over 20 steps: ${name}`, async () => {
    const [n, w] = [await train(name, 'native'), await train(name, 'webgpu')];
    assert.equal(w.status, 'finished', w.message);
    assert.equal(w.losses.length, 20);
    assert.equal(n.losses.length, w.losses.length);
    n.losses.forEach((l, i) => assert.ok(relDiff(l, w.losses[i]!) <= 1e-4, `${name} step ${i + 1}: loss ${l} vs ${w.losses[i]}`));
    // The final parameters, as exported: ‖θ_webgpu − θ_native‖ / ‖θ_native‖ over all of them.
    // NOTE: a parameter whose gradient is zero in exact arithmetic, such as a conv bias under
    // batch norm, moves by float noise, which Adam scales up to lr-sized steps that differ by
    // device; the fixtures leave such biases out (cnn-adam.minima).
    let diff = 0;
    let norm = 0;
    for (const [k, a] of n.weights) {
      const b = w.weights.get(k);
      assert.ok(b, `${name}: ${k} missing on webgpu`);
      a.forEach((v, i) => {
        diff += (v - (b[i] ?? NaN)) ** 2;
        norm += v * v;
      });
    }
    const rel = Math.sqrt(diff / norm);
    t.diagnostic(`${name}: max relative loss difference ${Math.max(...n.losses.map((l, i) => relDiff(l, w.losses[i]!))).toExponential(1)}, final parameters ${rel.toExponential(1)}`);
    // NOTE: Adam's bias corrections 1 − βᵗ are host scalars (compiler/optim/host-scalars.ts).
    // Computed with the device's float32 pow, an ulp of difference that 1/(1 − βᵗ) amplifies
    // (≈1000× at t = 1) made mlp-adam differ by 6e-4.
    assert.ok(rel <= 1e-4, `${name}: final parameters differ by ${rel} relative`);
    for (const m of ['val_accuracy', 'weight_norm'] as const) assert.ok(relDiff(n.metrics[m] ?? NaN, w.metrics[m] ?? NaN) <= 1e-3, `${name} ${m}: ${n.metrics[m]} vs ${w.metrics[m]}`);
  });
  }

  for (const name of ['mlp-sgd-momentum', 'mlp-adam', 'mlp-sam', 'cnn-sam']) {
  await t.test(`a plain ${name} step moves no parameter or state bytes`, async () => {
    const r = await train(name, 'webgpu');
    assert.equal(r.status, 'finished', r.message);
    // Per step, only the batch (x B×64, y B×10), lr, step and the host scalars (Adam's two bias
    // corrections) go in, and loss and logits (B×10) come out (grad_norm too, when the report asks
    // for it; these fixtures do not): the parameters and the optimizer state stay on the device. The 1,437 training examples make 19 batches of 72 and
    // one of 69.
    const hostScalars = name === 'mlp-adam' ? 2 : 0;
    for (let k = 1; k < r.transfers.length; k++) {
      const size = Math.min(72, 1437 - 72 * k);
      const inBytes = 4 * (size * 64 + size * 10 + 2 + hostScalars);
      const outBytes = 4 * (1 + size * 10);
      const d = r.transfers[k]!;
      const p = r.transfers[k - 1]!;
      assert.deepEqual({ toDevice: d.toDevice - p.toDevice, toHost: d.toHost - p.toHost }, { toDevice: inBytes, toHost: outBytes }, `step ${k + 1}: ${JSON.stringify(r.transfers.slice(0, 3))}`);
    }
  });
  }
});

interface Trained {
  readonly status: string;
  readonly message?: string;
  readonly losses: number[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly weights: Map<string, Float64Array>;
  readonly transfers: Transfers[];
}

async function train(name: string, backend: 'native' | 'webgpu'): Promise<Trained> {
  const file = path.join(FIXTURES, `${name}.minima`);
  const text = fs.readFileSync(file, 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const losses: number[] = [];
  const transfers: Transfers[] = [];
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-webgpu-'));
  const r = await runRecipe(a.recipe, {
    backend,
    baseDir: FIXTURES,
    recipeText: text,
    runsDir: runs,
    onEvent: (e: RunEvent) => {
      if (e.type === 'step') losses.push(e.metrics['loss'] ?? NaN);
    },
    onTransfers: (_step, t) => transfers.push(t),
  });
  const weights = new Map<string, Float64Array>();
  if (r.modelPath) {
    const m = decodeOnnxModel(fs.readFileSync(r.modelPath));
    if (m.ok) for (const t of m.model.graph.initializers) if (t.type !== 'int64') weights.set(t.name, Float64Array.from(t.data, Number));
  }
  fs.rmSync(runs, { recursive: true, force: true });
  return { status: r.status, ...(r.message ? { message: r.message } : {}), losses, metrics: r.metrics, weights, transfers };
}

async function webgpuAvailable(): Promise<true | string> {
  try {
    const b = await openBackend({ kind: 'webgpu' });
    await b.release();
    const p = await probeAdapter();
    return p.ok ? true : p.reason;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-12, Math.abs(a));
}


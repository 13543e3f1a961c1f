import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { decodeOnnxModel } from '../../compiler/onnx';
import { isTransposable24 } from '../compress';
import { runRecipe, type RunEvent, type RunResult } from '..';

// The example recipes of the N:M training methods (issue 15) train to the stated validation
// accuracy on the default backend, and do what their method says on the way.

async function runExample(file: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const full = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', file);
  const text = fs.readFileSync(full, 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  assert.deepEqual(a.diagnostics.map((d) => d.message), []);
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-nm-example-'));
  const events: RunEvent[] = [];
  const result = await runRecipe(a.recipe, { baseDir: path.dirname(full), recipeText: text, runsDir: runs, backend: 'auto', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const epochMetrics = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));

/** The exported float32 weight of a layer, as [rows, cols]. */
function exportedWeight(modelPath: string, name: string): { data: Float64Array; rows: number; cols: number } {
  const m = decodeOnnxModel(fs.readFileSync(modelPath));
  assert.ok(m.ok);
  const t = m.model.graph.initializers.find((i) => i.name === name);
  assert.ok(t, `${name} is exported`);
  return { data: Float64Array.from(t.data, Number), rows: t.dims[0] ?? 0, cols: t.dims[1] ?? 0 };
}

test('digits-transposable reaches ≥ 95% validation accuracy with transposable 2:4 layers, and its flip rate falls to 0 once the mask is fixed', async () => {
  const { result, events } = await runExample('digits-transposable.minima');
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.95, `val_accuracy ${result.metrics['val_accuracy']}`);
  const metrics = epochMetrics(events);
  assert.equal(metrics.length, 12);
  // Masks are recomputed every 20 steps (18 steps an epoch) until 8ep, then fixed.
  for (const [e, m] of metrics.entries()) {
    const r = m['flip_rate'] ?? NaN;
    assert.ok(r >= 0 && r <= 1, `epoch ${e + 1}: flip rate ${r}`);
    if (e >= 8) assert.equal(r, 0, `epoch ${e + 1}: the mask is fixed`);
    assert.equal(m['nm_conformance'], 1, `epoch ${e + 1}`);
  }
  assert.ok((metrics[0]?.['flip_rate'] ?? 0) > 0, 'the masks move while they are learned');
  assert.ok(result.modelPath);
  for (const name of ['dense_1.weight', 'dense_2.weight']) {
    const w = exportedWeight(result.modelPath, name);
    const mask = w.data.map((v) => (v === 0 ? 0 : 1));
    assert.ok(isTransposable24(mask, w.rows, w.cols), `${name}: every 4×4 block keeps 2 per row and column`);
  }
});

test('digits-pgf reaches ≥ 90% validation accuracy at 1:4 after its pattern decays 3:4 → 2:4 → 1:4', async () => {
  const { result, events } = await runExample('digits-pgf.minima');
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.9, `val_accuracy ${result.metrics['val_accuracy']}`);
  const phases = events.flatMap((e) => (e.type === 'phase' ? [e.detail] : []));
  assert.deepEqual(phases, ['started (3:4, progressive gradient flow with linear decay, c = 0.004)', 'structure decay: 2:4', 'structure decay: 1:4', 'fine-tune: binary 1:4 mask']);
  const metrics = epochMetrics(events);
  // Dense for 2 epochs; the pruned weights still contribute (d_t > 0) until the binary fine-tune.
  assert.equal(metrics[1]?.['sparsity/dense_2'], 0);
  assert.equal(metrics[5]?.['nm_conformance'], 0);
  assert.equal(result.metrics['nm_conformance'], 1);
  assert.equal(result.metrics['sparsity/dense_2'], 0.75);
});

test('digits-bimask reaches ≥ 93% validation accuracy with 2:4 forward masks, then fixes them', async () => {
  const { result, events } = await runExample('digits-bimask.minima');
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.93, `val_accuracy ${result.metrics['val_accuracy']}`);
  const metrics = epochMetrics(events);
  for (const m of metrics) assert.equal(m['nm_conformance'], 1);
  assert.ok((metrics[0]?.['flip_rate'] ?? 0) > 0);
  assert.deepEqual(metrics.slice(9).map((m) => m['flip_rate']), [0, 0, 0]);
  assert.equal(result.metrics['sparsity/dense_2'], 0.5);
});

test('digits-hypersparse: ART ends before `to`, the model is fine-tuned at 90% sparsity and keeps ≥ 92% validation accuracy', async () => {
  const { result, events } = await runExample('digits-hypersparse.minima');
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.92, `val_accuracy ${result.metrics['val_accuracy']}`);
  const finished = events.find((e) => e.type === 'phase' && e.detail.startsWith('finished'));
  assert.ok(finished && finished.type === 'phase' && /ART ended/.test(finished.detail), 'ART ends on its criterion');
  assert.ok(finished.step < 15 * 23, `before to = 15ep (step ${finished.step})`);
  const metrics = epochMetrics(events);
  // The regularizer grows by η = 1.5 per ART epoch and is off before and after ART.
  const alphas = metrics.map((m) => m['hypersparse/alpha'] ?? NaN);
  assert.deepEqual(alphas.slice(0, 3), [0, 0, 0]);
  assert.ok(Math.abs((alphas[4] ?? 0) / (alphas[3] ?? 1) - 1.5) < 1e-6);
  assert.equal(alphas[alphas.length - 1], 0);
  // After ART the pruned weights are held: 90% of the pruned layers' weights are zero.
  const pruned = ['dense_1', 'dense_2', 'dense_3'].map((l) => result.metrics[`sparsity/${l}`] ?? NaN);
  const sizes = [128 * 64, 64 * 128, 10 * 64];
  const overall = pruned.reduce((s, v, i) => s + v * (sizes[i] ?? 0), 0) / sizes.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(overall - Math.floor(0.9 * 17024) / 17024) < 1e-9, `sparsity ${overall}`);
  // Pruned accuracy is measured every ART epoch.
  assert.ok(metrics.slice(3).some((m) => m['art/pruned_train_accuracy'] !== undefined));
});

test('digits-jackpot: the mask search in the frozen pretrained MLP keeps ≥ 95% validation accuracy at 80% sparsity; kept weights are the file\'s, bit for bit', async () => {
  const { result, events } = await runExample('digits-jackpot.minima');
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.95, `val_accuracy ${result.metrics['val_accuracy']}`);
  const metrics = epochMetrics(events);
  // The kept count of each layer is constant across the swaps; the masks do swap.
  for (const layer of ['/1/Gemm', '/3/Gemm']) assert.equal(new Set(metrics.map((m) => m[`sparsity/${layer}`])).size, 1, layer);
  assert.ok((metrics[0]?.['flip_rate'] ?? 0) > 0);
  assert.ok(result.modelPath);
  const pretrained = decodeOnnxModel(fs.readFileSync(path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'models', 'digits-mlp-pretrained.onnx')));
  assert.ok(pretrained.ok);
  for (const name of ['1.weight', '3.weight']) {
    const original = pretrained.model.graph.initializers.find((t) => t.name === name);
    const w = exportedWeight(result.modelPath, name);
    assert.ok(original);
    let kept = 0;
    w.data.forEach((v, i) => {
      if (v !== 0) {
        kept++;
        assert.equal(v, Number(original.data[i]), `${name}[${i}] moved`);
      }
    });
    assert.ok(Math.abs(kept / w.data.length - 0.2) < 0.02, `${name}: ${kept} kept`);
  }
});

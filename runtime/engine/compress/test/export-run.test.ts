import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import type { CheckedRecipe } from '../../../checker';
import { decodeOnnxModel, type OnnxGraph } from '../../../compiler/onnx';
import { openBackend } from '../../backend';
import { runRecipe, type RunEvent, type RunResult } from '../..';
import { batches, bundledAssetsDir, isDataError, loadDataset, splitDataset } from '../../data';
import { accuracyOf } from '../../metrics';
import { fileStats } from '../export';

// The compressed export of whole runs: the digits example (2:4 pruning + int8 ptq with calibrated
// activations) and the factored lowrank recipes (test-fixtures/runs/lowrank-export-*.minima).

async function runFile(file: string, edit: (t: string) => string = (t) => t): Promise<{ result: RunResult; events: RunEvent[]; recipe: CheckedRecipe; text: string }> {
  const text = edit(fs.readFileSync(file, 'utf8'));
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-export-'));
  const result = await runRecipe(a.recipe, { baseDir: path.dirname(file), recipeText: text, runsDir, backend: 'native', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events, recipe: a.recipe, text };
}

const fixture = (name: string) => path.join(process.cwd(), 'test-fixtures', 'runs', name);
const example = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima');
const warnings = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
const phases = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [`${e.phase}: ${e.detail}`] : []));

function graphOf(file: string): OnnxGraph {
  const d = decodeOnnxModel(new Uint8Array(fs.readFileSync(file)));
  assert.ok(d.ok, d.ok ? '' : d.message);
  return d.model.graph;
}

/** Validation accuracy of the exported file, on the run's validation split (digits: no standardization). */
async function fileAccuracy(modelPath: string, recipe: CheckedRecipe, kind: 'wasm' | 'native'): Promise<number> {
  const loaded = loadDataset(recipe.data.source, { baseDir: '.', seed: recipe.seed });
  assert.ok(!isDataError(loaded));
  const { val } = splitDataset(loaded, { split: 0.8, seed: recipe.seed, shuffle: true });
  const backend = await openBackend({ kind });
  const session = await backend.createSession(new Uint8Array(fs.readFileSync(modelPath)));
  let correct = 0;
  for (const b of batches(val, { batch: 256, seed: 0, epoch: 0, shuffle: false })) {
    const out = await session.run({ input: { dtype: 'float32', shape: [b.size, 1, 8, 8], data: b.x } });
    correct += accuracyOf(out['logits']?.data as Float32Array, b.labels ?? new Int32Array(), 10) * b.size;
  }
  await session.release();
  return correct / val.count;
}

const digits = bundledAssetsDir() === undefined ? 'no bundled digits' : false;

test('digits-sam: int8 weights and activations in the file, a quarter of the weight bytes; the reported quantized accuracy is the file\'s', { skip: digits }, async () => {
  const { result, events, recipe } = await runFile(example, (t) => t.replace('export = "out/digits-sam.onnx"', '').replace(', sharpness(rho: 0.05)', ''));
  const { result: plain } = await runFile(example, (t) => t.replace(/quantize \{[^}]*\}/, '').replace('export = "out/digits-sam.onnx"', '').replace(', sharpness(rho: 0.05)', ''));
  assert.ok(!warnings(events).some((w) => w.includes('activations stay float32')), warnings(events).join('\n'));
  assert.ok(phases(events).some((p) => p.startsWith('quantization: 8-bit activations at the inputs of 3 layers (per tensor, int8 symmetric, minmax over 8 calibration batches)')), phases(events).join('\n'));
  assert.ok(result.modelPath && plain.modelPath);
  const g = graphOf(result.modelPath);
  // Three weight matrices as int8 codes (128·64 + 64·128 + 10·64 weights), each input quantized.
  const codes = g.initializers.filter((t) => t.type === 'int8' && t.dims.length === 2);
  const weights = 128 * 64 + 64 * 128 + 10 * 64;
  assert.equal(codes.reduce((s, t) => s + t.data.length, 0), weights);
  assert.equal(g.nodes.filter((n) => n.opType === 'QuantizeLinear').length, 3);
  const floatWeights = graphOf(plain.modelPath).initializers.filter((t) => t.type === 'float32' && t.dims.length === 2).reduce((s, t) => s + 4 * t.data.length, 0);
  assert.equal(floatWeights, 4 * weights);
  // The file: 3 bytes saved per weight, 5 bytes (fp32 scale, int8 zero point) spent per channel; total ≥ 3.5× smaller.
  const before = fileStats(new Uint8Array(fs.readFileSync(plain.modelPath))).bytes;
  const after = fileStats(new Uint8Array(fs.readFileSync(result.modelPath))).bytes;
  assert.equal(after, before - 3 * weights + 5 * (128 + 64 + 10) + 3 * 5);
  assert.ok(before / after >= 3.5, `${before} → ${after}`);
  assert.equal(result.metrics['model_bytes_quantized'], after);
  // Bound: at 8 bits, weights and activations quantized cost at most 1 % of validation accuracy (measured: 0).
  const acc = result.metrics['val_accuracy'] ?? 0;
  const q = result.metrics['val_accuracy_quantized'] ?? 0;
  assert.ok(acc >= 0.95 && acc - q <= 0.01, `val_accuracy ${acc}, quantized ${q}`);
  // The evaluation graph computes what the file computes: the same accuracy on the validation split.
  for (const kind of ['native', 'wasm'] as const) assert.equal(await fileAccuracy(result.modelPath, recipe, kind), q, kind);
});

test('lowrank-export-mlp: TRP layers exported as two Gemms each; parameters in the file = the reported count; the file\'s accuracy is the reported one', { skip: digits }, async () => {
  const { result, events, recipe } = await runFile(fixture('lowrank-export-mlp.minima'));
  const m = result.metrics;
  const factored = phases(events).find((p) => p.startsWith('lowrank: factored export'));
  assert.ok(factored, phases(events).join('\n'));
  const ranks = [...(factored ?? '').matchAll(/(dense_\d) rank (\d+) as two Gemms/g)].map((r) => Number(r[2]));
  assert.equal(ranks.length, 2);
  assert.equal(m['rank/dense_1'], ranks[0]);
  assert.ok(result.modelPath);
  const g = graphOf(result.modelPath);
  assert.equal(g.nodes.filter((n) => n.opType === 'Gemm').length, 5);
  const [r1 = 0, r2 = 0] = ranks;
  const expected = r1 * (64 + 128) + 128 + r2 * (128 + 64) + 64 + 10 * 64 + 10;
  assert.equal(m['model_params_exported'], expected);
  assert.equal(fileStats(new Uint8Array(fs.readFileSync(result.modelPath))).parameters, expected);
  assert.equal(m['model_bytes_exported'], 4 * expected);
  for (const kind of ['native', 'wasm'] as const) assert.equal(await fileAccuracy(result.modelPath, recipe, kind), m['val_accuracy_factored'], kind);
  assert.ok((m['val_accuracy_factored'] ?? 0) > 0.8, `val_accuracy_factored ${m['val_accuracy_factored']}`);
});

test('lowrank-export-cnn + int8 ptq: the TRP conv as a 3×1 and a 1×3 conv with int8 kernels; the file\'s accuracy is the reported one', { skip: digits }, async () => {
  const file = fixture('lowrank-export-cnn.minima');
  const { result, recipe } = await runFile(file, (t) => `${t}\nquantize {\n  bits = 8\n  calibrate = mse(batches: 4)\n}\n`);
  assert.ok(result.modelPath);
  const g = graphOf(result.modelPath);
  const k = result.metrics['rank/conv2d_2'] ?? 0;
  const kernels = g.initializers.filter((t) => t.type === 'int8' && t.dims.length === 4).map((t) => t.dims.join('x'));
  assert.deepEqual(kernels.sort(), [`${k}x8x3x1`, `16x${k}x1x3`, '8x1x3x3'].sort());
  assert.equal(g.nodes.filter((n) => n.opType === 'Conv').length, 3);
  const q = result.metrics['val_accuracy_quantized'] ?? 0;
  for (const kind of ['native', 'wasm'] as const) assert.equal(await fileAccuracy(result.modelPath, recipe, kind), q, kind);
  assert.ok(q > 0.8, `val_accuracy_quantized ${q}`);
});

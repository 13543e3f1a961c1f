// Compression of imported PyTorch models (test-fixtures/reference/import), addressed by the names
// a PyTorch user knows: parameter names, module paths, ONNX node names and globs. 2:4 pruning
// leaves exactly the named weights 2:4 along their input dimension (also for the [in, out]
// MatMul weights of the transformer), int8 ptq writes a file that onnxruntime-node loads and
// that computes what the float model does within the quantization error, sizes are reported,
// and names that select nothing fail the run before training.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../analysis';
import type { CheckedRecipe } from '../../checker';
import { decodeOnnxModel } from '../../compiler/onnx';
import { IMPORT_REFERENCE_DIR } from '../../testing/import-reference';
import { openBackend } from '../backend';
import type { LayerCompression } from '../compression-report';
import { runRecipe, type RunEvent, type RunResult } from '..';

const BASE = path.join(process.cwd(), IMPORT_REFERENCE_DIR);

/** Input features per example of each fixture model (a flat blobs source feeds its image input). */
const FEATURES: Readonly<Record<string, number>> = { 'lenet-bn-dropout': 784, transformer: 128, 'resnet-cifar': 3072, coverage: 192 };

const recipeText = (model: string, extra: string, classes = 10): string => `recipe "imported" {
  seed = 3
}

data blobs(samples: 60, features: ${FEATURES[model] ?? 0}, classes: ${classes}) {
  batch = 20
}

model onnx("${model}.onnx") {
}

train {
  epochs = 1
  optimizer = sgd(lr: 0.01, momentum: 0.9)
}

${extra}
`;

function checked(text: string): CheckedRecipe {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  return a.recipe;
}

interface Ran {
  readonly result: RunResult;
  readonly compression: readonly LayerCompression[];
  readonly events: readonly RunEvent[];
}

async function run(model: string, extra: string, classes = 10): Promise<Ran> {
  const text = recipeText(model, extra, classes);
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-import-compress-'));
  const result = await runRecipe(checked(text), { baseDir: BASE, recipeText: text, runsDir, backend: 'native', onEvent: (e) => events.push(e) });
  const finished = events.find((e): e is Extract<RunEvent, { type: 'finished' }> => e.type === 'finished');
  return { result, compression: finished?.compression ?? [], events };
}

/** The pruned weights (sparsity > 0) with their 2:4 conformance. */
function pruned(c: readonly LayerCompression[]): Record<string, number | undefined> {
  return Object.fromEntries(c.filter((l) => l.sparsity > 0).map((l) => [l.param, l.nmConformance]));
}

test('2:4 by parameter name, module path and ONNX node name (LeNet): exactly the named layers, conformance 1.0', async () => {
  const { result, compression } = await run('lenet-bn-dropout', 'prune {\n  pattern = 2:4\n  layers = ["classifier.1.weight", "classifier.4", "/classifier/classifier.6/Gemm"]\n}');
  assert.equal(result.status, 'finished', result.message);
  assert.deepEqual(pruned(compression), { 'classifier.1.weight': 1, 'classifier.4.weight': 1, 'classifier.6.weight': 1 });
  for (const l of compression.filter((r) => r.sparsity > 0)) {
    assert.equal(l.sparsity, 0.5);
    assert.ok(l.bytesAfter < l.bytesBefore, `${l.param}: ${l.bytesBefore} → ${l.bytesAfter}`);
  }
});

test('2:4 by glob (transformer): the four feed-forward MatMul weights, 2:4 along their input dim (dim 0 of [in, out])', async () => {
  const { result, compression } = await run('transformer', 'prune {\n  pattern = 2:4\n  layers = ["encoder.layers.*.linear*"]\n}');
  assert.equal(result.status, 'finished', result.message);
  const names = ['encoder.layers.0.linear1.weight', 'encoder.layers.0.linear2.weight', 'encoder.layers.1.linear1.weight', 'encoder.layers.1.linear2.weight'];
  assert.deepEqual(pruned(compression), Object.fromEntries(names.map((n) => [n, 1])));
  // Read the exported file: each column of a [in, out] weight holds 2 nonzeros in every 4 inputs.
  assert.ok(result.modelPath);
  const decoded = decodeOnnxModel(new Uint8Array(fs.readFileSync(result.modelPath)));
  assert.ok(decoded.ok);
  for (const name of names) {
    const t = decoded.model.graph.initializers.find((i) => i.name === name);
    assert.ok(t, name);
    const [rows = 0, cols = 0] = t.dims;
    for (let c = 0; c < cols; c++) {
      for (let g = 0; g < rows; g += 4) {
        let nonzero = 0;
        for (let k = 0; k < 4; k++) if ((t.data[(g + k) * cols + c] ?? 0) !== 0) nonzero++;
        assert.ok(nonzero <= 2, `${name}: column ${c}, inputs ${g}…${g + 3} keep ${nonzero}`);
      }
    }
  }
});

test('2:4 by glob on the CIFAR ResNet: every conv of the stages; int8 weights on all weighted layers by default', async () => {
  const { result, compression } = await run('resnet-cifar', 'prune {\n  pattern = 2:4\n  layers = ["layer*.conv*"]\n}\n\nquantize {\n  bits = 8\n}');
  assert.equal(result.status, 'finished', result.message);
  const convs = compression.filter((l) => /^layer\d\.\d\.conv\d\.weight$/.test(l.param));
  assert.equal(convs.length, 18);
  assert.deepEqual(Object.keys(pruned(compression)).sort(), convs.map((l) => l.param).sort());
  assert.ok(convs.every((l) => l.nmConformance === 1));
  assert.ok(compression.every((l) => l.bits === 8), 'quantize without layers takes every weighted layer');
  assert.equal(compression.length, 22);
});

test('coverage model: the grouped conv by module path, the head by node name; the depthwise 3×3 (9 inputs) cannot take 2:4', async () => {
  const ok = await run('coverage', 'prune {\n  pattern = 2:4\n  layers = ["grouped", "/head/Gemm"]\n}', 5);
  assert.equal(ok.result.status, 'finished', ok.result.message);
  assert.deepEqual(pruned(ok.compression), { 'grouped.weight': 1, 'head.weight': 1 });
  const bad = await run('coverage', 'prune {\n  pattern = 2:4\n  layers = ["depthwise"]\n}', 5);
  assert.equal(bad.result.status, 'failed');
  assert.equal(bad.result.message, 'prune: depthwise.weight has an input width of 9, which is not a multiple of 4, so 2:4 groups do not fit; leave it out of layers');
});

test('without layers, imported models follow the built-in rule: prune takes the hidden weighted layers; a 150-wide layer fails before training', async () => {
  const { result, compression } = await run('lenet-bn-dropout', 'prune {\n  sparsity = 50%\n}');
  assert.equal(result.status, 'finished', result.message);
  // LeNet's weighted layers: features.0, features.4, classifier.1, .4, .6; the first and the last are kept dense.
  assert.deepEqual(Object.keys(pruned(compression)).sort(), ['classifier.1.weight', 'classifier.4.weight', 'features.4.weight']);
  const nm = await run('lenet-bn-dropout', 'prune {\n  pattern = 2:4\n}');
  assert.equal(nm.result.status, 'failed');
  assert.match(nm.result.message ?? '', /^prune: features\.4\.weight has an input width of 150, which is not a multiple of 4/);
  assert.ok(!nm.events.some((e) => e.type === 'step'), 'no step ran');
});

test('a name or glob that selects no weighted layer fails the run, naming it', async () => {
  const { result } = await run('transformer', 'quantize {\n  layers = ["encoder.layers.*.linear*", "decoder.*"]\n}');
  assert.equal(result.status, 'failed');
  assert.equal(result.message, 'quantize: layers "decoder.*" names no weighted layer of the model');
});

test('int8 ptq of the transformer: the file loads in onnxruntime-node, its logits match the float model within the quantization error, sizes shrink', async () => {
  const quantized = await run('transformer', 'quantize {\n  bits = 8\n  layers = ["encoder.*", "head"]\n}');
  const plain = await run('transformer', '');
  assert.equal(quantized.result.status, 'finished', quantized.result.message);
  assert.ok(quantized.result.modelPath && plain.result.modelPath);
  const g = decodeOnnxModel(new Uint8Array(fs.readFileSync(quantized.result.modelPath)));
  assert.ok(g.ok);
  const codes = g.model.graph.initializers.filter((t) => t.type === 'int8' && t.name.endsWith('.quantized')).map((t) => t.name).sort();
  assert.equal(codes.length, 9, codes.join(', '));
  assert.ok(codes.includes('encoder.layers.1.linear2.weight.quantized') && codes.includes('head.weight.quantized'), codes.join(', '));
  const q = quantized.compression.filter((l) => l.bits === 8).map((l) => l.param);
  assert.ok(!q.includes('embed.weight'), 'embed is not named');
  const m = quantized.result.metrics;
  assert.ok((m['model_bytes_quantized'] ?? Infinity) < 0.5 * (plain.result.metrics['model_bytes_exported'] ?? 0), JSON.stringify(m));
  // The same inputs through both files in onnxruntime-node.
  const backend = await openBackend({ kind: 'native' });
  const x = Float32Array.from({ length: 32 * 128 }, (_, i) => Math.sin(i * 0.37));
  const logits = async (file: string): Promise<Float32Array> => {
    const session = await backend.createSession(new Uint8Array(fs.readFileSync(file)));
    const out = await session.run({ input: { dtype: 'float32', shape: [32, 128], data: x } });
    await session.release();
    return out['logits']?.data as Float32Array;
  };
  const [a, b] = [await logits(quantized.result.modelPath), await logits(plain.result.modelPath)];
  assert.equal(a.length, 32 * 10);
  let worst = 0;
  let range = 0;
  let agree = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    range = Math.max(range, Math.abs(b[i] ?? 0));
  }
  for (let r = 0; r < 32; r++) if (argmax(a, r * 10, 10) === argmax(b, r * 10, 10)) agree++;
  // Bound: per-channel int8 weights and int8 activations move logits by a few quantization steps of
  // the activations' range; measured 0.021 for logits up to 0.84 (2.4%), 32/32 predictions equal.
  assert.ok(worst <= 0.1 * range, `max |Δlogit| ${worst} for logits up to ${range}`);
  assert.ok(agree >= 30, `${agree}/32 predictions agree`);
  assert.ok(Math.abs((m['val_accuracy_quantized'] ?? 0) - (m['val_accuracy'] ?? 0)) <= 1 / 12 + 1e-9, JSON.stringify(m));
});

function argmax(a: Float32Array, from: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if ((a[from + k] ?? 0) > (a[from + best] ?? 0)) best = k;
  return best;
}

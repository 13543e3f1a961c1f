import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { Message } from '../../../testing/protobuf-decode';
import { openBackend } from '../../backend';
import { runRecipe, type RunEvent, type RunResult } from '../..';
import { scheduledSparsity } from '../prune-masks';

// The prune block executed by the engine on small recipes (test-fixtures/runs/prune-*.minima) and
// on the digits example.

async function runFile(file: string, edit: (text: string) => string = (t) => t): Promise<{ result: RunResult; events: RunEvent[] }> {
  const text = edit(fs.readFileSync(file, 'utf8'));
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-prune-'));
  const result = await runRecipe(a.recipe, { baseDir: path.dirname(file), recipeText: text, runsDir, backend: 'native', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const fixture = (name: string) => path.join(process.cwd(), 'test-fixtures', 'runs', name);
const epochMetrics = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
const phases = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.detail}`] : []));

/** Float32 initializers of the exported model with the given dims. */
function initializers(modelPath: string, dims: readonly number[]): Float32Array[] {
  const graph = Message.decode(new Uint8Array(fs.readFileSync(modelPath))).messages(7)[0];
  assert.ok(graph);
  return graph.messages(5).flatMap((t) => {
    const d = t.packedInts(1);
    const raw = t.bytes(9);
    if (t.int(2) !== 1 || !raw || d.length !== dims.length || d.some((x, i) => x !== dims[i])) return [];
    return [new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))];
  });
}

test('gradual magnitude pruning follows the cubic schedule, holds pruned weights at zero and exports them', async () => {
  const { result, events } = await runFile(fixture('prune-gradual.minima'));
  // 320 training examples, batch 32: 10 steps per epoch; from 1ep to 4ep, every 1ep; dense_2 has 256 weights.
  const schedule = { from: 10, to: 40, initial: 0, final: 0.8, exponent: 3 };
  const expected = [0, 0, 20, 30, 40, 40].map((t, e) => (e < 1 ? 0 : Math.floor(scheduledSparsity(t, schedule) * 256) / 256));
  assert.deepEqual(epochMetrics(events).map((m) => m['sparsity/dense_2']), expected);
  assert.deepEqual(phases(events).map((p) => p.split(':')[0]), ['10 started (sparsity 80.0%, gradual)', '20 mask updated', '30 mask updated', '40 finished']);
  // The run still learns the moons.
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
  // Only dense_2 is pruned: overall sparsity over the 32 + 256 + 32 weights.
  assert.equal(result.metrics['sparsity'], Math.floor(0.8 * 256) / 320);
  assert.ok(result.modelPath);
  const [w] = initializers(result.modelPath, [16, 16]);
  assert.ok(w);
  assert.equal(w.filter((v) => v === 0).length, Math.floor(0.8 * 256));
});

test('SR-STE learns 2:4 masks from 2ep to 5ep and fixes them; no warning about the prune block', async () => {
  const { result, events } = await runFile(fixture('prune-srste.minima'));
  const metrics = epochMetrics(events);
  metrics.forEach((m, e) => {
    if (e >= 2) {
      assert.equal(m['nm_conformance'], 1, `epoch ${e}`);
      assert.equal(m['sparsity/dense_2'], 0.5, `epoch ${e}`);
    } else {
      assert.equal(m['sparsity/dense_2'], 0, `epoch ${e}`);
    }
  });
  assert.deepEqual(phases(events).map((p) => p.split(/[ :]/).slice(0, 2).join(' ')), ['20 started', '50 finished']);
  assert.deepEqual(events.filter((e) => e.type === 'warning' && /prune|nm_conformance/.test(e.message)), []);
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
});

test('the digits example prunes dense_1 and dense_2 to 2:4 and keeps ≥ 95% validation accuracy', async () => {
  const file = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima');
  const { result } = await runFile(file, (t) => t.replace('metrics = [loss, accuracy, sparsity,', 'metrics = [loss, accuracy, sparsity, nm_conformance,').replace('export = "out/digits-sam.onnx"', ''));
  const m = result.metrics;
  assert.ok((m['val_accuracy'] ?? 0) >= 0.95, `val_accuracy ${m['val_accuracy']}`);
  assert.equal(m['nm_conformance'], 1);
  assert.equal(m['nm_conformance/dense_1'], 1);
  assert.equal(m['nm_conformance/dense_2'], 1);
  assert.equal(m['sparsity/dense_1'], 0.5);
  assert.equal(m['sparsity/dense_2'], 0.5);
  // Post-training int8 quantization (the example's quantize block), exported as QDQ.
  assert.ok((m['val_accuracy_quantized'] ?? 0) >= 0.95, `val_accuracy_quantized ${m['val_accuracy_quantized']}`);
  assert.ok(result.modelPath);
  const backend = await openBackend({ kind: 'wasm' });
  const session = await backend.createSession(new Uint8Array(fs.readFileSync(result.modelPath)));
  const out = await session.run({ input: { dtype: 'float32', shape: [1, 1, 8, 8], data: new Float32Array(64) } });
  await session.release();
  assert.equal(out['logits']?.data.length, 10);
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { decodeOnnxModel } from '../../../compiler/onnx';
import { runCli } from '../../../testing/cli';
import { runRecipe, type RunEvent, type RunResult } from '../..';
import { loadNative, type BackendName } from '../../backend';

// prune { method = obc } run by the engine on wasm and native and through the CLI: training is
// untouched, the compression happens after the last step and before the last evaluation (phase
// event, obc_error metrics), and the export and compression report carry its zeros and codes.

const EXAMPLE = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-obc.minima');
const text = fs.readFileSync(EXAMPLE, 'utf8');

async function run(source: string, backend: BackendName): Promise<{ result: RunResult; events: RunEvent[] }> {
  const a = analyze(source);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-obc-'));
  const result = await runRecipe(a.recipe, { baseDir: runsDir, recipeText: source, runsDir, backend, onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}
const losses = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss']] : []));
const phases = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.phase}: ${e.detail}`] : []));

const native = loadNative();
for (const backend of ['wasm', 'native'] as const) {
  test(`${backend}: obc 2:4 + 4 bits after the last step: training unchanged, N:M conformance 1, uint8 codes in the export`, { skip: backend === 'native' && !native.ok ? 'native backend unavailable' : false }, async () => {
    const short = text.replace('epochs = 8', 'epochs = 3');
    const { result, events } = await run(short.replace('method = obc(batches: 16)', 'method = obc(batches: 4, bits: 4)').replace('sparsity = 75%', 'pattern = 2:4'), backend);
    const { events: plain } = await run(short.replace(/prune \{[^}]*\}/, ''), backend);
    // 1437 examples, batch 64: 23 steps per epoch; the compression comes after step 69.
    assert.deepEqual(losses(events), losses(plain));
    const ph = phases(events);
    assert.match(ph[0] ?? '', /^68 pruning: obc \(2:4 pruning and 4-bit symmetric quantization, 221 calibration examples from the last 4 batches\): dense_1 error [\d.]+, dense_2 error [\d.]+$/);
    const last = events.filter((e) => e.type === 'epoch').pop();
    assert.ok(last && last.type === 'epoch' && (last.metrics['obc_error/dense_1'] ?? 0) > 0 && (last.metrics['obc_error/dense_2'] ?? 0) > 0);
    assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
    assert.equal(result.metrics['val_accuracy_quantized'], result.metrics['val_accuracy'], 'the model was evaluated on the grid already');
    const finished = events.find((e) => e.type === 'finished');
    assert.ok(finished && finished.type === 'finished');
    for (const layer of ['dense_1', 'dense_2']) {
      const c: { nmConformance?: number; bits?: number; sparsity?: number } | undefined = finished.compression?.find((l) => l.layer === layer);
      assert.ok(c, layer);
      assert.equal(c.nmConformance, 1);
      assert.equal(c.bits, 4);
      assert.ok((c.sparsity ?? 0) >= 0.5);
    }
    assert.ok(result.modelPath);
    const decoded = decodeOnnxModel(new Uint8Array(fs.readFileSync(result.modelPath)));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
    assert.equal(decoded.model.graph.initializers.filter((t) => t.type === 'uint8' && t.dims.length === 2).length, 2);
  });
}

test('obc through the CLI: 75% sparsity after training, reported with its layer errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-obc-cli-'));
  const file = path.join(dir, 'obc.minima');
  fs.writeFileSync(file, text.replace('epochs = 8', 'epochs = 4'));
  const r = runCli(['run', file, '--backend', 'wasm'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /phase: pruning obc \(75\.0% pruning/);
  assert.match(r.stdout, /obc_error\/dense_1\s+[\d.]+/);
});

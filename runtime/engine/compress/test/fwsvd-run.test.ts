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

// lowrank { method = fwsvd } run by the engine (test-fixtures/runs/lowrank-fwsvd.minima) on wasm
// and native, and through the CLI: the projection at `from` with the Fisher of the batches
// before it, rank and energy metrics in the epoch events, and the factored export.

const FIXTURE = path.join(process.cwd(), 'test-fixtures', 'runs', 'lowrank-fwsvd.minima');

async function run(text: string, backend: BackendName): Promise<{ result: RunResult; events: RunEvent[] }> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-fwsvd-'));
  const result = await runRecipe(a.recipe, { baseDir: runsDir, recipeText: text, runsDir, backend, onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const native = loadNative();
for (const backend of ['wasm', 'native'] as const) {
  test(`${backend}: fwsvd projects dense_2 to rank 3 at 2ep with the Fisher of 4 batches, and exports two Gemms`, { skip: backend === 'native' && !native.ok ? 'native backend unavailable' : false }, async () => {
    const { result, events } = await run(fs.readFileSync(FIXTURE, 'utf8'), backend);
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
    assert.deepEqual(epochs.map((m) => m['rank/dense_2']), [undefined, undefined, 3, 3, 3]);
    const energy = epochs[2]?.['energy/dense_2'] ?? NaN;
    assert.ok(energy > 0 && energy < 1, `energy ${energy}`);
    const phases = events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.phase}: ${e.detail}`] : []));
    assert.match(phases[0] ?? '', /^20 lowrank: fwsvd \(Fisher over 4 batches\): dense_2 rank 3 \(\d+\.\d% weighted energy, row weights spread [\d.]+×\)$/);
    assert.equal(phases[1], '50 lowrank: factored export: dense_2 rank 3 as two Gemms (576 → 144 parameters)');
    assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
    assert.ok((result.metrics['val_accuracy_factored'] ?? 0) > 0.85, `val_accuracy_factored ${result.metrics['val_accuracy_factored']}`);
    assert.ok(result.modelPath);
    const decoded = decodeOnnxModel(new Uint8Array(fs.readFileSync(result.modelPath)));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
    const dims = decoded.model.graph.initializers.filter((t) => t.dims.length === 2).map((t) => t.dims.join('×'));
    assert.ok(dims.includes('3×24') && dims.includes('24×3'), dims.join(', '));
  });
}

test('fwsvd before any training step is refused by `minima check` and `minima run` with the located error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-fwsvd-cli-'));
  const file = path.join(dir, 'early.minima');
  fs.writeFileSync(file, fs.readFileSync(FIXTURE, 'utf8').replace('from = 2ep', 'from = 0ep'));
  const check = runCli(['check', file]);
  assert.equal(check.code, 1, check.stdout + check.stderr);
  assert.match(check.stdout, /early\.minima:24:10: error M025: fwsvd weighs the SVD by the Fisher information/);
  const r = runCli(['run', file, '--backend', 'wasm'], { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(r.stdout + r.stderr, /M025/);
  assert.ok(!fs.existsSync(path.join(dir, '.minima')), 'no run folder for a recipe with errors');
});

test('fwsvd through the CLI: the run prints the lowrank metrics', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-fwsvd-cli-'));
  const file = path.join(dir, 'run.minima');
  fs.copyFileSync(FIXTURE, file);
  const r = runCli(['run', file, '--backend', 'wasm'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /rank\/dense_2\s+3/);
  assert.match(r.stdout, /val_accuracy_factored/);
});

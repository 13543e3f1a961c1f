import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { decodeOnnxModel } from '../../../compiler/onnx';
import { runRecipe, type RunEvent, type RunResult } from '../..';
import { bundledAssetsDir } from '../../data/digits';

// The quantize block with qat and the lowrank block (svd, trp) executed by the engine on small
// recipes (test-fixtures/runs/qat-*.minima, lowrank-*.minima) and QAT on the digits example;
// qat(lsq) is in qat-lsq-run.test.ts.

async function runText(text: string, baseDir: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-qat-'));
  const result = await runRecipe(a.recipe, { baseDir, recipeText: text, runsDir, backend: 'native', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const fixture = (name: string) => path.join(process.cwd(), 'test-fixtures', 'runs', name);
const runFile = (name: string, edit: (t: string) => string = (t) => t) => runText(edit(fs.readFileSync(fixture(name), 'utf8')), path.dirname(fixture(name)));
const epochs = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
const steps = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss'] ?? NaN] : []));
const phases = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.phase}: ${e.detail}`] : []));
const warnings = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));

test('qat: identical to float training before `from`, a phase event at `from`, quantized metrics and QDQ export', async () => {
  const { result, events } = await runFile('qat-moons.minima');
  const { events: plain } = await runFile('qat-moons.minima', (t) => t.replace(/quantize \{[^}]*\}/, ''));
  // 320 examples, batch 32: 10 steps per epoch; qat from 3ep = step 30.
  assert.deepEqual(steps(events).slice(0, 30), steps(plain).slice(0, 30));
  assert.notDeepEqual(steps(events).slice(30), steps(plain).slice(30));
  const ph = phases(events);
  assert.ok(ph[0]?.startsWith('30 quantization: quantization-aware training started: 4-bit weights in 3 layers (per channel, symmetric'), ph.join('\n'));
  assert.ok(!warnings(events).some((w) => w.includes('not executed')), warnings(events).join('\n'));
  const acc = result.metrics['val_accuracy'] ?? 0;
  const q = result.metrics['val_accuracy_quantized'] ?? 0;
  assert.ok(acc > 0.85, `val_accuracy ${acc}`);
  // The network was trained on the 4-bit grid: quantizing it costs (almost) nothing.
  assert.ok(Math.abs(acc - q) <= 0.0125 + 1e-9, `val_accuracy ${acc}, quantized ${q}`);
  assert.ok(result.modelPath);
  // The weights are stored as int8 codes, each dequantized by a DequantizeLinear.
  const decoded = decodeOnnxModel(new Uint8Array(fs.readFileSync(result.modelPath)));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
  assert.equal(decoded.model.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').length, 3);
  assert.equal(decoded.model.graph.initializers.filter((t) => t.type === 'int8' && t.dims.length === 2).length, 3);
});

test('qat with 16 bits follows the float training trajectory', async () => {
  const { events } = await runFile('qat-moons.minima', (t) => t.replace('bits = 4', 'bits = 16').replace('from = 3ep', 'from = 0ep'));
  const { events: plain } = await runFile('qat-moons.minima', (t) => t.replace(/quantize \{[^}]*\}/, ''));
  const a = steps(events);
  const b = steps(plain);
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - (b[i] ?? NaN)) < 2e-3 * Math.max(1, Math.abs(x)), `step ${i}: ${x} vs ${b[i]}`));
});

test('svd(rank: 3) on dense_2 at 2ep: rank 3 from then on, phase event, training continues', async () => {
  const { result, events } = await runFile('lowrank-svd.minima');
  const ms = epochs(events);
  assert.deepEqual(ms.map((m) => m['rank/dense_2']), [undefined, undefined, 3, 3, 3]);
  assert.ok((ms[2]?.['energy/dense_2'] ?? 0) > 0 && (ms[2]?.['energy/dense_2'] ?? 2) <= 1);
  // The projection at 2ep, then the factored export after the last step (50): 24·24 → 3·(24 + 24) parameters.
  assert.deepEqual(phases(events).map((p) => p.split(':')[0]), ['20 lowrank', '50 lowrank']);
  assert.ok(phases(events)[0]?.includes('dense_2 rank 3'));
  assert.equal(phases(events)[1], '50 lowrank: factored export: dense_2 rank 3 as two Gemms (576 → 144 parameters)');
  assert.ok(!warnings(events).some((w) => w.includes('lowrank')), warnings(events).join('\n'));
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
});

test('trp(energy 0.9) keeps ≥ 90 % energy each projection and reports start and end', async () => {
  const { result, events } = await runFile('lowrank-trp.minima');
  const ms = epochs(events);
  for (const m of ms.slice(1)) {
    assert.ok((m['energy/dense_2'] ?? 0) >= 0.9, `energy ${m['energy/dense_2']}`);
    assert.ok((m['rank/dense_2'] ?? 99) < 24, `rank ${m['rank/dense_2']}`);
  }
  assert.deepEqual(phases(events).map((p) => p.split(' (')[0]?.split(':').slice(0, 2).join(':')), ['10 lowrank: trp started', '40 lowrank: trp finished', '50 lowrank: factored export']);
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
});

test('trp with energy 1 and no nuclear term ≈ unconstrained training', async () => {
  const { events } = await runFile('lowrank-trp.minima', (t) => t.replace('trp(energy: 0.9, nuclear: 1e-3)', 'trp(energy: 1)'));
  const { events: plain } = await runFile('lowrank-trp.minima', (t) => t.replace(/lowrank \{[^}]*\}/, ''));
  const a = steps(events);
  const b = steps(plain);
  a.forEach((x, i) => assert.ok(Math.abs(x - (b[i] ?? NaN)) < 1e-4, `step ${i}: ${x} vs ${b[i]}`));
  assert.equal(epochs(events)[3]?.['rank/dense_2'], 24);
});

const digitsAssets = bundledAssetsDir();
test('digits with qat int8 reaches ≥ 95 % and the quantized accuracy is within 1 %', { skip: digitsAssets === undefined ? 'no bundled digits' : false }, async () => {
  const file = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima');
  // The example's ptq block becomes qat (from its default, 90 % of the epochs); no export file, no probes.
  const text = fs.readFileSync(file, 'utf8').replace(/quantize \{[^}]*\}/, 'quantize {\n  method = qat\n  bits = 8\n}').replace(/report \{[^}]*\}/, '');
  const { result, events } = await runText(text, path.dirname(file));
  assert.ok(phases(events).some((p) => p.includes('quantization-aware training started')));
  const acc = result.metrics['val_accuracy'] ?? 0;
  const q = result.metrics['val_accuracy_quantized'] ?? 0;
  assert.ok(acc >= 0.95, `val_accuracy ${acc}`);
  assert.ok(Math.abs(acc - q) <= 0.01, `val_accuracy ${acc}, quantized ${q}`);
});

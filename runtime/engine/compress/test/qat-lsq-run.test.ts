import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../../analysis';
import { decodeOnnxModel } from '../../../compiler/onnx/decode';
import { runRecipe, type RunEvent, type RunResult } from '../..';

// qat(lsq) executed by the engine on test-fixtures/runs/qat-lsq-moons.minima (moons, 4-bit per
// channel from 2ep, SGD with momentum as in the LSQ paper): learned step sizes in the run state,
// reported per epoch, compared with the ste run, and used by the QDQ export.

async function runText(text: string, baseDir: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-lsq-'));
  const result = await runRecipe(a.recipe, { baseDir, recipeText: text, runsDir, backend: 'native', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const fixture = path.join(process.cwd(), 'test-fixtures', 'runs', 'qat-lsq-moons.minima');
const runFixture = (edit: (t: string) => string = (t) => t) => runText(edit(fs.readFileSync(fixture, 'utf8')), path.dirname(fixture));
const noQuantize = (t: string) => t.replace(/quantize \{[^}]*\}/, '');
const epochs = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
const steps = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss'] ?? NaN] : []));
const phases = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.phase}: ${e.detail}`] : []));
const warnings = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
const LAYERS = ['dense_1', 'dense_2', 'dense_3'];

test('qat(lsq): no fallback warning, phase events say lsq, step sizes learned from 2ep, accuracy close to ste, export with the learned step sizes', async () => {
  const { result, events } = await runFixture();
  const { result: ste } = await runFixture((t) => t.replace('method = qat(lsq)', 'method = qat(ste)'));
  const { events: plain } = await runFixture(noQuantize);
  assert.ok(!warnings(events).some((w) => w.includes('lsq') || w.includes('not executed') || w.includes('not compiled')), warnings(events).join('\n'));
  // 320 examples, batch 32: 10 steps per epoch; qat from 2ep = step 20. Float training before it.
  assert.deepEqual(steps(events).slice(0, 20), steps(plain).slice(0, 20));
  const ph = phases(events);
  assert.ok(ph[0]?.startsWith('20 quantization: quantization-aware training started: 4-bit weights in 3 layers (per channel, symmetric, learned step sizes (lsq)'), ph.join('\n'));
  assert.match(ph[1] ?? '', /^60 quantization: 4-bit weights in 3 layers \(per channel, symmetric, lsq step sizes, learned\/init [0-9.]+–[0-9.]+\)$/, ph.join('\n'));
  // The step sizes are reported from the epoch QAT starts in, and training keeps moving them.
  const ms = epochs(events);
  for (const layer of LAYERS) {
    const series = ms.map((m) => m[`lsq_scale/${layer}`]);
    assert.deepEqual(series.slice(0, 2), [undefined, undefined], layer);
    const learned = series.slice(2).map((v) => v ?? NaN);
    assert.ok(learned.every((v) => Number.isFinite(v) && v > 0), `${layer}: ${learned.join(', ')}`);
    assert.ok(new Set(learned).size === learned.length, `${layer} step size did not change: ${learned.join(', ')}`);
  }
  // Bound: the quantized validation accuracy of lsq within 0.05 (4 of 80 examples) of ste's; the
  // fixture measures 0.9375 for both. The float weights of a QAT run are never what it trained with,
  // so the comparison is on the quantized model.
  const lsqAcc = result.metrics['val_accuracy_quantized'] ?? 0;
  const steAcc = ste.metrics['val_accuracy_quantized'] ?? 0;
  assert.ok(lsqAcc > 0.85, `lsq val_accuracy_quantized ${lsqAcc}`);
  assert.ok(Math.abs(lsqAcc - steAcc) <= 0.05 + 1e-9, `lsq ${lsqAcc}, ste ${steAcc}`);
  // The export quantizes with the learned step sizes: each DequantizeLinear's per-channel scale has
  // the mean the last epoch reported for its layer.
  assert.ok(result.modelPath);
  const decoded = decodeOnnxModel(new Uint8Array(fs.readFileSync(result.modelPath)));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
  const initializers = new Map(decoded.model.graph.initializers.map((t) => [t.name, t.data]));
  const scales = decoded.model.graph.nodes.filter((n) => n.opType === 'DequantizeLinear').map((n) => initializers.get(n.inputs[1] ?? '') ?? new Float64Array());
  assert.equal(scales.length, 3);
  const last = ms[ms.length - 1] ?? {};
  const exportedMeans = scales.map((s) => s.reduce((a, b) => a + b, 0) / s.length).sort();
  const learnedMeans = LAYERS.map((l) => last[`lsq_scale/${l}`] ?? NaN).sort();
  exportedMeans.forEach((m, i) => assert.ok(Math.abs(m - (learnedMeans[i] ?? NaN)) <= 1e-6 * Math.abs(m), `exported scale mean ${m}, learned ${learnedMeans[i]}`));
});

test('qat(lsq) with 16 bits from 0ep follows the float training trajectory', async () => {
  const { events } = await runFixture((t) => t.replace('bits = 4', 'bits = 16').replace('from = 2ep', 'from = 0ep'));
  const { events: plain } = await runFixture(noQuantize);
  const a = steps(events);
  const b = steps(plain);
  assert.equal(a.length, b.length);
  // LSQ's init puts 16-bit steps at 2·mean|w|/√32767 ≈ 1 % of mean|w| (min–max: max|w|/32767),
  // so the rounding is coarser than ste's at 16 bits. Measured worst: 2.3e-3 relative.
  a.forEach((x, i) => assert.ok(Math.abs(x - (b[i] ?? NaN)) < 5e-3 * Math.max(1, Math.abs(x)), `step ${i}: ${x} vs ${b[i]}`));
});

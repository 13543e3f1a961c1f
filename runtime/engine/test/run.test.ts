import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import type { CheckedRecipe } from '../../checker';
import { openBackend } from '../backend';
import { readEvents, readSummary, runRecipe, type RunEvent } from '..';

const FIXTURES = path.join(process.cwd(), 'test-fixtures', 'runs');

function recipe(file: string): { recipe: CheckedRecipe; text: string } {
  const text = fs.readFileSync(file, 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe, `${file}: ${a.diagnostics.map((d) => d.message).join('; ')}`);
  return { recipe: a.recipe, text };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-run-'));
}

for (const backend of ['wasm', 'native'] as const) {
  test(`a small recipe trains on ${backend}, streams events and keeps a complete run folder`, async () => {
    const { recipe: r, text } = recipe(path.join(FIXTURES, 'moons-small.minima'));
    const runs = tmp();
    const events: RunEvent[] = [];
    const result = await runRecipe(r, { baseDir: FIXTURES, recipeText: text, runsDir: runs, backend, onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'finished', result.message);
    assert.equal(events[0]?.type, 'started');
    assert.equal(events[events.length - 1]?.type, 'finished');
    const started = events[0];
    assert.ok(started?.type === 'started' && started.run.backend === backend);
    const steps = events.filter((e) => e.type === 'step');
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.equal(epochs.length, 8);
    assert.equal(steps.length, 8 * Math.ceil(320 / 32));
    // The loss goes down and the model separates the moons.
    const firstLoss = steps[0]?.type === 'step' ? steps[0].metrics['loss'] ?? NaN : NaN;
    assert.ok((result.metrics['loss'] ?? Infinity) < firstLoss, `loss ${result.metrics['loss']} vs first ${firstLoss}`);
    assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
    // The run folder: recipe copy, every event on disk, summary, model.
    const dir = result.runDir ?? '';
    assert.equal(fs.readFileSync(path.join(dir, 'recipe.minima'), 'utf8'), text);
    assert.deepEqual(readEvents(dir).map((e) => e.type), events.map((e) => e.type));
    const summary = readSummary(dir);
    assert.equal(summary?.status, 'finished');
    assert.equal(summary?.backend, backend);
    assert.ok(fs.statSync(path.join(dir, 'model.onnx')).size > 0);
  });
}

test('the exported model runs in onnxruntime and matches the final validation accuracy', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'moons-small.minima'));
  const runs = tmp();
  const result = await runRecipe(r, { baseDir: FIXTURES, recipeText: text, runsDir: runs, backend: 'wasm' });
  assert.equal(result.status, 'finished');
  const backend = await openBackend({ kind: 'wasm' });
  const session = await backend.createSession(fs.readFileSync(result.modelPath ?? ''));
  assert.deepEqual([...session.inputNames], ['input']);
  assert.deepEqual([...session.outputNames].sort(), ['logits', 'probabilities']);
  const out = await session.run({ input: { dtype: 'float32', shape: [2, 2], data: Float32Array.of(0, 0.5, 1, -0.5) } });
  const probs = out['probabilities']?.data as Float32Array;
  assert.equal(probs.length, 4);
  assert.ok(Math.abs((probs[0] ?? 0) + (probs[1] ?? 0) - 1) < 1e-5);
  await session.release();
});

test('a diverging run stops within one step with a clear message', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'diverge.minima'));
  const events: RunEvent[] = [];
  const result = await runRecipe(r, { baseDir: FIXTURES, recipeText: text, runsDir: tmp(), backend: 'wasm', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'failed');
  const last = events[events.length - 1];
  assert.ok(last?.type === 'failed' && last.reason === 'diverged', JSON.stringify(last));
  assert.match(last.message, /diverged: the loss became (NaN|Infinity|-Infinity) at epoch \d+, step \d+/);
  // Every reported step had a finite loss; the failing step is the next one.
  const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
  assert.ok(steps.every((s) => Number.isFinite(s.metrics['loss'])));
  assert.equal(last.step, steps.length + 1);
  assert.equal(readSummary(result.runDir ?? '')?.status, 'failed');
});

test('an AbortSignal stops the run within one step and keeps every metric written', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'long.minima'));
  const controller = new AbortController();
  const events: RunEvent[] = [];
  const result = await runRecipe(r, {
    baseDir: FIXTURES,
    recipeText: text,
    runsDir: tmp(),
    backend: 'wasm',
    signal: controller.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'step' && e.step === 25) controller.abort();
    },
  });
  assert.equal(result.status, 'cancelled');
  const steps = events.filter((e) => e.type === 'step');
  assert.equal(steps.length, 25, 'no step runs after the abort');
  assert.equal(readSummary(result.runDir ?? '')?.status, 'cancelled');
  assert.equal(readEvents(result.runDir ?? '').filter((e) => e.type === 'step').length, 25);
});

test('a killed process leaves every completed step readable and the run marked interrupted', async () => {
  const runs = tmp();
  const main = path.join(__dirname, '..', '..', 'cli', 'main.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(main)}).main(process.argv.slice(1))`, 'run', path.join(FIXTURES, 'long.minima'), '--json', '--backend', 'wasm', '--runs', '.'], { cwd: runs, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the run did not reach 30 steps in time')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter((l) => l.includes('"type":"step"')).length;
      if (seen >= 30) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await new Promise((r) => child.on('exit', r));
  const [id] = fs.readdirSync(runs);
  const dir = path.join(runs, id ?? '');
  const steps = readEvents(dir).filter((e) => e.type === 'step');
  assert.ok(steps.length >= 30, `only ${steps.length} steps on disk`);
  steps.forEach((s, i) => assert.equal(s.type === 'step' ? s.step : -1, i + 1));
  assert.equal(readSummary(dir)?.status, 'interrupted');
});

test('an imported ONNX model is fine-tuned from its own weights', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'onnx-finetune.minima'));
  const result = await runRecipe(r, { baseDir: FIXTURES, recipeText: text, runsDir: tmp(), backend: 'wasm' });
  assert.equal(result.status, 'finished', result.message);
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.9, `val_accuracy ${result.metrics['val_accuracy']}`);
});

test('a missing ONNX file fails the run with a clear message', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'onnx-finetune.minima'));
  const result = await runRecipe(r, { baseDir: tmp(), recipeText: text, backend: 'wasm' });
  assert.equal(result.status, 'failed');
  assert.match(result.message ?? '', /cannot read the model .*mlp\.onnx: ENOENT/);
});

test('a backend that cannot open fails the run with its reason, not an internal error', async () => {
  const { recipe: r, text } = recipe(path.join(FIXTURES, 'moons-small.minima'));
  const events: RunEvent[] = [];
  const result = await runRecipe(r, { baseDir: FIXTURES, recipeText: text, backend: 'wasm', threads: 0, onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'failed');
  assert.match(result.message ?? '', /threads must be a positive integer/);
  assert.doesNotMatch(result.message ?? '', /internal error/);
  const last = events[events.length - 1];
  assert.ok(last?.type === 'failed' && last.reason === 'error' && !last.message.includes('internal error'));
});

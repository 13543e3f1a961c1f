import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe, type RunEvent, type RunResult } from '..';

// SAF (catalog A05) executed by the engine on test-fixtures/runs/saf-moons.minima.

async function runFile(edit: (t: string) => string = (t) => t): Promise<{ result: RunResult; events: RunEvent[] }> {
  const file = path.join(process.cwd(), 'test-fixtures', 'runs', 'saf-moons.minima');
  const text = edit(fs.readFileSync(file, 'utf8'));
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const result = await runRecipe(a.recipe, { baseDir: path.dirname(file), recipeText: text, backend: 'native', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  return { result, events };
}

const losses = (events: readonly RunEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.metrics['loss'] ?? NaN] : []));

test('saf with weight 0 trains exactly like its base optimizer', async () => {
  const { result, events } = await runFile((t) => t.replace('weight: 0.3', 'weight: 0'));
  const { result: base, events: baseEvents } = await runFile((t) => t.replace(/saf\(.*base: (sgd\([^)]*\))\)/, '$1'));
  assert.deepEqual(losses(events), losses(baseEvents));
  assert.deepEqual(result.metrics, base.metrics);
});

test('saf switches its KL term on at epoch start + 1 and still learns the moons', async () => {
  const { result, events } = await runFile();
  const { events: baseEvents } = await runFile((t) => t.replace(/saf\(.*base: (sgd\([^)]*\))\)/, '$1'));
  // 10 steps per epoch; start 1ep, window 1: the term is on from epoch index 2 (step 20).
  assert.deepEqual(events.flatMap((e) => (e.type === 'phase' ? [`${e.step} ${e.phase}`] : [])), ['20 saf']);
  assert.deepEqual(losses(events).slice(0, 20), losses(baseEvents).slice(0, 20));
  assert.notDeepEqual(losses(events).slice(20), losses(baseEvents).slice(20));
  assert.ok(!events.some((e) => e.type === 'warning' && e.message.includes('saf')));
  assert.ok((result.metrics['val_accuracy'] ?? 0) > 0.85, `val_accuracy ${result.metrics['val_accuracy']}`);
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe, type RunEvent } from '..';

// The example recipes of fwsvd, obc, online normalization, dp-sat and least volume train to the
// accuracy their comments state, on the native backend (wasm where native is missing), each in a
// few seconds.
const EXAMPLES: readonly { file: string; min: Readonly<Record<string, number>>; max?: Readonly<Record<string, number>>; phase?: RegExp }[] = [
  { file: 'digits-fwsvd.minima', min: { val_accuracy: 0.9, val_accuracy_factored: 0.9 }, phase: /^fwsvd \(Fisher over 8 batches\): dense_1 rank 16 .*dense_2 rank 16/ },
  { file: 'digits-dp-sat.minima', min: { val_accuracy: 0.85 } },
  { file: 'digits-least-volume.minima', min: {}, max: { val_loss: 0.06, latent_dims: 12 } },
  { file: 'digits-obc.minima', min: { val_accuracy: 0.93 }, phase: /^obc \(75\.0% pruning, \d+ calibration examples from the last 16 batches\): dense_1 error [\d.]+, dense_2 error [\d.]+$/ },
];

for (const { file, min, max = {}, phase } of EXAMPLES) {
  test(`the ${file} example reaches ${[...Object.entries(min).map(([k, v]) => `${k} ≥ ${v}`), ...Object.entries(max).map(([k, v]) => `${k} ≤ ${v}`)].join(', ')}`, async () => {
    const full = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', file);
    const text = fs.readFileSync(full, 'utf8');
    const a = analyze(text);
    assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-example-'));
    const events: RunEvent[] = [];
    const result = await runRecipe(a.recipe, { baseDir: runs, recipeText: text, runsDir: runs, backend: 'auto', onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'finished', result.message);
    for (const [k, v] of Object.entries(min)) assert.ok((result.metrics[k] ?? 0) >= v, `${k} ${result.metrics[k]}`);
    for (const [k, v] of Object.entries(max)) assert.ok((result.metrics[k] ?? Infinity) <= v, `${k} ${result.metrics[k]}`);
    if (phase) assert.ok(events.some((e) => e.type === 'phase' && phase.test(e.detail)), events.filter((e) => e.type === 'phase').map((e) => (e.type === 'phase' ? e.detail : '')).join('\n'));
  });
}

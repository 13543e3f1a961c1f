import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe } from '..';

// The bundled example recipes train to a useful model on the default backend. digits-sam is the
// README's `npm start` promise (≥ 95 % validation accuracy).
const EXAMPLES: readonly { file: string; minValAccuracy: number }[] = [
  { file: 'digits-sam.minima', minValAccuracy: 0.95 },
  { file: 'digits-cnn.minima', minValAccuracy: 0.9 },
  { file: 'moons-lion.minima', minValAccuracy: 0.9 },
];

for (const { file, minValAccuracy } of EXAMPLES) {
  test(`the ${file} example reaches at least ${minValAccuracy * 100}% validation accuracy`, async () => {
    const full = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', file);
    const text = fs.readFileSync(full, 'utf8');
    const a = analyze(text);
    assert.ok(a.recipe);
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-example-'));
    const result = await runRecipe(a.recipe, { baseDir: runs, recipeText: text, runsDir: runs, backend: 'auto' });
    assert.equal(result.status, 'finished', result.message);
    assert.ok((result.metrics['val_accuracy'] ?? 0) >= minValAccuracy, `val_accuracy ${result.metrics['val_accuracy']}`);
  });
}

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe } from '..';

// The README's `npm start` promise: the bundled digits recipe (SAM over AdamP) reaches ≥ 95 %
// validation accuracy on the default backend.
test('the digits example reaches at least 95% validation accuracy on the default backend', async () => {
  const file = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima');
  const text = fs.readFileSync(file, 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe);
  const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-digits-'));
  const result = await runRecipe(a.recipe, { baseDir: path.dirname(file), recipeText: text, runsDir: runs, backend: 'auto' });
  assert.equal(result.status, 'finished', result.message);
  assert.ok((result.metrics['val_accuracy'] ?? 0) >= 0.95, `val_accuracy ${result.metrics['val_accuracy']}`);
});

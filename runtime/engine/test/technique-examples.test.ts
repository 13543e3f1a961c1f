import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe, type RunEvent } from '..';

// The example recipes of the optimizers and wrappers A14 (AuON), A15 (Bloop), A16 (gradient
// regularization), A21 (DCT low-rank projection) and A20 (DeepZero) train to the stated
// validation accuracy on the default backend, each in a few seconds on one core.
// `stepMetrics` are the wrapper's own metrics, which every step event must carry.
const EXAMPLES: readonly { file: string; minValAccuracy: number; stepMetrics?: readonly string[] }[] = [
  { file: 'digits-auon.minima', minValAccuracy: 0.93 },
  { file: 'digits-bloop.minima', minValAccuracy: 0.94, stepMetrics: ['aux_loss', 'bloop_ratio'] },
  { file: 'digits-gr.minima', minValAccuracy: 0.95, stepMetrics: ['gr_penalty'] },
  { file: 'digits-dct-adam.minima', minValAccuracy: 0.96 },
  { file: 'moons-deepzero.minima', minValAccuracy: 0.97 },
];

for (const { file, minValAccuracy, stepMetrics = [] } of EXAMPLES) {
  test(`the ${file} example reaches at least ${minValAccuracy * 100}% validation accuracy`, async () => {
    const full = path.join(process.cwd(), 'test-fixtures', 'recipes', 'examples', file);
    const text = fs.readFileSync(full, 'utf8');
    const a = analyze(text);
    assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.message), []);
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-example-'));
    try {
      const steps: Record<string, number>[] = [];
      const result = await runRecipe(a.recipe, { baseDir: runs, recipeText: text, runsDir: runs, backend: 'auto', onEvent: (e: RunEvent) => void (e.type === 'step' && steps.push(e.metrics)) });
      assert.equal(result.status, 'finished', result.message);
      assert.ok((result.metrics['val_accuracy'] ?? 0) >= minValAccuracy, `val_accuracy ${result.metrics['val_accuracy']}`);
      assert.ok(steps.length > 0);
      for (const m of stepMetrics) assert.ok(steps.every((s) => Number.isFinite(s[m])), `every step event carries a finite ${m}`);
    } finally {
      fs.rmSync(runs, { recursive: true, force: true });
    }
  });
}

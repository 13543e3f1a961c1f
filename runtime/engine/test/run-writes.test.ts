// runRecipe and the file system: the run defends its writes itself, also for a plan that never
// went through the export-path check (M036), and a run folder the file system refuses is a failed
// run with an environment error, not a throw.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import type { CheckedRecipe } from '../../checker';
import { runRecipe, type RunEvent } from '..';

const TEXT = fs.readFileSync(path.join('test-fixtures', 'runs', 'moons-small.minima'), 'utf8').replace('epochs = 8', 'epochs = 1');

/** moons-small with `export` set in its plan directly, as if the checker had been bypassed. */
function exporting(exportPath: string): CheckedRecipe {
  const recipe = analyze(TEXT).recipe;
  assert.ok(recipe);
  const report = recipe.blocks['report'] ?? { attrs: {}, span: { start: 0, end: 0 } };
  return { ...recipe, blocks: { ...recipe.blocks, report: { ...report, attrs: { ...report.attrs, export: exportPath } } } };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-run-writes-'));
}

for (const exportPath of ['self.minima', 'victim.txt', '../outside.onnx']) {
  test(`a plan exporting to ${exportPath} fails the run with a message and writes nothing there`, async () => {
    const dir = tmp();
    const base = path.join(dir, 'rec');
    fs.mkdirSync(base);
    fs.writeFileSync(path.join(base, 'self.minima'), TEXT);
    fs.writeFileSync(path.join(base, 'victim.txt'), 'precious\n');
    const events: RunEvent[] = [];
    const result = await runRecipe(exporting(exportPath), { baseDir: base, recipeText: TEXT, runsDir: path.join(dir, 'runs'), backend: 'wasm', onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'failed');
    assert.match(result.message ?? '', /^the model was not exported: export .* \(the trained model is kept in .*model\.onnx\)$/);
    assert.equal(events[events.length - 1]?.type, 'failed');
    assert.equal(fs.readFileSync(path.join(base, 'self.minima'), 'utf8'), TEXT);
    assert.equal(fs.readFileSync(path.join(base, 'victim.txt'), 'utf8'), 'precious\n');
    assert.ok(!fs.existsSync(path.join(dir, 'outside.onnx')));
    assert.equal(result.exportPath, undefined);
  });
}

test('a foreign file at the export path is kept: the model goes to name-2.onnx, with a warning', async () => {
  const base = tmp();
  fs.writeFileSync(path.join(base, 'm.onnx'), 'not ours');
  const events: RunEvent[] = [];
  const result = await runRecipe(exporting('m.onnx'), { baseDir: base, recipeText: TEXT, backend: 'wasm', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'finished', result.message);
  assert.equal(result.exportPath, path.join(base, 'm-2.onnx'));
  assert.ok(events.some((e) => e.type === 'warning' && e.message === 'm.onnx exists and was not written by Minima; wrote m-2.onnx'));
  assert.equal(fs.readFileSync(path.join(base, 'm.onnx'), 'utf8'), 'not ours');
});

test('a runs folder the file system refuses fails the run with an environment error', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'runs'), 'a file');
  const events: RunEvent[] = [];
  const result = await runRecipe(exporting('m.onnx'), { baseDir: dir, recipeText: TEXT, runsDir: path.join(dir, 'runs'), backend: 'wasm', onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'failed');
  assert.equal(result.environment?.action, 'create the run folder');
  assert.equal(result.environment?.path, path.join(dir, 'runs'));
  assert.deepEqual(events.map((e) => e.type), ['failed']);
  assert.ok(!fs.existsSync(path.join(dir, 'm.onnx')), 'nothing was trained');
});

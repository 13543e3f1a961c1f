// A run that fails before its first step (the data cannot be read, or does not fit the model)
// keeps its run folder: the failure is part of the run history, with the recipe it was started
// from and why it failed. Its summary says failed with the message, and metrics.jsonl holds the
// one `failed` event. (README "Runs" and docs/architecture.md "Writes and confinement" say so.)

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { listRuns, readEvents, runRecipe } from '..';

const DATA = path.resolve('test-fixtures', 'data');
const TRAIN = '\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n';
const MLP = (units: number) => `\nmodel mlp {\n  dense(8, act: relu)\n  dense(${units})\n}\n`;

/** [name, recipe, how the failure message starts]. */
const CASES: [string, string, RegExp][] = [
  ['a missing csv file', `data csv("does-not-exist.csv", label: "species") {\n  batch = 2\n}\n${MLP(3)}${TRAIN}`, /does-not-exist\.csv/],
  ['a csv cell that is not a number', `data csv("bad-number.csv", label: "label") {\n  batch = 2\n}\n${MLP(2)}${TRAIN}`, /bad-number\.csv:\d+: /],
  ['labels with fewer classes than the model outputs', `data csv("tiny.csv", label: "species") {\n  batch = 2\n}\n${MLP(7)}${TRAIN}`, /^the labels have 3 classes, the model's last layer has 7 outputs; set dense\(3\) on line 7$/],
];

for (const [name, text, message] of CASES) {
  test(`a run that fails before its first step keeps its folder as failed: ${name}`, async () => {
    const a = analyze(text);
    assert.ok(a.recipe, JSON.stringify(a.diagnostics.map((d) => d.message)));
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-first-step-'));
    const result = await runRecipe(a.recipe, { baseDir: DATA, recipeText: text, runsDir: runs, backend: 'wasm' });
    assert.equal(result.status, 'failed');
    assert.match(result.message ?? '', message);
    assert.ok(result.runDir && fs.existsSync(result.runDir), 'the run folder is kept');
    const [summary, ...others] = listRuns(runs);
    assert.equal(others.length, 0);
    assert.deepEqual([summary?.status, summary?.message, summary?.steps], ['failed', result.message, undefined]);
    assert.deepEqual(readEvents(result.runDir).map((e) => e.type), ['failed']);
    assert.equal(fs.readFileSync(path.join(result.runDir, 'recipe.minima'), 'utf8'), text);
  });
}

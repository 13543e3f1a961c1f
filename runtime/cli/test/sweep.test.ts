// `minima sweep`: trial ids that follow what trains, a 2×2 grid run in two processes whose table
// and sweep.json agree with the run folders, and a rerun that trains only what did not finish.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { readSummary } from '../../engine';
import { runCli } from '../../testing/cli';
import { stableJson, trialId } from '../trial-id';
import type { SweepRecord } from '../sweep';

const FIXTURE = path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima');

function idOf(text: string): string {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  return trialId(a.recipe);
}

test('a trial id follows what trains, not how the recipe is written', () => {
  const base = 'data digits {\n  batch = 32\n}\n\nmodel mlp {\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n';
  const id = idOf(base);
  assert.match(id, /^[0-9a-f]{12}$/);
  assert.equal(idOf(`# a comment\n${base.replace('batch = 32', 'batch   =   32')}`), id);
  assert.notEqual(idOf(base.replace('lr: 0.1', 'lr: 0.03')), id);
  assert.notEqual(idOf(base.replace('batch = 32', 'batch = 16')), id);
  assert.equal(stableJson({ b: 1, a: [2, { d: 3, c: undefined }] }), '{"a":[2,{"d":3}],"b":1}');
});

test('a 2×2 grid runs 4 trials two at a time; a rerun trains only the trial that did not finish', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const first = runCli(['sweep', 'grid.minima', '--parallel', '2', '--json'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.equal(lines.filter((l) => l.type === 'trial').length, 4);
  const sweepDir = path.join(dir, '.minima', 'sweeps', 'grid');
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.equal(record.status, 'finished');
  assert.deepEqual(record.spec.paths, ['train.optimizer.lr', 'data.batch']);
  assert.deepEqual(record.trials.map((t) => `${t.values['train.optimizer.lr']}/${t.values['data.batch']}`).sort(), ['0.03/16', '0.03/32', '0.1/16', '0.1/32']);
  assert.equal(new Set(record.trials.map((t) => t.id)).size, 4);
  // sweep.json agrees with the run folders, and its best is the best of them.
  for (const t of record.trials) {
    assert.equal(t.status, 'finished');
    const s = readSummary(t.runDir ?? '');
    assert.equal(s?.status, 'finished');
    assert.equal(s?.final?.['val_accuracy'], t.metrics?.['val_accuracy']);
    const trialRecipe = fs.readFileSync(path.join(t.runDir ?? '', 'recipe.minima'), 'utf8');
    assert.match(trialRecipe, new RegExp(`batch = ${t.values['data.batch']}`));
    assert.doesNotMatch(trialRecipe, /sweep grid/);
  }
  const bestValue = Math.max(...record.trials.map((t) => t.metrics?.['val_accuracy'] ?? -1));
  assert.equal(record.best?.value, bestValue);

  // A rerun skips all four; after one trial's folder is removed, only that one trains again.
  const again = runCli(['sweep', 'grid.minima'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /4 trials \(4 finished before\)/);
  const gone = record.trials[2]!;
  fs.rmSync(path.join(sweepDir, gone.id), { recursive: true, force: true });
  const third = runCli(['sweep', 'grid.minima', '--json'], { cwd: dir });
  assert.equal(third.code, 0, third.stderr);
  const ran = third.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string }).filter((l) => l.type === 'trial');
  assert.deepEqual(ran.map((l) => l.id), [gone.id]);
});

test('minima run trains the base recipe and says the sweep block is ignored; a recipe without one is refused by sweep', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const run = runCli(['run', 'grid.minima', '--backend', 'wasm'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /ignores its sweep block; `minima sweep grid.minima` runs the trials/);
  fs.writeFileSync(path.join(dir, 'plain.minima'), 'data digits {\n  batch = 32\n}\n\nmodel mlp {\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n');
  const none = runCli(['sweep', 'plain.minima'], { cwd: dir });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /has no sweep block/);
  const bad = runCli(['sweep', 'grid.minima', '--parallel', '0'], { cwd: dir });
  assert.equal(bad.code, 2);
});

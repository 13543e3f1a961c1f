// Reading the run store back: one bad run folder never hides or breaks the others. Each case is
// a folder's summary.json as a file system may hold it, and how listRuns shows that folder.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createRun, isEnvironmentError, listRuns, readEvents, readSummary, type RunEvent } from '..';

const GOOD = { id: 'x', recipe: 'digits', status: 'finished', pid: process.pid, started: '2026-01-02T03:04:05.000Z', ended: '2026-01-02T03:04:09.000Z', seconds: 4, steps: 10, final: { loss: 0.5 } };
const json = (x: unknown) => JSON.stringify(x, null, 2);

/** [folder, summary.json (undefined: none), expected status, expected message]. */
const CASES: [string, string | undefined, string, string | undefined][] = [
  ['good', json(GOOD), 'finished', undefined],
  ['truncated', json(GOOD).slice(0, 40), 'damaged', 'summary.json is cut short or not JSON'],
  ['empty', '', 'damaged', 'summary.json is empty'],
  ['missing', undefined, 'damaged', 'summary.json is missing'],
  ['no-started', json({ ...GOOD, started: undefined }), 'damaged', "summary.json has no 'started' time"],
  ['bad-started', json({ ...GOOD, started: 'yesterday' }), 'damaged', "summary.json has no 'started' time"],
  ['null', 'null', 'damaged', "summary.json holds null, not a run's summary"],
  ['number', '42', 'damaged', "summary.json holds a number, not a run's summary"],
  ['list', '[]', 'damaged', "summary.json holds a list, not a run's summary"],
  ['no-status', json({ ...GOOD, status: undefined }), 'damaged', "summary.json has no 'status'"],
  ['odd-status', json({ ...GOOD, status: 'exploded' }), 'damaged', "summary.json says status 'exploded', which is not one of running, finished, failed, cancelled"],
  ['no-recipe', json({ ...GOOD, recipe: 7 }), 'damaged', "summary.json has no 'recipe'"],
  ['no-pid', json({ ...GOOD, pid: 'me' }), 'damaged', "summary.json has no 'pid' (the process that ran it)"],
  ['bad-final', json({ ...GOOD, final: { loss: 'low' } }), 'damaged', "summary.json's 'final' metrics are not all numbers"],
  ['bad-steps', json({ ...GOOD, steps: '10' }), 'damaged', "summary.json's 'steps' is not a number"],
  ['bad-compression', json({ ...GOOD, compression: [{ layer: 'fc' }] }), 'damaged', "summary.json's 'compression' is not a list of layers"],
  ['bad-adapter', json({ ...GOOD, adapter: 'gpu' }), 'damaged', "summary.json's 'adapter' does not name a GPU adapter"],
  ['dead-runner', json({ ...GOOD, status: 'running', pid: 2 ** 22 + 12345 }), 'interrupted', undefined],
];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-store-read-'));
}

test('listRuns shows every folder: bad summaries as damaged with the reason, never a throw', () => {
  const root = tmp();
  for (const [name, summary] of CASES) {
    fs.mkdirSync(path.join(root, name));
    fs.writeFileSync(path.join(root, name, 'recipe.minima'), 'train {}\n');
    if (summary !== undefined) fs.writeFileSync(path.join(root, name, 'summary.json'), summary);
  }
  // Beside the folders: a stray file, a hidden folder and a folder of other files (an export),
  // which are not runs.
  fs.writeFileSync(path.join(root, 'notes.txt'), 'x');
  fs.mkdirSync(path.join(root, '.trash'));
  fs.mkdirSync(path.join(root, 'exports'));
  fs.writeFileSync(path.join(root, 'exports', 'model.onnx'), 'x');
  const runs = listRuns(root);
  assert.deepEqual(
    runs.map((r) => [r.id, r.status, r.message]).sort(),
    CASES.map(([name, , status, message]) => [name, status, message]).sort(),
  );
  for (const r of runs) assert.ok(Number.isFinite(Date.parse(r.started)), `${r.id}: started ${r.started}`);
  // What a damaged summary still says is kept: the recipe, and the start it sorts by.
  const noStatus = runs.find((r) => r.id === 'no-status');
  assert.deepEqual([noStatus?.recipe, noStatus?.started], ['digits', GOOD.started]);
  // The id is the folder's name, which is where the panel reads the events from.
  assert.equal(runs.find((r) => r.status === 'finished')?.id, 'good');
});

test('readSummary: undefined only where there is no folder', () => {
  const root = tmp();
  assert.equal(readSummary(path.join(root, 'nothing-here')), undefined);
  fs.writeFileSync(path.join(root, 'a-file'), '{}');
  assert.equal(readSummary(path.join(root, 'a-file')), undefined);
  assert.equal(listRuns(path.join(root, 'nothing-here')).length, 0);
  assert.equal(listRuns(path.join(root, 'a-file')).length, 0);
});

test('readEvents keeps only lines with an event shape', () => {
  const root = tmp();
  const run = createRun(root, 'events', 'x');
  assert.ok(!isEnvironmentError(run));
  const step: RunEvent = { type: 'step', time: 1, epoch: 0, step: 1, metrics: { loss: 1 } };
  run.write(step);
  run.close();
  const lines = [
    'null',
    '42',
    '"step"',
    '[]',
    '{}',
    JSON.stringify({ type: 'bogus', time: 1 }),
    JSON.stringify({ type: 'step', time: 1, epoch: 0, step: 2, metrics: { loss: 'x' } }),
    JSON.stringify({ type: 'step', time: 1, epoch: 0, step: 3, metrics: null }),
    JSON.stringify({ type: 'warning', time: 1 }),
    JSON.stringify({ type: 'failed', time: 1, reason: 'exploded', message: 'x' }),
    JSON.stringify({ ...step, step: 4 }),
    '{"type": "step", "ti',
  ];
  fs.appendFileSync(path.join(run.dir, 'metrics.jsonl'), lines.join('\n'));
  assert.deepEqual(readEvents(run.dir), [step, { ...step, step: 4 }]);
  assert.equal(readSummary(run.dir)?.status, 'running');
});

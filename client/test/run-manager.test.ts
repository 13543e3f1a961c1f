// The run manager forks the compiled worker (client/run-worker.js next to this test's folder) on
// small recipes: events arrive in order, two runs go at once, Stop ends a long run within 1 s, a
// run is over for the editor when its end arrives, and a stopped worker exits without being killed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunManager, type RunHandle, type RunRequest } from '../runs/run-manager';
import type { RunEvent } from '../protocol';
import { readSummary } from '../../runtime/engine/store';

const WORKER = path.join(__dirname, '..', 'run-worker.js');

function request(fixture: string, runsDir: string, epochs?: number): RunRequest {
  const recipePath = path.resolve('test-fixtures', 'runs', fixture);
  return { recipePath, text: fs.readFileSync(recipePath, 'utf8'), options: { backend: 'wasm', runsDir, ...(epochs !== undefined ? { epochs } : {}) } };
}

function tmpRuns(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-client-runs-'));
}

/** Resolves at the run's first step; rejects when the run ends before one (it would hang otherwise). */
function started(run: RunHandle): Promise<void> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (run.events.some((e) => e.type === 'step')) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
    void run.done.then((o) => {
      clearInterval(poll);
      if (!run.events.some((e) => e.type === 'step')) reject(new Error(`the run ended before its first step: ${o.status} ${o.message ?? ''}`));
    });
  });
}

test('run manager: two runs at once, each relays started, step and finished events in order', async () => {
  const runs = tmpRuns();
  const seen = new Map<number, RunEvent[]>();
  const manager = createRunManager({ workerPath: WORKER, maxParallel: 2 }, { onEvent: (r, e) => seen.set(r.key, [...(seen.get(r.key) ?? []), e]) });
  const a = manager.start(request('moons-small.minima', runs));
  const b = manager.start(request('moons-small.minima', runs, 2));
  assert.ok(typeof a !== 'string' && typeof b !== 'string');
  assert.equal(manager.active().length, 2);
  assert.match(String(manager.start(request('moons-small.minima', runs))), /limit is 2/);
  const [oa, ob] = await Promise.all([a.done, b.done]);
  assert.equal(oa.status, 'finished', oa.message);
  assert.equal(ob.status, 'finished', ob.message);
  assert.equal(manager.active().length, 0);
  for (const [run, epochs] of [[a, 8], [b, 2]] as const) {
    const events = seen.get(run.key) ?? [];
    assert.deepEqual(events, run.events);
    assert.equal(events[0]?.type, 'started');
    assert.equal(events[events.length - 1]?.type, 'finished');
    const first = events[0];
    assert.ok(first?.type === 'started' && first.run.epochs === epochs);
    assert.equal(events.filter((e) => e.type === 'epoch').length, epochs);
    assert.ok(events.filter((e) => e.type === 'step').length >= epochs);
    assert.ok(run.runId() && fs.existsSync(path.join(runs, run.runId()!, 'metrics.jsonl')));
  }
  fs.rmSync(runs, { recursive: true, force: true });
});

test('run manager: Stop ends a long run within 1 s and reports it cancelled', async () => {
  const runs = tmpRuns();
  const manager = createRunManager({ workerPath: WORKER, maxParallel: 2 }, {});
  const run = manager.start(request('long.minima', runs));
  assert.ok(typeof run !== 'string');
  await started(run);
  const t0 = Date.now();
  run.stop();
  const outcome = await run.done;
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 1000 + 150, `stopped after ${elapsed} ms`);
  assert.equal(outcome.status, 'cancelled');
  const last = run.events[run.events.length - 1];
  assert.ok(last?.type === 'failed' && last.reason === 'cancelled', JSON.stringify(last));
  // The engine itself saw the stop (it was not only killed), so the run folder says cancelled
  // rather than interrupted.
  assert.equal(readSummary(path.join(runs, run.runId() ?? ''))?.status, 'cancelled', 'the stop message never reached the engine');
  fs.rmSync(runs, { recursive: true, force: true });
});

test('run manager: a stopped run is ended when its end event arrives, before its worker exits, and no longer counts against maxParallel', async () => {
  const runs = tmpRuns();
  const seen: string[] = [];
  const next: { run?: RunHandle | string } = {};
  const manager = createRunManager({ workerPath: WORKER, maxParallel: 1 }, {
    onEvent: (r, e) => {
      if (e.type !== 'failed') return;
      seen.push(`${e.type} ${r.state()}`);
      // The user starts the next run as soon as the table says cancelled.
      next.run = manager.start(request('moons-small.minima', runs));
    },
    onDone: (r) => seen.push(`done ${r.state()}`),
  });
  const run = manager.start(request('long.minima', runs));
  assert.ok(typeof run !== 'string');
  await started(run);
  assert.equal(run.state(), 'running');
  run.stop();
  assert.equal(run.state(), 'stopping');
  await run.done;
  assert.deepEqual(seen.slice(0, 2), ['failed ended', 'done ended']);
  assert.ok(typeof next.run === 'object', `the next run was refused: ${String(next.run)}`);
  assert.equal((await next.run.done).status, 'finished');
  fs.rmSync(runs, { recursive: true, force: true });
});

test('run manager: a stopped wasm worker exits within 1 s of reporting the end, without being killed', async () => {
  // NOTE: process.exit() after a wasm run waited 2 to 11 s for V8's background compile threads.
  const runs = tmpRuns();
  const ended: { at?: number } = {};
  const manager = createRunManager({ workerPath: WORKER, maxParallel: 1, killAfterMs: 30_000, killEndedAfterMs: 30_000 }, {
    onEvent: (_r, e) => {
      if (e.type === 'failed') ended.at = Date.now();
    },
  });
  const run = manager.start(request('long.minima', runs));
  assert.ok(typeof run !== 'string');
  await started(run);
  // Long enough for onnxruntime-web's module to be tiering up in the background.
  await new Promise((resolve) => setTimeout(resolve, 500));
  run.stop();
  const outcome = await run.done;
  const exitMs = Date.now() - (ended.at ?? Number.NaN);
  assert.deepEqual({ status: outcome.status, killed: outcome.killed }, { status: 'cancelled', killed: false });
  assert.ok(exitMs < 1000, `the worker took ${exitMs} ms to exit after the end`);
  fs.rmSync(runs, { recursive: true, force: true });
});

test('run manager: a worker that ignores Stop is killed after killAfterMs and the run is reported cancelled', async () => {
  // A script that never exits on its own stands in for a worker stuck in native code.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-stuck-'));
  const stuck = path.join(dir, 'stuck.js');
  fs.writeFileSync(stuck, "process.on('message', () => {}); setInterval(() => {}, 1000);\n");
  const manager = createRunManager({ workerPath: stuck, maxParallel: 1, killAfterMs: 200 }, {});
  const run = manager.start(request('moons-small.minima', dir));
  assert.ok(typeof run !== 'string');
  const t0 = Date.now();
  run.stop();
  const outcome = await run.done;
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual({ status: outcome.status, killed: outcome.killed }, { status: 'cancelled', killed: true });
  assert.equal(run.events.at(-1)?.type, 'failed');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('run manager: a recipe with errors fails with the diagnostics, without a run folder', async () => {
  const runs = tmpRuns();
  const manager = createRunManager({ workerPath: WORKER, maxParallel: 1 }, {});
  const text = 'data moons {\n}\nmodel mlp {\n  dense(2)\n}\ntrain {\n  epochs = 1\n  optimizer = adamm()\n}\n';
  const run = manager.start({ recipePath: path.resolve('broken.minima'), text, options: { backend: 'wasm', runsDir: runs } });
  assert.ok(typeof run !== 'string');
  const outcome = await run.done;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.message ?? '', /broken\.minima has 1 error\(s\): line 8: /);
  // The notification's "Go to Line" needs the line of the first error (0-based).
  assert.equal(outcome.line, 7);
  assert.deepEqual(fs.readdirSync(runs), []);
  fs.rmSync(runs, { recursive: true, force: true });
});

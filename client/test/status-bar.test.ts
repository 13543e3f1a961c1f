// The status bar item: progress of live runs, `stopping…`, and for a few seconds how a run ended.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENDED_SHOWN_MS, statusBarItem, type StatusRun } from '../runs/status-bar';
import type { RunEvent } from '../protocol';

const info = { id: 'r1', recipe: 'long', backend: 'native', threads: 2, versions: {}, epochs: 10, stepsPerEpoch: 100, trainExamples: 800, valExamples: 200, seed: 1 };
const started: RunEvent = { type: 'started', time: 1, run: info };
const step: RunEvent = { type: 'step', time: 2, epoch: 5, step: 520, metrics: { loss: 0.01834 } };
const cancelled: RunEvent = { type: 'failed', time: 3, reason: 'cancelled', message: 'stopped by the user' };
const finished: RunEvent = { type: 'finished', time: 3, metrics: {}, seconds: 1, steps: 1000 };
const diverged: RunEvent = { type: 'failed', time: 3, reason: 'diverged', message: 'nan' };

const run = (events: RunEvent[], state: StatusRun['state'], at: { startedAt?: number; endedAt?: number } = {}): StatusRun => ({ recipePath: '/ws/runs/long.minima', events, state, startedAt: at.startedAt ?? 0, ...(at.endedAt !== undefined ? { endedAt: at.endedAt } : {}) });

// [name, runs, now, expected text (undefined: hidden)]
const cases: ReadonlyArray<[string, StatusRun[], number, string | undefined]> = [
  ['nothing going', [], 0, undefined],
  ['starting', [run([], 'running')], 0, '$(play) long'],
  ['started, no step yet', [run([started], 'running')], 0, '$(play) long · native'],
  ['progress', [run([started, step], 'running')], 0, '$(play) long 52% loss 0.0183 · native'],
  ['stopping', [run([started, step], 'stopping')], 0, '$(debug-stop) long stopping…'],
  ['cancelled, just now', [run([started, step, cancelled], 'ended', { endedAt: 1000 })], 1000 + ENDED_SHOWN_MS - 1, '$(circle-slash) long cancelled'],
  ['cancelled, a while ago', [run([started, step, cancelled], 'ended', { endedAt: 1000 })], 1000 + ENDED_SHOWN_MS, undefined],
  ['finished', [run([started, step, finished], 'ended', { endedAt: 0 })], 10, '$(check) long finished'],
  ['diverged', [run([started, step, diverged], 'ended', { endedAt: 0 })], 10, '$(error) long diverged'],
  ['an ended run makes way for a newer one', [run([started, cancelled], 'ended', { endedAt: 100 }), run([started, step], 'running', { startedAt: 200 })], 300, '$(play) long 52% loss 0.0183 · native'],
  ['a run ending beside a live one', [run([started, step], 'running', { startedAt: 0 }), run([started, cancelled], 'ended', { startedAt: 50, endedAt: 100 })], 300, '$(play) long 52% loss 0.0183 · native  $(circle-slash) long cancelled'],
];
for (const [name, runs, now, expected] of cases) {
  test(`status bar: ${name}`, () => assert.equal(statusBarItem(runs, now)?.text, expected));
}

test('status bar: the tooltip names each started run\'s backend', () => {
  assert.equal(statusBarItem([run([started, step], 'running')], 0)?.tooltip, 'Minima runs — click to open the results\nlong.minima: native, 2 thread(s)');
});

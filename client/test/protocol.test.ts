import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFromPanel, isFromWorker, isRunEvent, isToPanel, isToWorker } from '../protocol';

const step = { type: 'step', time: 1, epoch: 0, step: 1, metrics: { loss: 0.5 } };

// [guard name, value, accepted?]
const cases: ReadonlyArray<[string, (x: unknown) => boolean, unknown, boolean]> = [
  ['toWorker start', isToWorker, { method: 'worker/start', recipePath: '/a.minima', text: '', options: { backend: 'wasm', threads: 2 } }, true],
  ['toWorker start, webgpu', isToWorker, { method: 'worker/start', recipePath: '/a', text: '', options: { backend: 'webgpu' } }, true],
  ['toWorker start, an unknown backend', isToWorker, { method: 'worker/start', recipePath: '/a', text: '', options: { backend: 'cuda' } }, false],
  ['toWorker start, fractional epochs', isToWorker, { method: 'worker/start', recipePath: '/a', text: '', options: { backend: 'auto', epochs: 0.5 } }, false],
  ['toWorker stop', isToWorker, { method: 'worker/stop' }, true],
  ['toWorker unknown method', isToWorker, { method: 'worker/go' }, false],
  ['toWorker null', isToWorker, null, false],
  ['fromWorker events', isFromWorker, { method: 'worker/events', events: [step, { ...step, step: 2 }] }, true],
  ['fromWorker events, one with a string metric', isFromWorker, { method: 'worker/events', events: [step, { ...step, metrics: { loss: '1' } }] }, false],
  ['fromWorker events, not a list', isFromWorker, { method: 'worker/events', events: step }, false],
  ['fromWorker done', isFromWorker, { method: 'worker/done', status: 'cancelled', message: 'stopped' }, true],
  ['fromWorker done, bad status', isFromWorker, { method: 'worker/done', status: 'ok' }, false],
  ['runEvent failed', isRunEvent, { type: 'failed', time: 1, reason: 'diverged', message: 'nan' }, true],
  ['runEvent failed, bad reason', isRunEvent, { type: 'failed', time: 1, reason: 'oops', message: '' }, false],
  ['runEvent started', isRunEvent, { type: 'started', time: 1, run: { id: 'x', recipe: 'r', epochs: 1, stepsPerEpoch: 3 } }, true],
  ['runEvent started without run', isRunEvent, { type: 'started', time: 1 }, false],
  ['runEvent finished', isRunEvent, { type: 'finished', time: 1, metrics: {}, seconds: 1, steps: 3 }, true],
  ['runEvent array', isRunEvent, [step], false],
  ['toPanel events', isToPanel, { method: 'panel/events', runId: 'r', events: [step], reset: false }, true],
  ['toPanel events, one bad event', isToPanel, { method: 'panel/events', runId: 'r', events: [step, {}], reset: false }, false],
  ['toPanel runs', isToPanel, { method: 'panel/runs', runs: [{ id: 'r', recipe: 'x', status: 'finished', started: '2024', pid: 1 }], live: ['r'] }, true],
  ['toPanel settings', isToPanel, { method: 'panel/settings', smoothing: 0.6 }, true],
  ['fromPanel ready', isFromPanel, { method: 'panel/ready' }, true],
  ['fromPanel select', isFromPanel, { method: 'panel/select', runIds: ['a', 'b'] }, true],
  ['fromPanel select, ids not strings', isFromPanel, { method: 'panel/select', runIds: [1] }, false],
  ['fromPanel save', isFromPanel, { method: 'panel/save', name: 'x.csv', kind: 'csv', data: 'a,b' }, true],
  ['fromPanel save, bad kind', isFromPanel, { method: 'panel/save', name: 'x', kind: 'exe', data: '' }, false],
  ['fromPanel stop', isFromPanel, { method: 'panel/stop', runId: 'r' }, true],
];

for (const [name, guard, value, expected] of cases) {
  test(`protocol guard: ${name}`, () => assert.equal(guard(value), expected));
}

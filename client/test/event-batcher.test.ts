import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventBatcher, type Timers } from '../runs/event-batcher';
import type { RunEvent } from '../protocol';

const step = (n: number): RunEvent => ({ type: 'step', time: n, epoch: 0, step: n, metrics: { loss: 1 / n } });
const epoch = (n: number): RunEvent => ({ type: 'epoch', time: n, epoch: n, step: n, metrics: {} });

/** Manual timers: `tick()` fires the pending callback. */
function manualTimers(): Timers & { tick(): void; pending(): boolean } {
  let fn: (() => void) | undefined;
  return {
    set: (f) => ((fn = f), 1),
    clear: () => (fn = undefined),
    tick: () => {
      const f = fn;
      fn = undefined;
      f?.();
    },
    pending: () => fn !== undefined,
  };
}

test('event batcher: step events are delivered together once per interval, in order', () => {
  const timers = manualTimers();
  const got: RunEvent[][] = [];
  const b = createEventBatcher<string>((_k, es) => got.push([...es]), 100, timers);
  for (let i = 1; i <= 1000; i++) b.push('a', step(i));
  assert.equal(got.length, 0);
  assert.ok(timers.pending());
  timers.tick();
  assert.equal(got.length, 1);
  assert.deepEqual(got[0]?.map((e) => (e.type === 'step' ? e.step : -1)), Array.from({ length: 1000 }, (_, i) => i + 1));
});

test('event batcher: epoch events wait with the steps; any other event flushes its run at once, after the events before it', () => {
  const timers = manualTimers();
  const seen: number[][] = [];
  const b = createEventBatcher<string>((_k, es) => seen.push(es.map((e) => (e.type === 'step' || e.type === 'epoch' ? e.step : -1))), 100, timers);
  b.push('a', step(1));
  b.push('a', step(2));
  b.push('a', epoch(2));
  assert.deepEqual(seen, []);
  b.push('a', { type: 'failed', time: 3, reason: 'cancelled', message: 'stopped' });
  assert.deepEqual(seen, [[1, 2, 2, -1]]);
  assert.equal(timers.pending(), true, 'the timer may still fire');
  timers.tick();
  assert.deepEqual(seen, [[1, 2, 2, -1]], 'nothing is delivered twice');
});

test('event batcher: runs are kept apart', () => {
  const timers = manualTimers();
  const got = new Map<string, number>();
  const b = createEventBatcher<string>((k, es) => got.set(k, (got.get(k) ?? 0) + es.length), 100, timers);
  b.push('a', step(1));
  b.push('b', step(1));
  b.push('b', step(2));
  timers.tick();
  assert.deepEqual(Object.fromEntries(got), { a: 1, b: 2 });
});

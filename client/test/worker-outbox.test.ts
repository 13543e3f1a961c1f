// The worker's outbox: progress events leave in batches, at most one message in flight, anything
// else at once; drain() waits until the channel has taken everything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutbox } from '../worker-outbox';
import type { Timers } from '../runs/event-batcher';
import type { RunEvent } from '../protocol';

const step = (n: number): RunEvent => ({ type: 'step', time: n, epoch: 0, step: n, metrics: { loss: 1 / n } });
const epoch = (n: number): RunEvent => ({ type: 'epoch', time: n, epoch: 0, step: n, metrics: {} });
const failed: RunEvent = { type: 'failed', time: 99, reason: 'cancelled', message: 'stopped by the user' };
const label = (e: RunEvent) => (e.type === 'step' ? `s${e.step}` : e.type === 'epoch' ? `e${e.step}` : e.type);

/** Manual timers and a manual channel: `tick()` fires the timer, `take()` acknowledges the oldest message. */
function harness() {
  let timer: (() => void) | undefined;
  const timers: Timers = { set: (f) => ((timer = f), 1), clear: () => (timer = undefined) };
  const sent: string[][] = [];
  const acks: (() => void)[] = [];
  const outbox = createOutbox((events, done) => (sent.push(events.map(label)), acks.push(done)), 50, timers);
  return {
    outbox,
    sent,
    tick: () => { const f = timer; timer = undefined; f?.(); },
    timerPending: () => timer !== undefined,
    take: () => acks.shift()?.(),
    inFlight: () => acks.length,
  };
}

test('outbox: progress events wait for the interval and leave together, in order', () => {
  const h = harness();
  for (let i = 1; i <= 500; i++) h.outbox.push(step(i));
  h.outbox.push(epoch(500));
  assert.deepEqual(h.sent, []);
  h.tick();
  assert.equal(h.sent.length, 1);
  assert.deepEqual(h.sent[0], [...Array.from({ length: 500 }, (_, i) => `s${i + 1}`), 'e500']);
});

test('outbox: at most one message in flight; what comes meanwhile leaves after the channel took it', () => {
  const h = harness();
  h.outbox.push(step(1));
  h.tick();
  assert.equal(h.inFlight(), 1);
  for (let i = 2; i <= 4; i++) h.outbox.push(step(i));
  assert.equal(h.timerPending(), false, 'no timer while a message is in flight');
  h.tick();
  assert.equal(h.sent.length, 1);
  h.take();
  assert.equal(h.sent.length, 1, 'steps still wait for the interval after the ack');
  h.tick();
  assert.deepEqual(h.sent, [['s1'], ['s2', 's3', 's4']]);
});

test('outbox: the end goes out at once behind the steps before it, or right after the message in flight', () => {
  const idle = harness();
  idle.outbox.push(step(1));
  idle.outbox.push(failed);
  assert.deepEqual(idle.sent, [['s1', 'failed']]);

  const busy = harness();
  busy.outbox.push(step(1));
  busy.tick();
  busy.outbox.push(step(2));
  busy.outbox.push(failed);
  assert.deepEqual(busy.sent, [['s1']]);
  busy.take();
  assert.deepEqual(busy.sent, [['s1'], ['s2', 'failed']], 'no wait for the timer');
});

test('outbox: drain() resolves once everything pushed was taken by the channel', async () => {
  const h = harness();
  h.outbox.push(step(1));
  h.tick();
  h.outbox.push(step(2));
  const state = { drained: false };
  const drained = h.outbox.drain().then(() => (state.drained = true));
  await Promise.resolve();
  assert.equal(state.drained, false);
  h.take();
  assert.deepEqual(h.sent, [['s1'], ['s2']]);
  await Promise.resolve();
  assert.equal(state.drained, false, 's2 is not taken yet');
  h.take();
  await drained;
  assert.equal(state.drained, true);
  // Nothing pending: resolves at once.
  await h.outbox.drain();
});

// The run worker's outbox: how its events reach the extension host without flooding it. A native
// run makes a few thousand step events a second, and one IPC message per event kept the extension
// host busy reading, deserializing and dispatching them (about 40 µs each in plain Node, so an
// eighth of a core). On a loaded machine the host fell seconds behind, and a Stop waited behind
// the backlog. So progress events (step, epoch) leave in batches, at most every `intervalMs`, with
// at most one message in flight: the next batch goes out only after the channel has taken the
// last one, so a slow reader slows the stream instead of growing a queue in front of itself.
// Every other event (started, phase, warning, finished, failed) goes out at once, behind the
// events before it.
// Knows no `vscode` and no process, so it is tested in plain Node.

import type { RunEvent } from './protocol';
import { isProgress, type Timers } from './runs/event-batcher';

/** Hands `events` to the channel; calls `sent` once the channel has taken them (process.send's callback). */
export type SendEvents = (events: readonly RunEvent[], sent: () => void) => void;

export interface Outbox {
  push(event: RunEvent): void;
  /** Sends everything pending now and resolves once the channel has taken all of it. */
  drain(): Promise<void>;
}

/** How often progress events leave the worker, at most (ms). The extension host batches per 100 ms for the UI. */
export const OUTBOX_INTERVAL_MS = 50;

const NODE_TIMERS: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

export function createOutbox(send: SendEvents, intervalMs = OUTBOX_INTERVAL_MS, timers: Timers = NODE_TIMERS): Outbox {
  let pending: RunEvent[] = [];
  let inFlight = false;
  /** Something pending must not wait for the timer: an event other than progress, or a drain. */
  let urgent = false;
  let timer: unknown;
  const drained: (() => void)[] = [];

  const schedule = () => {
    if (timer === undefined && !inFlight && pending.length > 0) timer = timers.set(() => ((timer = undefined), sendNow()), intervalMs);
  };
  const sendNow = () => {
    if (inFlight) return; // the channel's callback sends what is pending
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    if (pending.length === 0) return void drained.splice(0).forEach((resolve) => resolve());
    const batch = pending;
    pending = [];
    urgent = false;
    inFlight = true;
    send(batch, () => {
      inFlight = false;
      if (urgent || pending.length === 0) sendNow();
      else schedule();
    });
  };
  return {
    push(event) {
      pending.push(event);
      if (!isProgress(event)) {
        urgent = true;
        sendNow();
      } else schedule();
    },
    drain() {
      const done = new Promise<void>((resolve) => drained.push(resolve));
      urgent = true;
      sendNow();
      return done;
    },
  };
}

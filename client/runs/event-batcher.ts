// Batches a run's events for the editor: a fast run emits thousands of step events a second (and
// on a small data set, tens of epoch events), and forwarding each one to the webview and the
// status bar would flood the extension host. Progress events (step, epoch) are collected and
// flushed at most every `intervalMs`; any other event (started, phase, warning, finished, failed)
// flushes at once, so order is kept and nothing important waits.
// Knows no `vscode`, so it is tested in plain Node.

import type { RunEvent } from '../protocol';

export interface EventBatcher<K> {
  push(key: K, event: RunEvent): void;
  /** Flushes everything pending now. */
  flush(): void;
  dispose(): void;
}

export interface Timers {
  readonly set: (fn: () => void, ms: number) => unknown;
  readonly clear: (handle: unknown) => void;
}

/** Step and epoch events: many, and none of them needs to be seen at once. */
export function isProgress(e: RunEvent): boolean {
  return e.type === 'step' || e.type === 'epoch';
}

const NODE_TIMERS: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

export function createEventBatcher<K>(deliver: (key: K, events: readonly RunEvent[]) => void, intervalMs = 100, timers: Timers = NODE_TIMERS): EventBatcher<K> {
  const pending = new Map<K, RunEvent[]>();
  let timer: unknown;
  const flushKey = (key: K) => {
    const events = pending.get(key);
    if (!events || events.length === 0) return;
    pending.delete(key);
    deliver(key, events);
  };
  const flush = () => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
    for (const key of [...pending.keys()]) flushKey(key);
  };
  return {
    push(key, event) {
      const list = pending.get(key) ?? [];
      list.push(event);
      pending.set(key, list);
      if (!isProgress(event)) flushKey(key);
      else if (timer === undefined) timer = timers.set(flush, intervalMs);
    },
    flush,
    dispose() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

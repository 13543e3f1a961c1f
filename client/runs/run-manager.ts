// The run manager: starts each run in its own forked worker process, relays the worker's typed
// events (which arrive in batches), and stops runs. Stop sends `WorkerStop` (the engine stops
// within one step, writes a cancelled event and the worker exits); a worker that has not exited
// after `killAfterMs` is killed with SIGKILL and the manager reports the cancellation itself. A
// run is over for the UI when its end event (`finished` or `failed`) arrives, not when its process
// is gone: the worker may take a moment more to release its backend and exit.
// Knows child processes and the protocol; nothing about `vscode`, so it is tested in plain Node.

import { fork, type ChildProcess } from 'node:child_process';
import { isFromWorker, WorkerDone, WorkerEvents, WorkerStart, WorkerStop, type RunEvent, type WorkerRunOptions } from '../protocol';

/**
 * A worker that has not exited this long after Stop is killed. NOTE: kept well under the 1 s Stop
 * promise, so that even a loaded machine (a slow abort path, then SIGKILL and process teardown)
 * ends the run within a second. Killing a worker that has already reported the end loses nothing:
 * the run folder is written, and the end event is the last one it sends.
 */
export const DEFAULT_KILL_AFTER_MS = 600;

/**
 * A worker that has reported the end of its run but not exited this long after is killed (a
 * backend that hangs while it is released). Nothing is lost: the end event is the last one.
 */
export const KILL_ENDED_AFTER_MS = 5000;

export interface RunManagerConfig {
  /** The compiled or bundled worker script (client/run-worker.js, dist/worker.js). */
  readonly workerPath: string;
  readonly maxParallel: number;
  /** How long a stopped worker may take to exit before it is killed (default DEFAULT_KILL_AFTER_MS). */
  readonly killAfterMs?: number;
  /** How long a worker may take to exit after its run ended (default KILL_ENDED_AFTER_MS). */
  readonly killEndedAfterMs?: number;
}

export interface RunRequest {
  readonly recipePath: string;
  readonly text: string;
  readonly options: WorkerRunOptions;
}

export interface RunOutcome {
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly message?: string;
  readonly runDir?: string;
  readonly modelPath?: string;
  /** True when the worker did not exit on its own after a stop and was killed. */
  readonly killed: boolean;
  /** The recipe line (0-based) a failure points at. */
  readonly line?: number;
}

export interface RunHandle {
  /** A key local to this manager; the run store's id arrives later, in the `started` event. */
  readonly key: number;
  readonly request: RunRequest;
  /** Every event so far, in order (the panel replays them when it opens late). */
  readonly events: readonly RunEvent[];
  /** The run store id, once the `started` event came. */
  runId(): string | undefined;
  /**
   * `running`; `stopping` after stop() until the end arrives; `ended` once the run reported its
   * end (finished or failed: the run folder says so) or its worker is gone, whichever comes first.
   */
  state(): 'running' | 'stopping' | 'ended';
  /** When the run was started and when it ended (the end event, or the worker gone), by Date.now(). */
  readonly startedAt: number;
  endedAt(): number | undefined;
  readonly done: Promise<RunOutcome>;
  stop(): void;
}

export interface RunListener {
  onEvent?(run: RunHandle, event: RunEvent): void;
  onDone?(run: RunHandle, outcome: RunOutcome): void;
  /** Text the worker wrote to stdout/stderr (onnxruntime warnings, crashes). */
  onLog?(run: RunHandle, text: string): void;
}

export interface RunManager {
  /** Starts a run, or says why not (too many runs at once). */
  start(request: RunRequest): RunHandle | string;
  /** Runs whose worker is still there, ended ones included until their worker has exited. */
  active(): readonly RunHandle[];
  /** Stops every run and waits until their workers are gone. */
  stopAll(): Promise<void>;
}

export function createRunManager(config: RunManagerConfig, listener: RunListener): RunManager {
  const live = new Map<number, RunHandle>();
  const counter = { next: 1 };
  return {
    start(request) {
      // A run that has ended no longer counts, though its worker may take a moment more to exit.
      const going = [...live.values()].filter((r) => r.state() !== 'ended').length;
      if (going >= config.maxParallel) return `${going} run(s) are already going (the limit is ${config.maxParallel}: setting minima.runs.maxParallel)`;
      const handle = startWorker(counter.next++, request, config, listener, () => live.delete(handle.key));
      live.set(handle.key, handle);
      return handle;
    },
    active: () => [...live.values()],
    async stopAll() {
      const runs = [...live.values()];
      for (const r of runs) r.stop();
      await Promise.all(runs.map((r) => r.done));
    },
  };
}

function startWorker(key: number, request: RunRequest, config: RunManagerConfig, listener: RunListener, forget: () => void): RunHandle {
  const events: RunEvent[] = [];
  const state: { runId?: string; done?: WorkerDone.Message; end?: RunEvent; endedAt?: number; stopping: boolean; killed: boolean; timers: NodeJS.Timeout[] } = { stopping: false, killed: false, timers: [] };
  const killIn = (ms: number) => state.timers.push(setTimeout(() => {
    state.killed = true;
    child.kill('SIGKILL');
  }, ms));
  // NOTE: `close` (not `exit`) waits until the IPC channel and pipes are drained, so no event is lost.
  // NOTE: `silent` pipes the worker's stdout/stderr to us, so crashes end up in the output channel.
  const child: ChildProcess = fork(config.workerPath, [], { silent: true, serialization: 'advanced' });
  const handle: RunHandle = {
    key,
    request,
    events,
    runId: () => state.runId,
    state: () => (state.end ? 'ended' : state.stopping ? 'stopping' : 'running'),
    startedAt: Date.now(),
    endedAt: () => state.endedAt,
    done: new Promise<RunOutcome>((resolve) => {
      child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        forget();
        const outcome = outcomeOf(state.done, state.end, { code, signal, stopping: state.stopping, killed: state.killed });
        // A worker that died without reporting the end leaves the stream open: close it here.
        if (!state.end) {
          const reason = outcome.status === 'cancelled' ? 'cancelled' : 'error';
          push({ type: 'failed', time: Date.now(), reason, message: outcome.message ?? 'the run stopped' });
        }
        state.timers.forEach(clearTimeout);
        listener.onDone?.(handle, outcome);
        resolve(outcome);
      });
    }),
    stop() {
      if (state.stopping || state.end || child.exitCode !== null || child.signalCode !== null) return;
      state.stopping = true;
      if (child.connected) child.send({ method: WorkerStop.method } satisfies WorkerStop.Message);
      killIn(config.killAfterMs ?? DEFAULT_KILL_AFTER_MS);
    },
  };
  function push(e: RunEvent): void {
    if (e.type === 'started') state.runId = e.run.id;
    if ((e.type === 'finished' || e.type === 'failed') && !state.end) {
      state.end = e;
      state.endedAt = Date.now();
      killIn(config.killEndedAfterMs ?? KILL_ENDED_AFTER_MS);
    }
    events.push(e);
    listener.onEvent?.(handle, e);
  }
  child.on('message', (m: unknown) => {
    if (!isFromWorker(m)) return;
    if (m.method === WorkerEvents.method) for (const e of m.events) push(e);
    else state.done = m;
  });
  child.on('error', (e) => listener.onLog?.(handle, `worker: ${e.message}\n`));
  child.stdout?.on('data', (b: Buffer) => listener.onLog?.(handle, b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => listener.onLog?.(handle, b.toString('utf8')));
  child.send({ method: WorkerStart.method, recipePath: request.recipePath, text: request.text, options: request.options } satisfies WorkerStart.Message);
  return handle;
}

/** The outcome from the worker's `done`, else from the end event it sent, else from how it exited. */
function outcomeOf(done: WorkerDone.Message | undefined, end: RunEvent | undefined, exit: { code: number | null; signal: NodeJS.Signals | null; stopping: boolean; killed: boolean }): RunOutcome {
  if (done) {
    return {
      status: done.status,
      killed: exit.killed,
      ...(done.message !== undefined ? { message: done.message } : {}),
      ...(done.runDir !== undefined ? { runDir: done.runDir } : {}),
      ...(done.modelPath !== undefined ? { modelPath: done.modelPath } : {}),
      ...(done.line !== undefined ? { line: done.line } : {}),
    };
  }
  if (end?.type === 'finished') return { status: 'finished', killed: exit.killed };
  if (end?.type === 'failed') return { status: end.reason === 'cancelled' ? 'cancelled' : 'failed', killed: exit.killed, message: end.message };
  if (exit.stopping) return { status: 'cancelled', killed: exit.killed, message: exit.killed ? 'stopped by the user (the worker was killed after 1 s)' : 'stopped by the user' };
  return { status: 'failed', killed: false, message: `the run worker exited unexpectedly (${exit.signal ?? `code ${exit.code}`})` };
}

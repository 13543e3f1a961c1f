// The local pool: trials run in child processes (sweep-worker.ts), at most `parallel` at once.
// A child that exits without an answer (a crash, a kill) is a failed trial with that message;
// the pool carries on with the others. Aborting the signal stops every running child: SIGINT
// first (the run ends as cancelled after its current step), SIGKILL for any child still there
// after STOP_GRACE_MS, so that a Ctrl-C leaves no trial running after a second.

import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { TrialJob, TrialOutcome, TrialProgress } from './sweep-worker';

/** How long a stopped child may take to end on its own before it is killed. */
export const STOP_GRACE_MS = 700;

/** Runs `jobs` with at most `parallel` at once; `onDone` hears each outcome as it arrives. */
export async function runPool(jobs: readonly TrialJob[], parallel: number, onDone: (index: number, outcome: TrialOutcome) => void, signal?: AbortSignal, onProgress?: (index: number, p: TrialProgress) => void): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !signal?.aborted) {
      const index = next++;
      onDone(index, await runChild(jobs[index]!, signal, (p) => onProgress?.(index, p)));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, jobs.length)) }, worker));
}

function runChild(job: TrialJob, signal: AbortSignal | undefined, onProgress: (p: TrialProgress) => void): Promise<TrialOutcome> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'sweep-worker.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let answer: TrialOutcome | undefined;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let killer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    signal?.addEventListener('abort', stop, { once: true });
    child.on('message', (m: unknown) => {
      if (isProgress(m)) onProgress(m);
      else if (isOutcome(m)) answer = m;
    });
    child.on('exit', (code, sig) => {
      signal?.removeEventListener('abort', stop);
      if (killer) clearTimeout(killer);
      const why = sig ? `killed by ${sig}` : `exited with code ${code ?? '?'}`;
      resolve(answer ?? { status: signal?.aborted ? 'cancelled' : 'failed', metrics: {}, message: `the trial's process ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}` });
    });
    if (signal?.aborted) stop();
    else child.send(job);
  });
}

function isOutcome(m: unknown): m is TrialOutcome {
  return typeof m === 'object' && m !== null && 'status' in m && 'metrics' in m && typeof (m as { metrics: unknown }).metrics === 'object';
}

function isProgress(m: unknown): m is TrialProgress {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'progress';
}

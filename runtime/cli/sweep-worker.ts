// One sweep trial in its own process: forked by `minima sweep` with IPC, it receives the
// trial's recipe text, trains it into the trial's run folder and sends back how it ended. A
// trial that fails, diverges or crashes ends only this process, never the sweep.

import { analyze } from '../analysis';
import { runRecipe } from '../engine';

/** What the sweep sends a worker. */
export interface TrialJob {
  readonly text: string;
  readonly baseDir: string;
  readonly recipePath: string;
  readonly runsDir: string;
  readonly threads?: number;
}

/** What a worker sends back. */
export interface TrialOutcome {
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly metrics: Readonly<Record<string, number>>;
  readonly message?: string;
  readonly runDir?: string;
}

export async function runTrial(job: TrialJob, signal?: AbortSignal): Promise<TrialOutcome> {
  const a = analyze(job.text);
  if (!a.recipe) return { status: 'failed', metrics: {}, message: a.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the trial recipe has errors' };
  const r = await runRecipe(a.recipe, {
    baseDir: job.baseDir,
    recipeText: job.text,
    recipePath: job.recipePath,
    runsDir: job.runsDir,
    ...(job.threads !== undefined ? { threads: job.threads } : {}),
    ...(signal ? { signal } : {}),
  });
  return { status: r.status, metrics: r.metrics, ...(r.message !== undefined ? { message: r.message } : {}), ...(r.runDir ? { runDir: r.runDir } : {}) };
}

if (require.main === module) {
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  process.once('message', (job: TrialJob) => {
    void runTrial(job, controller.signal)
      .catch((e: unknown): TrialOutcome => ({ status: 'failed', metrics: {}, message: `internal error: ${e instanceof Error ? e.message : String(e)}` }))
      .then((outcome) => process.send?.(outcome, () => process.exit(0)));
  });
}

// A tiny mocha-like runner for the extension host: named cases run in order, each with a timeout;
// a failure is logged with its stack and counted, and the next case still runs. `run()` in index.ts
// throws when any case failed, which the workbench turns into a non-zero exit code.
// Output goes through console.log, which the smoke-test driver forwards to the launcher.

export interface Case {
  readonly name: string;
  readonly timeoutMs?: number;
  readonly fn: () => Promise<void>;
}

export interface Suite {
  readonly name: string;
  readonly cases: readonly Case[];
}

export interface SuiteResult {
  readonly suite: string;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function runSuite(suite: Suite): Promise<SuiteResult> {
  const start = Date.now();
  const counts = { passed: 0, failed: 0 };
  console.log(`SUITE ${suite.name}`);
  for (const c of suite.cases) {
    const t0 = Date.now();
    try {
      await withTimeout(c.fn(), c.timeoutMs ?? DEFAULT_TIMEOUT_MS, c.name);
      counts.passed++;
      console.log(`  ok   ${c.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      counts.failed++;
      console.log(`  FAIL ${c.name} (${Date.now() - t0} ms)\n${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  const result = { suite: suite.name, ...counts, seconds: (Date.now() - start) / 1000 };
  console.log(`SUITE-RESULT ${JSON.stringify(result)}`);
  return result;
}

/** Polls `probe` until it returns a value other than undefined, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`case '${name}' timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

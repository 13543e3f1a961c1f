// The run worker: a Node process forked from the extension host (child_process.fork) for one run.
// It receives one `WorkerStart`, checks and trains the recipe with the engine, and relays every
// RunEvent to its parent (progress events in batches, through worker-outbox.ts); `WorkerStop`
// aborts the run through an AbortSignal (the engine stops within one step). Running in its own
// process, below normal priority, keeps onnxruntime's threads and memory out of the editor's way,
// and lets the parent kill a run that does not stop in time. In the bundle (dist/worker.js)
// the engine's onnxruntime-node and webgpu are Node requires, found in dist/node_modules/ of a
// platform VSIX (see webpack.config.js and client/packaging/).
// Imports only runtime/ code, the vscode-free protocol, worker-env and worker-outbox.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../runtime/analysis';
import { runRecipe, type RunEvent } from '../runtime/engine';
import { isToWorker, WorkerDone, WorkerEvents, WorkerStart, WorkerStop, type FromWorker } from './protocol';
import { ensureRuntimeDir } from './worker-env';
import { createOutbox } from './worker-outbox';

main();

function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('run-worker: start me with child_process.fork\n');
    process.exitCode = 2;
    return;
  }
  lowerPriority();
  // Before any backend is opened: Dawn (webgpu, and the adapter probe of 'auto') needs it on Linux.
  const runtimeDir = ensureRuntimeDir();
  if (runtimeDir) process.on('exit', () => fs.rmSync(runtimeDir, { recursive: true, force: true }));
  const post = (m: FromWorker) => new Promise<void>((resolve) => send(m, undefined, {}, () => resolve()));
  const controller = new AbortController();
  const state = { started: false };
  process.on('message', (m: unknown) => {
    if (!isToWorker(m)) return;
    if (m.method === WorkerStop.method) controller.abort();
    else if (m.method === WorkerStart.method && !state.started) {
      state.started = true;
      void run(m, controller.signal, post).then(() => exitNow(runtimeDir));
    }
  });
  // The parent went away (the editor closed): stop the run, keeping what the store has written.
  process.on('disconnect', () => controller.abort());
}

async function run(m: WorkerStart.Message, signal: AbortSignal, post: (m: FromWorker) => Promise<void>): Promise<void> {
  const outbox = createOutbox((events, sent) => void post({ method: WorkerEvents.method, events }).then(sent));
  const event = (e: RunEvent) => outbox.push(e);
  // `done` goes last: after every event, so the parent has the whole run when it hears the end.
  const done = async (end: WorkerDone.Message) => {
    await outbox.drain();
    await post(end);
  };
  try {
    const analysis = analyze(m.text);
    if (!analysis.recipe) {
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      const line = first ? analysis.lines.position(first.span.start).line : undefined;
      const message = `${path.basename(m.recipePath)} has ${errors.length} error(s): ${errors.map((d) => `line ${analysis.lines.position(d.span.start).line + 1}: ${d.message}`).slice(0, 3).join('; ')}`;
      event({ type: 'failed', time: Date.now(), reason: 'error', message });
      await done({ method: WorkerDone.method, status: 'failed', message, ...(line !== undefined ? { line } : {}) });
      return;
    }
    const o = m.options;
    const result = await runRecipe(analysis.recipe, {
      baseDir: path.dirname(m.recipePath),
      recipeText: m.text,
      recipePath: m.recipePath,
      backend: o.backend,
      signal,
      onEvent: event,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(o.runsDir !== undefined ? { runsDir: o.runsDir } : {}),
      ...bundledFiles(),
    });
    await done({
      method: WorkerDone.method,
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      ...(result.runDir !== undefined ? { runDir: result.runDir } : {}),
      ...(result.modelPath !== undefined ? { modelPath: result.modelPath } : {}),
    });
  } catch (e) {
    // runRecipe reports its own failures; a throw here is a bug in the worker itself.
    const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    event({ type: 'failed', time: Date.now(), reason: 'error', message });
    await done({ method: WorkerDone.method, status: 'failed', message });
  }
}

/**
 * Trains below normal priority, so the editor (the extension host, the workbench and the results
 * panel) gets a core as soon as it needs one. NOTE: a run keeps its cores busy; at normal priority
 * on a loaded 2-core machine, the extension host and the workbench waited their turn behind it,
 * and a Stop took seconds to be delivered and shown. The run still uses every idle cycle. Called
 * first: on Linux the priority is per thread, and the backends' threads inherit it when created.
 */
function lowerPriority(): void {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not allowed here (some containers): the run goes at normal priority.
  }
}

/**
 * Ends the process at once, once the run folder is written (synchronously, by the store) and
 * `done` has been taken by the channel, so nothing is lost. NOTE: not process.exit(): it first
 * joins V8's background threads, and after a wasm run one of them is still compiling
 * onnxruntime-web's module with TurboFan; on a loaded 2-core machine the exit took 2 to 11 s,
 * holding the run's memory and keeping the parent waiting. A SIGKILL skips that teardown.
 */
function exitNow(runtimeDir: string | undefined): void {
  if (runtimeDir) fs.rmSync(runtimeDir, { recursive: true, force: true });
  process.kill(process.pid, 'SIGKILL');
}

/**
 * In the extension's bundle, webpack copies onnxruntime-web's wasm files and the bundled data sets
 * next to this worker; the compiled (unbundled) worker finds them in node_modules and the runtime.
 */
function bundledFiles(): { wasmDir?: string; assetsDir?: string } {
  const here = __dirname;
  return {
    ...(fs.existsSync(path.join(here, 'ort-wasm-simd-threaded.wasm')) ? { wasmDir: here } : {}),
    ...(fs.existsSync(path.join(here, 'assets', 'digits.csv.gz')) ? { assetsDir: path.join(here, 'assets') } : {}),
  };
}

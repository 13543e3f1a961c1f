// The run worker: a Node process forked from the extension host (child_process.fork) for one run.
// It receives one `WorkerStart`, checks and trains the recipe with the engine, and relays every
// RunEvent to its parent; `WorkerStop` aborts the run through an AbortSignal (the engine stops
// within one step). Running in its own process keeps onnxruntime's threads and memory out of the
// editor, and lets the parent kill a run that does not stop in time. In the bundle (dist/worker.js)
// the engine's onnxruntime-node and webgpu are Node requires, found in dist/node_modules/ of a
// platform VSIX (see webpack.config.js and client/packaging/).
// Imports only runtime/ code, the vscode-free protocol and worker-env.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../runtime/analysis';
import { runRecipe, type RunEvent } from '../runtime/engine';
import { isToWorker, WorkerDone, WorkerEvent, WorkerStart, WorkerStop, type FromWorker } from './protocol';
import { ensureRuntimeDir } from './worker-env';

main();

function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('run-worker: start me with child_process.fork\n');
    process.exitCode = 2;
    return;
  }
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
      // The run folder is written synchronously and `done` has been sent: exit at once rather than
      // wait for onnxruntime's handles to wind down, so Stop ends the process promptly.
      void run(m, controller.signal, post).then(() => {
        process.disconnect();
        process.exit(0);
      });
    }
  });
  // The parent went away (the editor closed): stop the run, keeping what the store has written.
  process.on('disconnect', () => controller.abort());
}

async function run(m: WorkerStart.Message, signal: AbortSignal, post: (m: FromWorker) => Promise<void>): Promise<void> {
  const event = (e: RunEvent) => void post({ method: WorkerEvent.method, event: e });
  try {
    const analysis = analyze(m.text);
    if (!analysis.recipe) {
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      const line = first ? analysis.lines.position(first.span.start).line : undefined;
      const message = `${path.basename(m.recipePath)} has ${errors.length} error(s): ${errors.map((d) => `line ${analysis.lines.position(d.span.start).line + 1}: ${d.message}`).slice(0, 3).join('; ')}`;
      event({ type: 'failed', time: Date.now(), reason: 'error', message });
      await post({ method: WorkerDone.method, status: 'failed', message, ...(line !== undefined ? { line } : {}) });
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
    await post({
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
    await post({ method: WorkerDone.method, status: 'failed', message });
  }
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

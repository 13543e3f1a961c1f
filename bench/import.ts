// Imported PyTorch models (`npm run bench:import`): each model that
// test-fixtures/reference/import/generate.py wrote, imported as it is, trained for its reference's
// 10 SGD-momentum steps on native and wasm; prints how far the losses and the parameter updates
// are from PyTorch's, and the time to the first step (import, step graph, session, one step).
// Besides the CI models it runs full torchvision resnet18 when `generate.py --full` has written
// it to .cache/import-models/ (45 MB, not committed). A benchmark reports and does not gate.
//
// Then the recipe workloads, each in a process of its own (so that its peak RSS and its time
// from process start to the first step are its own): each model imported by a recipe as a user
// writes it (a flat blobs source, 2:4 pruning of layers named by a glob, int8 ptq of every
// weighted layer), run by the engine on native: steps, time to the first step, ms per step, peak
// RSS, the 2:4 conformance of the pruned layers and the int8 export's size. Last, the issue's
// small transformer encoder (d_model 64, 2 layers, sequence 32, batch 64, AdamW) imported from
// PyTorch's export and trained on native and wasm, against PyTorch training the module itself
// (bench/torch_import.py), all at 1 thread.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { analyze } from '../runtime/analysis';
import { importOnnxModel } from '../runtime/compiler/model';
import { runRecipe, type RunEvent } from '../runtime/engine';
import { type BackendName, loadNative, openBackend } from '../runtime/engine/backend';
import { IMPORT_MODELS, IMPORT_REFERENCE_DIR, maxRelativeError, readImportReference, trainImported } from '../runtime/testing/import-reference';

const LOCAL_DIR = path.join('.cache', 'import-models');

async function main(): Promise<void> {
  const models: { dir: string; name: string }[] = IMPORT_MODELS.map((name) => ({ dir: IMPORT_REFERENCE_DIR, name }));
  if (fs.existsSync(path.join(LOCAL_DIR, 'resnet18.json'))) models.push({ dir: LOCAL_DIR, name: 'resnet18' });
  else console.log(`(no ${LOCAL_DIR}/resnet18.json: run /usr/bin/python3 test-fixtures/reference/import/generate.py --full for the full resnet18)`);
  const kinds: BackendName[] = loadNative().ok ? ['native', 'wasm'] : ['wasm'];
  console.log('| model | backend | params | loss error (max rel.) | update error (max rel.) | import | first step |');
  console.log('|---|---|---|---|---|---|---|');
  for (const kind of kinds) {
    const backend = await openBackend({ kind, threads: 1 });
    for (const { dir, name } of models) {
      const { reference, bytes } = readImportReference(dir, name);
      const t0 = performance.now();
      const r = importOnnxModel(bytes);
      const importMs = performance.now() - t0;
      if (!r.ok) {
        console.log(`| ${name} | ${kind} | – | import failed: ${r.message} | | | |`);
        continue;
      }
      const trained = await trainImported(backend, r.imported, reference);
      let update = 0;
      for (const [p, n] of trained.updateNorms) {
        const want = reference.update_norms[p] ?? NaN;
        update = Math.max(update, Math.abs(n - want) / Math.max(Math.abs(want), 1e-3));
      }
      const count = r.imported.model.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
      const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
      console.log(`| ${name} | ${kind} | ${(count / 1e6).toFixed(2)} M | ${maxRelativeError(trained.losses, reference.losses).toExponential(1)} | ${update.toExponential(1)} | ${seconds(importMs)} | ${seconds(importMs + trained.firstStepMs)} |`);
    }
    await backend.release();
  }
  await recipeWorkloads(fs.existsSync(path.join(LOCAL_DIR, 'resnet18.onnx')));
}

/** A recipe run in a process of its own, so that its RSS and its time from process start are its own. */
interface Workload {
  readonly name: string;
  readonly title: string;
  readonly dir: string;
  readonly model: string;
  readonly features: number;
  readonly batch: number;
  readonly samples: number;
  readonly epochs: number;
  readonly optimizer: string;
  /** The prune block's glob (2:4) and int8 ptq of every weighted layer; none for a plain run. */
  readonly prune?: string;
  readonly backend: 'native' | 'wasm';
}

interface WorkloadResult {
  readonly status: string;
  readonly message?: string;
  /** Process start to the end of the first step (runtime load, check, import, graphs, sessions, one step). */
  readonly firstStepMs: number;
  /** Median gap between step events after the first epoch (compression and export excluded). */
  readonly msPerStep: number;
  readonly steps: number;
  readonly peakRssMiB: number;
  readonly conformance?: { readonly min: number; readonly layers: number };
  readonly bytes?: { readonly before: number; readonly after: number };
}

const COMPRESSED = (name: string, dir: string, model: string, features: number, prune: string, samples: number): Workload => ({ name, title: name, dir, model, features, batch: 20, samples, epochs: 2, optimizer: 'sgd(lr: 0.01, momentum: 0.9)', prune, backend: 'native' });

const TRANSFORMER = (backend: 'native' | 'wasm'): Workload => ({ name: `transformer-s32-${backend}`, title: `minima ${backend}`, dir: IMPORT_REFERENCE_DIR, model: 'transformer-s32', features: 256, batch: 64, samples: 800, epochs: 3, optimizer: 'adamw(lr: 0.001)', backend });

async function recipeWorkloads(full: boolean): Promise<void> {
  const compressed = [
    COMPRESSED('lenet-bn-dropout', IMPORT_REFERENCE_DIR, 'lenet-bn-dropout', 784, 'classifier.*', 200),
    COMPRESSED('resnet-cifar', IMPORT_REFERENCE_DIR, 'resnet-cifar', 3072, 'layer*.*.conv*', 200),
    COMPRESSED('transformer', IMPORT_REFERENCE_DIR, 'transformer', 128, 'encoder.layers.*.linear*', 200),
    ...(full ? [COMPRESSED('resnet18', LOCAL_DIR, 'resnet18', 3072, 'layer*.*.conv*', 80)] : []),
  ];
  console.log('');
  console.log('| recipe workload (native, 2:4 by glob + int8 ptq, batch 20) | steps | first step (process) | ms/step | peak RSS | 2:4 conformance (min) | weights fp32 → exported int8 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const w of compressed) {
    const r = runWorkload(w);
    if (r.status !== 'finished') {
      console.log(`| ${w.title} | ${r.status}: ${r.message ?? ''} | | | | | |`);
      continue;
    }
    const mb = (b: number | undefined): string => (b === undefined ? '–' : `${(b / 2 ** 20).toFixed(2)} MiB`);
    console.log(`| ${w.title} | ${r.steps} | ${(r.firstStepMs / 1000).toFixed(2)} s | ${r.msPerStep.toFixed(1)} | ${r.peakRssMiB.toFixed(0)} MiB | ${r.conformance ? `${r.conformance.min.toFixed(3)} (${r.conformance.layers} layers)` : '–'} | ${mb(r.bytes?.before)} → ${mb(r.bytes?.after)} |`);
  }
  // The issue's small transformer encoder: d_model 64, 2 layers, sequence 32, batch 64, AdamW.
  const batch = 64;
  console.log('');
  console.log(`| transformer workload (d 64, 2 layers, seq 32, B ${batch}, AdamW, 1 thread) | ms/step | examples/s | first step (process) | peak RSS |`);
  console.log('|---|---|---|---|---|');
  for (const backend of loadNative().ok ? (['native', 'wasm'] as const) : (['wasm'] as const)) {
    const w = TRANSFORMER(backend);
    const r = runWorkload(w);
    if (r.status !== 'finished') console.log(`| ${w.title} | ${r.status}: ${r.message ?? ''} | | | |`);
    else console.log(`| ${w.title} | ${r.msPerStep.toFixed(1)} | ${((1000 * batch) / r.msPerStep).toFixed(0)} | ${(r.firstStepMs / 1000).toFixed(2)} s | ${r.peakRssMiB.toFixed(0)} MiB |`);
  }
  const peer = spawnSync('/usr/bin/python3', [path.join('bench', 'torch_import.py'), JSON.stringify({ seq: 32, batch, lr: 0.001, threads: 1, steps: 20 })], { encoding: 'utf8' });
  const line = peer.stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as { firstStepMs: number; msPerStep: number; peakRssMiB: number; torch: string; gemmGflops: number };
    console.log(`| PyTorch ${r.torch} (BLAS: ${r.gemmGflops.toFixed(0)} GFLOP/s at 512³) | ${r.msPerStep.toFixed(1)} | ${((1000 * batch) / r.msPerStep).toFixed(0)} | ${(r.firstStepMs / 1000).toFixed(2)} s | ${r.peakRssMiB.toFixed(0)} MiB |`);
  } catch {
    console.log(`| PyTorch | not run: ${(peer.stderr || peer.error?.message || 'no output').split('\n').slice(-2).join(' ')} | | | |`);
  }
}

/** Runs one workload in a child process of this script (`--workload <json>`) and reads its one-line result. */
function runWorkload(w: Workload): WorkloadResult {
  const child = spawnSync(process.execPath, [__filename, '--workload', JSON.stringify(w)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as WorkloadResult;
  } catch {
    return { status: 'crashed', message: (child.stderr || `exit ${child.status}`).split('\n').slice(-3).join(' '), firstStepMs: NaN, msPerStep: NaN, steps: 0, peakRssMiB: NaN };
  }
}

/** The child's side: one recipe run, timed from this process's start. */
async function workload(w: Workload): Promise<WorkloadResult> {
  const compress = w.prune === undefined ? '' : `\nprune {\n  pattern = 2:4\n  layers = ["${w.prune}"]\n}\n\nquantize {\n  bits = 8\n}\n`;
  const text = `recipe "${w.name}" {\n  seed = 1\n}\n\ndata blobs(samples: ${w.samples}, features: ${w.features}, classes: 10) {\n  batch = ${w.batch}\n}\n\nmodel onnx("${w.model}.onnx") {\n}\n\ntrain {\n  epochs = ${w.epochs}\n  optimizer = ${w.optimizer}\n}\n${compress}`;
  const a = analyze(text);
  if (!a.recipe) return { status: 'check failed', message: a.diagnostics.map((d) => d.message).join('; '), firstStepMs: NaN, msPerStep: NaN, steps: 0, peakRssMiB: NaN };
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-bench-import-'));
  const times: number[] = [];
  let finished: Extract<RunEvent, { type: 'finished' }> | undefined;
  try {
    const result = await runRecipe(a.recipe, {
      baseDir: w.dir,
      recipeText: text,
      runsDir,
      backend: w.backend,
      threads: 1,
      onEvent: (e) => {
        if (e.type === 'step') times.push(performance.now());
        if (e.type === 'finished') finished = e;
      },
    });
    const perEpoch = Math.max(1, Math.floor(times.length / w.epochs));
    const gaps = times.slice(perEpoch).map((t, i) => t - (times[perEpoch + i - 1] ?? t)).sort((x, y) => x - y);
    const pruned = (finished?.compression ?? []).filter((l) => l.nmConformance !== undefined);
    const before = (finished?.compression ?? []).reduce((n, l) => n + l.bytesBefore, 0);
    const after = result.metrics['model_bytes_quantized'];
    return {
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      // performance.now() counts from this process's start.
      firstStepMs: times[0] ?? NaN,
      msPerStep: gaps[Math.floor(gaps.length / 2)] ?? NaN,
      steps: times.length,
      peakRssMiB: peakRssMiB(),
      ...(pruned.length > 0 ? { conformance: { min: Math.min(...pruned.map((l) => l.nmConformance ?? 0)), layers: pruned.length } } : {}),
      ...(after !== undefined ? { bytes: { before, after } } : {}),
    };
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}

/**
 * This process's peak RSS: VmHWM, which starts afresh at exec. (getrusage's maxrss does not: a
 * child forked from this 700 MB bench would report at least that.)
 */
function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.memoryUsage().rss / 2 ** 20;
}

const asWorkload = process.argv.indexOf('--workload');
if (asWorkload >= 0) {
  workload(JSON.parse(process.argv[asWorkload + 1] ?? '{}') as Workload)
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}

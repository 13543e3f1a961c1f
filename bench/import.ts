// Imported PyTorch models (`npm run bench:import`): each model that
// test-fixtures/reference/import/generate.py wrote, imported as it is, trained for its reference's
// 10 SGD-momentum steps on native and wasm; prints how far the losses and the parameter updates
// are from PyTorch's, and the time to the first step (import, step graph, session, one step).
// Besides the CI models it runs full torchvision resnet18 when `generate.py --full` has written
// it to .cache/import-models/ (45 MB, not committed). A benchmark reports and does not gate.
//
// Then the recipe workloads: each model imported by a recipe as a user writes it (a flat blobs
// source, 2:4 pruning of layers named by a glob, int8 ptq of every weighted layer), run by the
// engine on native: the time from runRecipe to the first step (import, graph building, sessions),
// the steps per second, the peak RSS, the 2:4 conformance of the pruned layers and the size of
// the int8 export. The transformer workload trains longest (3 epochs of 400 examples).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
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

interface Workload {
  readonly name: string;
  readonly dir: string;
  readonly features: number;
  readonly prune: string;
  readonly samples: number;
  readonly epochs: number;
}

const WORKLOADS: readonly Workload[] = [
  { name: 'lenet-bn-dropout', dir: IMPORT_REFERENCE_DIR, features: 784, prune: 'classifier.*', samples: 200, epochs: 1 },
  { name: 'resnet-cifar', dir: IMPORT_REFERENCE_DIR, features: 3072, prune: 'layer*.*.conv*', samples: 200, epochs: 1 },
  { name: 'transformer', dir: IMPORT_REFERENCE_DIR, features: 128, prune: 'encoder.layers.*.linear*', samples: 400, epochs: 3 },
];

async function recipeWorkloads(full: boolean): Promise<void> {
  const list = full ? [...WORKLOADS, { name: 'resnet18', dir: LOCAL_DIR, features: 3072, prune: 'layer*.*.conv*', samples: 100, epochs: 1 }] : WORKLOADS;
  console.log('');
  console.log('| recipe workload (native) | steps | first step | steps / s | peak RSS | 2:4 conformance (min) | export fp32 → int8 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const w of list) {
    const text = `recipe "${w.name}" {\n  seed = 1\n}\n\ndata blobs(samples: ${w.samples}, features: ${w.features}, classes: 10) {\n  batch = 20\n}\n\nmodel onnx("${w.name}.onnx") {\n}\n\ntrain {\n  epochs = ${w.epochs}\n  optimizer = sgd(lr: 0.01, momentum: 0.9)\n}\n\nprune {\n  pattern = 2:4\n  layers = ["${w.prune}"]\n}\n\nquantize {\n  bits = 8\n}\n`;
    const a = analyze(text);
    if (!a.recipe) {
      console.log(`| ${w.name} | check failed: ${a.diagnostics.map((d) => d.message).join('; ')} | | | | | |`);
      continue;
    }
    const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-bench-import-'));
    let first: number | undefined;
    let steps = 0;
    let rss = process.memoryUsage().rss;
    let finished: Extract<RunEvent, { type: 'finished' }> | undefined;
    const t0 = performance.now();
    const result = await runRecipe(a.recipe, {
      baseDir: w.dir,
      recipeText: text,
      runsDir,
      backend: 'native',
      onEvent: (e) => {
        rss = Math.max(rss, process.memoryUsage().rss);
        if (e.type === 'step') {
          first ??= performance.now() - t0;
          steps++;
        }
        if (e.type === 'finished') finished = e;
      },
    });
    const total = performance.now() - t0;
    fs.rmSync(runsDir, { recursive: true, force: true });
    if (result.status !== 'finished' || first === undefined) {
      console.log(`| ${w.name} | ${result.status}: ${result.message ?? ''} | | | | | |`);
      continue;
    }
    const pruned = (finished?.compression ?? []).filter((l) => l.nmConformance !== undefined);
    const conformance = Math.min(...pruned.map((l) => l.nmConformance ?? 0));
    const before = (finished?.compression ?? []).reduce((n, l) => n + l.bytesBefore, 0);
    const mb = (b: number): string => `${(b / 2 ** 20).toFixed(2)} MiB`;
    console.log(`| ${w.name} | ${steps} | ${(first / 1000).toFixed(2)} s | ${(steps / ((total - first) / 1000)).toFixed(1)} | ${mb(rss)} | ${conformance.toFixed(3)} (${pruned.length} layers) | ${mb(before)} → ${mb(result.metrics['model_bytes_quantized'] ?? NaN)} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

// Imported PyTorch models (`npm run bench:import`): each model that
// test-fixtures/reference/import/generate.py wrote, imported as it is, trained for its reference's
// 10 SGD-momentum steps on native and wasm; prints how far the losses and the parameter updates
// are from PyTorch's, and the time to the first step (import, step graph, session, one step).
// Besides the CI models it runs full torchvision resnet18 when `generate.py --full` has written
// it to .cache/import-models/ (45 MB, not committed). A benchmark reports and does not gate.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importOnnxModel } from '../runtime/compiler/model';
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
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

// PyTorch models imported as torch.onnx.export wrote them (test-fixtures/reference/import/
// generate.py: a CIFAR ResNet in training and in eval mode, LeNet-5 with BatchNorm and Dropout, two
// TransformerEncoderLayers, a model of the remaining forms, and one of the activations PyTorch
// exports as operators of their own) train like PyTorch: the imported model's step graph, from the file's own initial weights, on the generator's batches and dropout
// masks, gives PyTorch's first 10 SGD-momentum losses within 1e-4 relative, and moves every
// parameter as far as PyTorch did, on wasm and on native.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnxModel } from '../../compiler/model';
import { IMPORT_MODELS, IMPORT_REFERENCE_DIR, maxRelativeError, readImportReference, trainImported } from '../../testing/import-reference';
import { loadNative, openBackend } from '../backend';

/** float32 onnxruntime against float64 PyTorch over 10 steps. */
const TOLERANCE = 1e-4;
/**
 * How far each parameter moved in those steps (relative, or absolute below 1e-6): the difference
 * of two float32 values near each other loses digits, so this is looser than the losses' bound.
 */
const UPDATE_TOLERANCE = 1e-3;

const native = loadNative();
const BACKENDS = [
  { kind: 'wasm', skip: false },
  { kind: 'native', skip: native.ok ? false : `native backend unavailable: ${native.reason}` },
] as const;

for (const name of IMPORT_MODELS) {
  const { reference, bytes } = readImportReference(IMPORT_REFERENCE_DIR, name);
  test(`${name}: imports as exported, with every PyTorch parameter trainable under its own name`, () => {
    const r = importOnnxModel(bytes);
    assert.ok(r.ok, r.ok ? '' : r.message);
    const names = r.imported.model.params.map((p) => p.name);
    assert.deepEqual([...names].sort(), [...reference.torch_parameters].sort());
    assert.deepEqual(r.imported.model.dropouts.map((d) => ({ shape: d.shape, ratio: d.ratio })), reference.dropout);
  });
  for (const b of BACKENDS) {
    test(`${name} on ${b.kind}: PyTorch's first ${reference.steps} losses within ${TOLERANCE} relative`, { skip: b.skip }, async () => {
      const r = importOnnxModel(bytes);
      assert.ok(r.ok, r.ok ? '' : r.message);
      const backend = await openBackend({ kind: b.kind, threads: 1 });
      try {
        const trained = await trainImported(backend, r.imported, reference);
        const err = maxRelativeError(trained.losses, reference.losses);
        assert.ok(err <= TOLERANCE, `max relative error ${err.toExponential(2)}\n minima ${trained.losses.join(', ')}\n torch  ${reference.losses.join(', ')}`);
        const off = [...trained.updateNorms].filter(([p, n]) => {
          const want = reference.update_norms[p] ?? NaN;
          return !(Math.abs(n - want) <= UPDATE_TOLERANCE * Math.max(Math.abs(want), 1e-3));
        });
        assert.deepEqual(off.map(([p, n]) => `${p}: moved ${n}, in PyTorch ${reference.update_norms[p]}`), []);
      } finally {
        await backend.release();
      }
    });
  }
}

// Replays the PyTorch float64 reference trajectories (test-fixtures/reference/optim/*.json) in
// FLOAT32 on onnxruntime: the same step graphs as reference.test.ts, emitted with toOnnx, one
// session.run() per step on the wasm and the native backend, parameters and state fed back as
// float32, every parameter compared after every step.
//
// Relative error, per element: |ours − torch| ≤ 1e-5 · max(|torch|, rms(torch tensor)). The rms
// floor keeps entries that pass near zero from demanding absolute precision below what float32
// carries for the tensor as a whole; anything larger is judged against itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPTIMIZERS, WRAPPERS } from '..';
import { type Backend, type BackendName, loadNative, openBackend } from '../../../engine/backend';
import { mlp } from '../../../testing/optim-harness';
import { type HostTrainState, f32Tensor, onnxStepper } from '../../../testing/optim-onnx-stepper';
import { type OptimReference, optimReferenceFiles, readOptimReference } from '../../../testing/optim-references';


/**
 * float32 arithmetic through 20 steps stays within 1e-5 of float64 PyTorch for every optimizer,
 * Lion's signs and Muon's Newton–Schulz included, so no case gets a looser tolerance. Measured
 * worst (both backends): AdamP-Nesterov 4.2e-6, Muon 3.5e-6, AdamW 2.9e-6, Adam-AMSGrad 2.5e-6,
 * Grams 2.3e-6, Lion 1.1e-6, SGDP 8.8e-7, SAM-SGD 4.1e-7, SGD 3.3e-7.
 */
const REL = 1e-5;

const files = optimReferenceFiles();
const native = loadNative();
const BACKENDS: readonly { readonly name: BackendName; readonly skip: string | false }[] = [
  { name: 'wasm', skip: false },
  { name: 'native', skip: native.ok ? false : `native backend unavailable: ${native.ok ? '' : native.reason}` },
];

for (const b of BACKENDS) {
  for (const file of files) {
    test(`${b.name}, float32: PyTorch reference ${file} within ${REL} relative after each step`, { skip: b.skip }, async (t) => {
      const backend = await openBackend({ kind: b.name, threads: 1 });
      const ref = readOptimReference(file);
      const worst = await replay(ref, backend, REL);
      t.diagnostic(`worst relative error ${worst.error.toExponential(3)} at ${worst.where}`);
      assert.ok(worst.error <= REL, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${REL}`);
    });
  }
}

/** Runs the 20 steps; fails at the first parameter beyond tol, else returns the worst error seen. */
async function replay(ref: OptimReference, backend: Backend, tol: number): Promise<{ error: number; where: string }> {
  const net = mlp(ref.net);
  const batchSize = ref.batches[0]?.labels.length ?? 0;
  const optimizer = OPTIMIZERS.get(ref.optimizer.name);
  assert.ok(optimizer, ref.optimizer.name);
  const wrapperBuilder = ref.wrapper ? WRAPPERS.get(ref.wrapper.name) : undefined;
  const s = await onnxStepper({ net, batchSize, optimizer: { builder: optimizer, hp: ref.optimizer.hp }, ...(ref.wrapper && wrapperBuilder ? { wrapper: { builder: wrapperBuilder, hp: ref.wrapper.hp } } : {}) }, backend);
  const worst = { error: 0, where: 'nowhere' };
  try {
    let state: HostTrainState = s.initial(ref.init.map((d, i) => f32Tensor(ref.shapes[i] ?? [], d)));
    for (const [t, b] of ref.batches.entries()) {
      const x = f32Tensor([batchSize, net.inputs], b.x);
      const y = f32Tensor([batchSize, net.classes], b.labels.flatMap((c) => Array.from({ length: net.classes }, (_, k) => (k === c ? 1 : 0))));
      state = await s.step(state, x, y, ref.lr, t + 1);
      ref.trajectory[t]?.forEach((expected, i) => {
        const got = state.params[i]?.data;
        assert.ok(got instanceof Float32Array, `step ${t + 1}: parameter ${i} is not float32`);
        const rms = Math.sqrt(expected.reduce((a, v) => a + v * v, 0) / Math.max(1, expected.length));
        expected.forEach((v, k) => {
          const error = Math.abs((got[k] ?? NaN) - v) / Math.max(Math.abs(v), rms);
          if (!(error <= worst.error)) Object.assign(worst, { error, where: `step ${t + 1} ${net.infos[i]?.name}[${k}] = ${got[k]}, torch ${v}` });
        });
        assert.ok(worst.error <= tol, `${worst.where}: relative error ${worst.error.toExponential(3)} > ${tol}`);
      });
    }
    assert.equal(ref.trajectory.length, ref.batches.length);
  } finally {
    await s.release();
  }
  return worst;
}

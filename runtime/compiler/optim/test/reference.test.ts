// Replays the PyTorch reference trajectories (test-fixtures/reference/optim/*.json, written by
// generate.py with torch in float64) through the graph builders in the float64 interpreter and
// compares every parameter after every step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../tensor';
import { OPTIMIZERS, WRAPPERS } from '..';
import { type Batch, type TrainState, mlp, stepper } from '../../../testing/optim-harness';
import { optimReferenceFiles, readOptimReference } from '../../../testing/optim-references';


/** Per tensor, |ours − torch| ≤ REL · max |torch| of that tensor. */
const REL = 1e-9;
const files = optimReferenceFiles();

test('the reference set covers every compiled optimizer and SAM', () => {
  const refs = files.map((f) => readOptimReference(f));
  assert.deepEqual(new Set(refs.map((r) => r.optimizer.name)), new Set(OPTIMIZERS.keys()));
  assert.ok(refs.some((r) => r.wrapper?.name === 'sam'));
});

for (const file of files) {
  test(`PyTorch reference ${file}: ${REL} relative after each of the steps`, () => {
    const ref = readOptimReference(file);
    const net = mlp(ref.net);
    const batchSize = ref.batches[0]?.labels.length ?? 0;
    const optimizer = OPTIMIZERS.get(ref.optimizer.name);
    assert.ok(optimizer);
    const wrapperBuilder = ref.wrapper ? WRAPPERS.get(ref.wrapper.name) : undefined;
    const s = stepper({ net, batchSize, optimizer: { builder: optimizer, hp: ref.optimizer.hp }, ...(ref.wrapper && wrapperBuilder ? { wrapper: { builder: wrapperBuilder, hp: ref.wrapper.hp } } : {}) });
    let state: TrainState = s.initial(ref.init.map((d, i) => tensor(ref.shapes[i] ?? [], d)));
    ref.batches.forEach((b, t) => {
      const batch: Batch = {
        x: tensor([batchSize, net.inputs], b.x),
        y: tensor([batchSize, net.classes], b.labels.flatMap((c) => Array.from({ length: net.classes }, (_, k) => (k === c ? 1 : 0)))),
      };
      const inputs = (ref.wrapperInputs?.[t] ?? []).map((d, k) => tensor(s.inputShapes[k] ?? [], d));
      state = s.step(state, batch, ref.lr, t + 1, inputs);
      ref.trajectory[t]?.forEach((expected, i) => {
        const got = state.params[i]?.data ?? new Float64Array();
        const scale = Math.max(...expected.map(Math.abs));
        const worst = expected.reduce((m, v, k) => Math.max(m, Math.abs((got[k] ?? NaN) - v)), 0);
        assert.ok(worst <= REL * scale, `step ${t + 1} ${net.infos[i]?.name}: max error ${worst} (scale ${scale})`);
      });
    });
    assert.equal(ref.trajectory.length, ref.batches.length);
  });
}

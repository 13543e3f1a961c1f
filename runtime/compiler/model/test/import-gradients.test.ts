// The PyTorch exports of test-fixtures/reference/import, imported: every parameter gets a
// gradient, and the gradients (float64 interpreter) match central differences of the loss, through the folded shape subgraphs,
// attention, Split, GELU, grouped convolutions, PReLU, Hard{swish,sigmoid}, ELU, SELU, Softplus,
// Max and Min, and in train mode through BatchNorm's batch
// statistics and a fed Dropout mask. (The ResNets are left to the PyTorch reference test: their
// finite differences take minutes in the interpreter.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../..';
import { importOnnxModel } from '../import';
import { FD_EPS, randomTensor, seededRandom } from '../../../testing/gradcheck';
import { IMPORT_REFERENCE_DIR, readImportReference } from '../../../testing/import-reference';
import { feedsFor, instantiate } from '../../../testing/model-harness';

const BATCH = 2;
/** Relative to max(1, |g|), as for the ops' own gradient checks. */
const TOLERANCE = 1e-6;

/**
 * `perTensor`: one random direction per parameter tensor (two forward passes each); otherwise one
 * random direction over all parameters together, for the transformer, whose forward pass is the
 * slowest to interpret.
 */
const CASES = [
  { name: 'coverage', mode: 'eval', perTensor: true },
  { name: 'activations', mode: 'eval', perTensor: true },
  { name: 'transformer', mode: 'eval', perTensor: false },
  { name: 'lenet-bn-dropout', mode: 'train', perTensor: true },
] as const;

for (const k of CASES) {
  test(`${k.name} (${k.mode} mode): imported gradients match finite differences along random directions`, () => {
    const r = importOnnxModel(readImportReference(IMPORT_REFERENCE_DIR, k.name).bytes);
    assert.ok(r.ok, r.ok ? '' : r.message);
    const { model, initial } = r.imported;
    const inst = instantiate(model, k.mode, { maskDtype: 'float64' });
    const w = inst.g.input('w', inst.result.output.shape);
    const loss = c.reduceSum(c.mul(inst.result.output, w), [], false);
    const grads = c.grad(loss, inst.params);
    const rand = seededRandom(21);
    const masks = model.dropouts.map((d) => c.tensor([BATCH, ...d.shape], Array.from({ length: BATCH * d.shape.reduce((a, b) => a * b, 1) }, () => (rand() < d.ratio ? 0 : 1))));
    const feeds: Record<string, c.Tensor> = {
      ...feedsFor(model, { x: randomTensor({ shape: [BATCH, ...model.inputShape] }, rand), params: initial.params, buffers: initial.buffers, masks }),
      w: randomTensor({ shape: [BATCH, model.outputWidth], lo: 0.5, hi: 1.5 }, rand),
    };
    const analytic = c.interpret(grads, feeds);
    model.params.forEach((p, j) => assert.ok(analytic[j]?.data.some((v) => v !== 0), `${p.name}: no gradient flows`));
    const directions = model.params.map((p) => randomTensor({ shape: p.shape }, rand).data);
    const lossAt = (f: Readonly<Record<string, c.Tensor>>): number => c.interpret([loss], f)[0]?.data[0] ?? NaN;
    /** The loss with the chosen tensors moved by t along their directions. */
    const moved = (chosen: readonly number[], t: number): number => {
      const f = { ...feeds };
      for (const j of chosen) {
        const key = `p:${model.params[j]?.name}`;
        const base = feeds[key] as c.Tensor;
        f[key] = { ...base, data: base.data.map((v, i) => v + t * (directions[j]?.[i] ?? 0)) };
      }
      return lossAt(f);
    };
    const groups = k.perTensor ? model.params.map((_, j) => [j]) : [model.params.map((_, j) => j)];
    for (const chosen of groups) {
      const exact = chosen.reduce((s, j) => s + (analytic[j]?.data.reduce((a, g, i) => a + g * (directions[j]?.[i] ?? 0), 0) ?? NaN), 0);
      const numeric = (moved(chosen, FD_EPS) - moved(chosen, -FD_EPS)) / (2 * FD_EPS);
      const what = chosen.length === 1 ? model.params[chosen[0] as number]?.name : 'all parameters';
      assert.ok(Math.abs(exact - numeric) <= TOLERANCE * Math.max(1, Math.abs(exact)), `${what}: analytic ${exact} vs numeric ${numeric}`);
    }
  });
}

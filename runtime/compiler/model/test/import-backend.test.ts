// Imported ONNX models run on onnxruntime: each fixture's imported forward, with its parameters
// and buffers fed from the file's values, is emitted in float32 and run on the wasm backend, and
// must agree with the float64 interpreter (tolerance 1e-5 relative, as for single ops).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../..';
import { importOnnxModel } from '../import';
import { seededRandom } from '../../../testing/gradcheck';
import { type RunCase, runCases } from '../../../testing/onnx-run';
import { ONNX_FIXTURES, fixtureBytes } from '../../../testing/onnx-models';
import { openBackend } from '../../../engine/backend';

const BATCH = 3;

function caseFor(fixture: (typeof ONNX_FIXTURES)[number]): RunCase {
  const r = importOnnxModel(fixtureBytes(fixture), {});
  if (!r.ok) throw new Error(`${fixture.name}: ${r.message}`);
  const { model, initial } = r.imported;
  const inputs: RunCase['inputs'] = {
    x: { shape: [BATCH, ...model.inputShape], staticShape: ['B', ...model.inputShape] },
    ...Object.fromEntries(model.params.map((p, i) => [`p${i}`, { shape: p.shape, data: [...(initial.params[i] ?? [])] }])),
    ...Object.fromEntries(model.buffers.map((b, i) => [`b${i}`, { shape: b.shape, data: [...(initial.buffers[i] ?? [])] }])),
  };
  const get = (x: Readonly<Record<string, Value>>, name: string): Value => {
    const v = x[name];
    if (v === undefined) throw new Error(`no input ${name}`);
    return v;
  };
  return {
    name: fixture.name,
    inputs,
    build: (x) => {
      const xv = get(x, 'x');
      const params = model.params.map((_, i) => get(x, `p${i}`));
      const buffers = model.buffers.map((_, i) => get(x, `b${i}`));
      return [model.forward(xv.graph, xv, params, buffers, { mode: 'eval' }).output];
    },
  };
}

test('imported fixtures run in float32 on the wasm backend like the interpreter', async () => {
  const backend = await openBackend({ kind: 'wasm' });
  const results = await runCases(backend, ONNX_FIXTURES.map(caseFor), 'float32', 1e-5, seededRandom(17));
  for (const r of results) assert.deepEqual(r.problems, [undefined], r.name);
});

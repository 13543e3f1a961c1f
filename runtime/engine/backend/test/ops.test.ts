// Every op in OPS, emitted as ONNX and run on onnxruntime (wasm, and native when it loads), must
// agree with the reference interpreter: float64 to 1e-12 and float32 to 1e-5 (relative to
// max(1, |expected|)). All cases share one graph and one session per backend and dtype.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder, OPS, toOnnx } from '../../../compiler';
import { seededRandom } from '../../../testing/gradcheck';
import { type FloatMode, runCases } from '../../../testing/onnx-run';
import { OP_CASES, type OpCase } from '../../../testing/op-cases';
import { type Backend, loadNative, openBackend } from '..';

/** Ops whose float64 kernels onnxruntime's CPU provider lacks (checked below, so the list cannot go stale). */
const FLOAT32_ONLY: ReadonlySet<string> = new Set(['Erf', 'Conv', 'ConvTranspose', 'AveragePool']);

const TOLERANCE: Readonly<Record<FloatMode, number>> = { float64: 1e-12, float32: 1e-5 };

const runsIn = (mode: FloatMode) => (k: OpCase): boolean => mode === 'float32' || !k.covers.some((op) => FLOAT32_ONLY.has(op));

test('the cases cover every op in OPS', () => {
  const covered = new Set(OP_CASES.flatMap((k) => k.covers));
  assert.deepEqual([...OPS.keys()].filter((op) => !covered.has(op)), []);
  assert.deepEqual([...covered].filter((op) => !OPS.has(op)), []);
});

const native = loadNative();
const backends: { name: string; open: () => Promise<Backend>; skip: string | false }[] = [
  { name: 'wasm', open: () => openBackend({ kind: 'wasm' }), skip: false },
  { name: 'native', open: () => openBackend({ kind: 'native' }), skip: native.ok ? false : `native backend unavailable: ${native.reason}` },
];

for (const b of backends) {
  test(`ops on ${b.name}`, { skip: b.skip }, async (t) => {
    const backend = await b.open();
    for (const mode of ['float64', 'float32'] as const) {
      const cases = OP_CASES.filter(runsIn(mode));
      const results = await runCases(backend, cases, mode, TOLERANCE[mode], seededRandom(mode === 'float64' ? 64 : 32));
      for (const r of results) {
        await t.test(`${mode}: ${r.name}`, () => {
          const bad = r.problems.flatMap((p, i) => (p === undefined ? [] : [`output ${i}: ${p}`]));
          assert.deepEqual(bad, []);
        });
      }
    }
    await t.test('the float32-only ops really lack float64 kernels', async () => {
      for (const op of FLOAT32_ONLY) {
        const k = OP_CASES.find((c) => c.covers.includes(op));
        assert.ok(k, op);
        const g = new GraphBuilder();
        const values = Object.fromEntries(Object.entries(k.inputs).map(([name, spec]) => [name, g.input(name, spec.staticShape ?? spec.shape, spec.dtype ?? 'float64')]));
        const outputs = k.build(values).map((value, i) => ({ name: `out${i}`, value }));
        await assert.rejects(backend.createSession(toOnnx(g, outputs, { name: op, dtype: 'float64' })), /implementation|NOT_IMPLEMENTED|not supported/i, op);
      }
    });
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, tensor, toOnnx } from '../../../compiler';
import { dequantizeWeight, quantDequant } from '../../../compiler/compress/qdq';
import { openBackend } from '../../backend';
import { createRng } from '../../data';
import { fakeQuantize, quantParams, type QuantSpec } from '../quantize';
import { applyPtq, codesOf } from '../ptq';

function weights(n: number, seed: number): Float32Array {
  const rng = createRng(seed, 'w', 0);
  // Heavy-ish tails so that clipping ranges matter.
  return Float32Array.from({ length: n }, () => rng.normal() * (rng.uniform() < 0.05 ? 4 : 1));
}

const SPECS: QuantSpec[] = [];
for (const bits of [2, 4, 8]) {
  for (const symmetric of [true, false]) {
    for (const range of [{ kind: 'minmax' }, { kind: 'percentile', p: 99 }, { kind: 'mse' }] as const) SPECS.push({ bits, symmetric, perChannel: true, range });
  }
}
SPECS.push({ bits: 8, symmetric: true, perChannel: false, range: { kind: 'minmax' } });

for (const spec of SPECS) {
  test(`quantize ${spec.bits} bits ${spec.symmetric ? 'sym' : 'asym'} ${spec.perChannel ? 'per channel' : 'per tensor'} ${spec.range.kind}: ≤ 2^b values, error ≤ s/2 inside, idempotent`, () => {
    const shape = [6, 40];
    const w = weights(240, spec.bits * 10 + (spec.symmetric ? 1 : 0));
    const p = quantParams(w, shape, spec);
    const q = fakeQuantize(w, p);
    const size = w.length / p.scale.length;
    for (let c = 0; c < p.scale.length; c++) {
      const s = p.scale[c] ?? 1;
      const z = p.zeroPoint[c] ?? 0;
      const values = new Set(q.subarray(c * size, (c + 1) * size));
      assert.ok(values.size <= 2 ** spec.bits, `${values.size} values in channel ${c}`);
      const lo = s * (p.qmin - z);
      const hi = s * (p.qmax - z);
      for (let k = c * size; k < (c + 1) * size; k++) {
        const x = w[k] ?? 0;
        if (x >= lo && x <= hi) assert.ok(Math.abs(x - (q[k] ?? 0)) <= s / 2 + 1e-6 * s, `|x − x̂| at ${k}`);
      }
    }
    // Q(Q(x)) = Q(x) with the same parameters.
    assert.deepEqual(fakeQuantize(q, p), q);
  });
}

for (const bits of [2, 4, 8]) {
  test(`mse range at ${bits} bits: error no larger than min–max`, () => {
    const w = weights(400, bits);
    const err = (range: QuantSpec['range']) => {
      const q = fakeQuantize(w, quantParams(w, [1, 400], { bits, symmetric: true, perChannel: false, range }));
      return w.reduce((s, x, i) => s + (x - (q[i] ?? 0)) ** 2, 0);
    };
    assert.ok(err({ kind: 'mse' }) <= err({ kind: 'minmax' }));
  });
}

for (const symmetric of [true, false]) {
  test(`the ${symmetric ? 'int8' : 'uint8'} weight and its QDQ input load in onnxruntime and equal the host round trip`, async () => {
    const w = weights(24, 9);
    const spec: QuantSpec = { bits: 4, symmetric, perChannel: true, range: { kind: 'minmax' } };
    const info = { name: 'w', layer: 'l', role: 'weight', shape: [4, 6], compressible: true, isNorm: false, init: { kind: 'zeros' } } as const;
    const ptq = applyPtq({ targets: [0], spec }, [info], [w]);
    const e = ptq.exported.get(0);
    assert.ok(e);
    const stored = codesOf(ptq.weights[0] ?? [], e);
    // The input is quantized per tensor, as activations are.
    const p = quantParams(w, [4, 6], { ...spec, perChannel: false });
    const g = new GraphBuilder();
    const x = g.input('x', [4, 6], 'float32');
    const qw = dequantizeWeight(g.constant(tensor([4, 6], stored.codes, 'float32')), g.constant(tensor([4], e.scale, 'float32')), g.constant(tensor([4], e.zeroPoint, 'float32')), { signed: symmetric });
    const y = quantDequant(x, g.scalar(Math.fround(p.scale[0] ?? 1), 'float32'), g.scalar(p.zeroPoint[0] ?? 0, 'float32'), { signed: symmetric, qmin: p.qmin, qmax: p.qmax });
    const backend = await openBackend({ kind: 'wasm' });
    const session = await backend.createSession(toOnnx(g, [{ name: 'w', value: qw }, { name: 'y', value: y }], { name: 'qdq', dtype: 'float32' }));
    const out = await session.run({ x: { dtype: 'float32', shape: [4, 6], data: w } });
    await session.release();
    // The host's Q(W) is DequantizeLinear's float32 result exactly; QuantizeLinear of the float
    // input agrees to float32 rounding of x/s.
    assert.deepEqual(Array.from(out['w']?.data as Float32Array), Array.from(ptq.weights[0] ?? []));
    const want = fakeQuantize(w, p);
    const got = out['y']?.data as Float32Array;
    want.forEach((v, i) => assert.ok(Math.abs((got[i] ?? NaN) - v) <= 1e-6 * Math.max(1, Math.abs(v)), `y[${i}]: ${got[i]} vs ${v}`));
  });
}

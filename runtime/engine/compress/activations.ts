// Activation quantization for ptq (catalog ptq with minmax / percentile / mse; A62): the input of
// every quantized layer is recorded over the `calibrate` batches, running the trained model with
// its weights already as exported (8-bit, factored) and float activations, and one per-tensor
// range is chosen with the same estimator as the weights. The export then quantizes each such input
// (QuantizeLinear → DequantizeLinear, uint8 asymmetric or int8 symmetric) on that grid.

import { GraphBuilder } from '../../compiler/builder';
import { compressedForward, type ForwardWeights } from '../../compiler/compress/compressed-forward';
import type { ModelGraph } from '../../compiler/model';
import { toOnnx } from '../../compiler/onnx';
import type { ActivationQuantization, ExportCompression } from '../../compiler/step';
import type { Backend } from '../backend';
import { tensorOf } from '../tensors';
import { quantParams, type QuantSpec } from './quantize';

/** Values the percentile and mse estimators look at, at most (evenly strided beyond): they sort or sweep them. */
const MAX_VALUES = 1 << 20;

/** The inputs of the layers reading `targets`, over the calibration batches, by weight index. */
export async function recordInputs(backend: Backend, model: ModelGraph, weights: ForwardWeights, compression: ExportCompression, targets: readonly number[], batches: Iterable<{ readonly x: Float32Array; readonly size: number }>): Promise<Map<number, Float32Array>> {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], 'float32');
  const f = compressedForward(g, x, model, weights, 'float32', compression, { params: targets, at: 'input' });
  const observed = [...f.observed];
  const recorded = new Map<number, Float32Array[]>(observed.map(([i]) => [i, []]));
  if (observed.length === 0) return new Map();
  const session = await backend.createSession(toOnnx(g, observed.map(([i, value]) => ({ name: `observed_${i}`, value })), { name: 'calibration', dtype: 'float32', avoid: backend.avoidOps }));
  try {
    for (const b of batches) {
      const out = await session.run({ x: tensorOf(b.x, [b.size, ...model.inputShape]) });
      for (const [i] of observed) recorded.get(i)?.push(Float32Array.from(out[`observed_${i}`]?.data as Float32Array));
    }
  } finally {
    await session.release();
  }
  return new Map([...recorded].map(([i, parts]) => [i, concat(parts)]));
}

/** One per-tensor quantizer for the recorded values of an activation. */
export function activationQuantization(values: Float32Array, spec: QuantSpec): ActivationQuantization {
  const sample = spec.range.kind === 'minmax' || values.length <= MAX_VALUES ? values : strided(values, MAX_VALUES);
  const p = quantParams(sample, [1, sample.length], { ...spec, perChannel: false });
  // At 8 bits the grid is the storage type's whole range (−128 joins the symmetric grid's ±127):
  // QuantizeLinear saturates there by itself, with no Clip in front, and values beyond the
  // calibrated range are clipped one step later; still at most 2^8 values.
  const [qmin, qmax] = spec.bits === 8 ? (spec.symmetric ? [-128, 127] : [0, 255]) : [p.qmin, p.qmax];
  return { scale: Math.fround(p.scale[0] ?? 1), zeroPoint: p.zeroPoint[0] ?? 0, qmin, qmax, signed: spec.symmetric };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function strided(values: Float32Array, n: number): Float32Array {
  const step = values.length / n;
  return Float32Array.from({ length: n }, (_, k) => values[Math.floor(k * step)] ?? 0);
}

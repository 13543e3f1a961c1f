// The evaluation graph (validation loss and logits, running statistics frozen) and the export
// graph (a plain inference model with the trained weights baked in as initializers).

import { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import type { ModelGraph } from '../model/types';
import { softmax } from '../ops/softmax';
import type { LossFn } from './train-step';
import { compressedForward, type ForwardWeights, type Observe } from '../compress/compressed-forward';
import type { ExportCompression } from '../compress/export-plan';

export type { ExportCompression, QuantizedTensor, FactoredWeight, Factor, FactorLayout, ActivationQuantization } from '../compress/export-plan';

/**
 * A weight exported as 8-bit codes described by its on-grid float values: scale and
 * (integer-valued) zero point per channel (dim 0), or one each. toQuantizedTensor turns it into codes.
 */
export interface ExportQuantization {
  readonly scale: ArrayLike<number>;
  readonly zeroPoint: ArrayLike<number>;
  readonly perChannel: boolean;
  /** int8 (symmetric) or uint8 (asymmetric) storage. */
  readonly signed: boolean;
}

export interface EvalStepGraph {
  readonly graph: GraphBuilder;
  readonly outputs: readonly { readonly name: string; readonly value: Value }[];
}

export function buildEvalStep(model: ModelGraph, loss: LossFn, targetWidth: number, dtype: DType): EvalStepGraph {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', targetWidth], dtype);
  const params = model.params.map((p) => g.input(p.name, p.shape, dtype));
  const buffers = model.buffers.map((b) => g.input(b.name, b.shape, dtype));
  const f = model.forward(g, x, params, buffers, { mode: 'eval', updateBuffers: false });
  return { graph: g, outputs: [{ name: 'loss', value: loss(g, f.output, y) }, { name: 'logits', value: f.output }] };
}

export interface CompressedGraph extends EvalStepGraph {
  /** Weights whose factorization or input quantization could not be applied (see compressedForward). */
  readonly skipped: readonly number[];
}

/**
 * An inference model `input → logits` (and `probabilities` for classification) with the weights as
 * initializers, compressed as `compression` says (8-bit weights, factored layers, quantized inputs).
 */
export function buildExport(model: ModelGraph, weights: ForwardWeights, classification: boolean, dtype: DType, compression?: ExportCompression): CompressedGraph {
  const g = new GraphBuilder();
  const x = g.input('input', ['B', ...model.inputShape], dtype);
  const f = compressedForward(g, x, model, weights, dtype, compression);
  const outputs = [{ name: 'logits', value: f.output }];
  if (classification) outputs.push({ name: 'probabilities', value: softmax(f.output, 1) });
  return { graph: g, outputs, skipped: f.skipped };
}

/**
 * The evaluation graph of the exported model: inputs `x` and `y`, outputs `loss` and `logits`, with
 * the weights baked in exactly as buildExport bakes them, so validation after compression measures
 * what the export computes. `observe` adds the layer inputs as outputs `observed.<weight index>`.
 */
export function buildCompressedEval(model: ModelGraph, weights: ForwardWeights, loss: LossFn, targetWidth: number, dtype: DType, compression?: ExportCompression, observe?: Observe): CompressedGraph {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', targetWidth], dtype);
  const f = compressedForward(g, x, model, weights, dtype, compression, observe);
  const observed = [...f.observed].map(([i, value]) => ({ name: observedName(i), value }));
  return { graph: g, outputs: [{ name: 'loss', value: loss(g, f.output, y) }, { name: 'logits', value: f.output }, ...observed], skipped: f.skipped };
}

/** The output name of an observed layer input. */
export function observedName(weight: number): string {
  return `observed.${weight}`;
}

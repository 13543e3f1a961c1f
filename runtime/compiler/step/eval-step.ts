// The evaluation graph (validation loss and logits, running statistics frozen) and the export
// graph (a plain inference model with the trained weights baked in as initializers).

import { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import type { ModelGraph } from '../model/types';
import { softmax } from '../ops/softmax';
import { tensor } from '../tensor';
import type { LossFn } from './train-step';
import { weightQDQ } from '../compress/qdq';

/** A weight exported as QuantizeLinear → DequantizeLinear: scale and (integer-valued) zero point per channel, or one each. */
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

/** An inference model `input → logits` (and `probabilities` for classification) with the weights as initializers. */
export function buildExport(model: ModelGraph, weights: { readonly params: readonly ArrayLike<number>[]; readonly buffers: readonly ArrayLike<number>[] }, classification: boolean, dtype: DType, quantized?: ReadonlyMap<number, ExportQuantization>): EvalStepGraph {
  const g = new GraphBuilder();
  const x = g.input('input', ['B', ...model.inputShape], dtype);
  const params = model.params.map((p, i) => {
    const w = g.constant(tensor(p.shape, weights.params[i] ?? [], dtype));
    const q = quantized?.get(i);
    if (!q) return w;
    const shape = q.perChannel ? [q.scale.length] : [];
    return weightQDQ(w, g.constant(tensor(shape, q.scale, dtype)), g.constant(tensor(shape, q.zeroPoint, dtype)), q.signed);
  });
  const buffers = model.buffers.map((b, i) => g.constant(tensor(b.shape, weights.buffers[i] ?? [], dtype)));
  const f = model.forward(g, x, params, buffers, { mode: 'eval', updateBuffers: false });
  const outputs = [{ name: 'logits', value: f.output }];
  if (classification) outputs.push({ name: 'probabilities', value: softmax(f.output, 1) });
  return { graph: g, outputs };
}

// The model's inference forward pass with an ExportCompression applied: weights stored as 8-bit
// codes, factored layers as two thinner layers, quantized layer inputs. The model builder knows
// nothing about compression, so the forward pass is built as usual in a scratch graph (each weight
// a constant) and then copied node by node into the target graph; the Gemm or Conv that reads a
// weight directly is the layer, and is rewritten as the plan says. The export and the evaluation
// graph both come from here, so the accuracy reported after compression is the exported model's.

import { GraphBuilder } from '../builder';
import { type DType, type Node, type Value, intAttr } from '../ir';
import type { ModelGraph } from '../model/types';
import { Conv, conv, convParams } from '../ops/conv';
import { Gemm, gemm } from '../ops/matmul';
import { tensor } from '../tensor';
import type { ExportCompression, Factor, FactoredWeight, QuantizedTensor } from './export-plan';
import { dequantizeWeight, quantDequant } from './qdq';

export interface ForwardWeights {
  readonly params: readonly ArrayLike<number>[];
  readonly buffers: readonly ArrayLike<number>[];
}

/** Layer inputs to expose: before their quantization ('input', for calibration) or after it ('quantized'). */
export interface Observe {
  readonly params: readonly number[];
  readonly at: 'input' | 'quantized';
}

export interface CompressedForward {
  readonly output: Value;
  /** The observed layer inputs, by weight index. */
  readonly observed: ReadonlyMap<number, Value>;
  /**
   * Weights whose layer could not be rewritten (the weight reaches its Gemm/Conv through other ops,
   * as under weight normalization, or the layer has attributes the factorization does not cover):
   * they are computed densely from `weights.params` and their input is not quantized.
   */
  readonly skipped: readonly number[];
}

export function compressedForward(g: GraphBuilder, x: Value, model: ModelGraph, weights: ForwardWeights, dtype: DType, compression: ExportCompression = {}, observe?: Observe): CompressedForward {
  const scratch = new GraphBuilder();
  const sx = scratch.input('x', x.shape, x.dtype);
  // Named after the model's tensors, so that an export keeps them (`dense_1.weight`, `encoder.layers.0.linear1.weight`).
  const placeholders = model.params.map((p, i) => scratch.constant(tensor(p.shape, weights.params[i] ?? [], dtype), p.name));
  const buffers = model.buffers.map((b, i) => scratch.constant(tensor(b.shape, weights.buffers[i] ?? [], dtype), b.name));
  const f = model.forward(scratch, sx, placeholders, buffers, { mode: 'eval', updateBuffers: false });

  const paramOf = new Map(placeholders.map((v, i) => [v.id, i]));
  const map = new Map<number, Value>([[sx.id, x]]);
  const valueOf = (v: Value | undefined): Value => {
    if (v === undefined) throw new Error('compressedForward: missing input');
    const known = map.get(v.id);
    if (known !== undefined) return known;
    if (v.source.kind !== 'constant') throw new Error(`compressedForward: value ${v.id} used before its node`);
    const i = paramOf.get(v.id);
    const q = i !== undefined ? compression.quantized?.get(i) : undefined;
    const out = q ? quantizedValue(g, v.source.tensor.shape, q, dtype, v.source.name) : g.constant(v.source.tensor, v.source.name);
    map.set(v.id, out);
    return out;
  };

  const observed = new Map<number, Value>();
  const watched = new Set(observe?.params ?? []);
  const skipped: number[] = [];
  const layerWeights = new Set<number>();
  for (const node of scratch.nodes) {
    const i = layerWeightOf(node, paramOf);
    if (i !== undefined) layerWeights.add(i);
    const factored = i !== undefined ? compression.factored?.get(i) : undefined;
    const act = i !== undefined ? compression.activations?.get(i) : undefined;
    if (i === undefined || (!factored && !act && !watched.has(i))) {
      const outs = g.apply(node.op, node.inputs.map(valueOf), node.attrs, node.outputs.length);
      node.outputs.forEach((o, k) => map.set(o.id, outs[k] as Value));
      continue;
    }
    let input = valueOf(node.inputs[0]);
    if (act) {
      const quantized = quantDequant(input, g.scalar(act.scale, dtype), g.scalar(act.zeroPoint, dtype), act);
      if (watched.has(i)) observed.set(i, observe?.at === 'quantized' ? quantized : input);
      input = quantized;
    } else if (watched.has(i)) observed.set(i, input);
    const bias = node.inputs[2] !== undefined ? valueOf(node.inputs[2]) : undefined;
    const y = factored && canFactor(node, factored) ? factoredLayer(node, input, factored, bias, dtype, model.params[i]?.name) : undefined;
    if (factored && y === undefined) skipped.push(i);
    const out = y ?? g.apply1(node.op, [input, ...node.inputs.slice(1).map(valueOf)], node.attrs);
    map.set((node.outputs[0] as Value).id, out);
  }
  // Compressed weights that no Gemm/Conv reads directly were used as they are (dense).
  for (const i of [...(compression.factored?.keys() ?? []), ...(compression.activations?.keys() ?? [])]) {
    if (!layerWeights.has(i) && !skipped.includes(i)) skipped.push(i);
  }
  return { output: valueOf(f.output), observed, skipped };
}

/** The weight index a Gemm (B operand) or Conv (kernel) reads directly, if any. */
function layerWeightOf(node: Node, paramOf: ReadonlyMap<number, number>): number | undefined {
  if (node.op !== Gemm && node.op !== Conv) return undefined;
  const w = node.inputs[1];
  return w === undefined ? undefined : paramOf.get(w.id);
}

function canFactor(node: Node, f: FactoredWeight): boolean {
  if (node.op === Gemm) {
    const a = node.attrs;
    return f.layout === 'gemm' && intAttr(a, 'transB', 0) === 1 && intAttr(a, 'transA', 0) === 0 && (a['alpha'] ?? 1) === 1 && (a['beta'] ?? 1) === 1;
  }
  const p = convParams(node.attrs);
  return f.layout !== 'gemm' && p.group === 1 && p.dilations[0] === 1 && p.dilations[1] === 1;
}

function factoredLayer(node: Node, x: Value, f: FactoredWeight, bias: Value | undefined, dtype: DType, name: string | undefined): Value {
  const first = factorValue(x.graph, f.first, dtype, name && `${name}.factor_1`);
  const second = factorValue(x.graph, f.second, dtype, name && `${name}.factor_2`);
  if (f.layout === 'gemm') return gemm(gemm(x, first, { transB: true }), second, { transB: true }, bias);
  const p = convParams(node.attrs);
  const [top, left, bottom, right] = p.pads;
  if (f.layout === 'conv-svd') return conv(conv(x, first, { strides: p.strides, pads: p.pads }), second, {}, bias);
  // conv-trp: the vertical conv takes the vertical stride and pads, the horizontal one the rest.
  const h = conv(x, first, { strides: [p.strides[0], 1], pads: [top, 0, bottom, 0] });
  return conv(h, second, { strides: [1, p.strides[1]], pads: [0, left, 0, right] }, bias);
}

function factorValue(g: GraphBuilder, f: Factor, dtype: DType, name: string | undefined): Value {
  return f.quantized ? quantizedValue(g, f.shape, f.quantized, dtype, name) : g.constant(tensor(f.shape, f.values, dtype), name);
}

/** A weight stored as 8-bit codes: `<name>.quantized`, `<name>.scale`, `<name>.zero_point` in the file. */
function quantizedValue(g: GraphBuilder, shape: readonly number[], q: QuantizedTensor, dtype: DType, name: string | undefined): Value {
  const s = q.perChannel ? [q.scale.length] : [];
  const named = (suffix: string): string | undefined => (name === undefined ? undefined : `${name}.${suffix}`);
  return dequantizeWeight(g.constant(tensor(shape, q.codes, dtype), named('quantized')), g.constant(tensor(s, q.scale, dtype), named('scale')), g.constant(tensor(s, q.zeroPoint, dtype), named('zero_point')), { signed: q.signed, axis: 0 });
}

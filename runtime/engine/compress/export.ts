// After training: the compressed model that is exported, and its validation. In order:
//   1. lowrank: each target truncated to the rank of its last projection and factored (factor.ts);
//   2. quantize: 8-bit weights (ptq, or qat's final weights), factored weights per factor;
//   3. ptq: the quantized layers' inputs calibrated on training batches (activations.ts);
// then one evaluation graph and the export are built from the same plan (compiler/compress/
// compressed-forward.ts), so the accuracy reported is the exported file's, and the reported bytes
// and parameters are counted in the file itself.

import type { ModelGraph } from '../../compiler/model';
import { decodeOnnxModel, toOnnx } from '../../compiler/onnx';
import { buildCompressedEval, buildExport, type ExportCompression, type FactoredWeight, type LossFn, type QuantizedTensor } from '../../compiler/step';
import type { ActivationQuantization } from '../../compiler/step';
import type { Backend } from '../backend';
import type { Dataset } from '../data';
import { evaluate } from '../evaluate';
import type { Metrics } from '../events';
import { activationQuantization, recordInputs } from './activations';
import { factorize } from './factor';
import type { Lowrank } from './lowrank';
import { codesOf, quantizeFactors, type PtqPlan, type PtqResult } from './ptq';

export interface ExportInputs {
  readonly backend: Backend;
  readonly model: ModelGraph;
  /** The trained weights the model computes with (pruned entries exactly zero). */
  readonly trained: readonly Float32Array[];
  readonly buffers: readonly Float32Array[];
  readonly loss: LossFn;
  readonly targetWidth: number;
  readonly classification: boolean;
  readonly valSet: Dataset;
  /** The graph's name in the file. */
  readonly name: string;
  readonly lowrank?: Lowrank;
  /** Pruned weights: not factored (their zeros would be lost). */
  readonly pruned?: readonly number[];
  /** The quantize block: its plan and how the final weights are quantized (applyPtq, or qat's learned scales). */
  readonly quantize?: { readonly plan: PtqPlan; readonly apply: (weights: readonly Float32Array[]) => PtqResult };
  /** Training batches for activation calibration (ptq). */
  readonly calibration?: () => Iterable<{ readonly x: Float32Array; readonly size: number }>;
}

export interface ExportResult {
  /** The ONNX file. */
  readonly bytes: Uint8Array;
  readonly compression: ExportCompression;
  readonly metrics: Metrics;
  readonly phases: readonly { readonly phase: 'lowrank' | 'quantization'; readonly detail: string }[];
  readonly warnings: readonly string[];
}

export async function exportCompressed(inputs: ExportInputs): Promise<ExportResult> {
  const { model, buffers } = inputs;
  const infos = model.params;
  const phases: { phase: 'lowrank' | 'quantization'; detail: string }[] = [];
  const warnings: string[] = [];

  const ranks = inputs.lowrank?.ranks();
  const fz = inputs.lowrank && ranks && ranks.size > 0 ? factorize(inputs.lowrank.plan.method, infos, inputs.trained, ranks, new Set(inputs.pruned ?? []), inputs.lowrank.rowWeights?.()) : undefined;
  if (fz) phases.push({ phase: 'lowrank', detail: `factored export: ${fz.details.join(', ')}` });
  let weights: readonly Float32Array[] = fz?.weights ?? inputs.trained;

  const quantized = new Map<number, QuantizedTensor>();
  const factored = new Map<number, FactoredWeight>(fz?.factored ?? []);
  const q = inputs.quantize;
  if (q) {
    const result = q.apply(weights);
    weights = result.weights;
    for (const [i, e] of result.exported) if (!factored.has(i)) quantized.set(i, codesOf(result.weights[i] ?? [], e));
    if (q.plan.spec.bits <= 8) for (const [i, f] of factored) if (q.plan.targets.includes(i)) factored.set(i, quantizeFactors(q.plan, f));
  }

  const activations = new Map<number, ActivationQuantization>();
  if (q?.plan.activations && inputs.calibration) {
    const counter = { batches: 0 };
    const recorded = await recordInputs(inputs.backend, model, { params: weights, buffers }, { quantized, factored }, q.plan.targets, take(inputs.calibration(), q.plan.activations.batches, counter));
    for (const [i, values] of recorded) activations.set(i, activationQuantization(values, q.plan.spec));
    const batches = counter.batches;
    phases.push({ phase: 'quantization', detail: `${q.plan.spec.bits}-bit activations at the inputs of ${activations.size} layers (per tensor, ${q.plan.spec.symmetric ? 'int8 symmetric' : 'uint8 asymmetric'}, ${q.plan.spec.range.kind} over ${batches} calibration batches)` });
  }
  const compression: ExportCompression = { quantized, factored, activations };

  const metrics: Record<string, number> = {};
  const changed = quantized.size > 0 || factored.size > 0 || activations.size > 0 || q !== undefined;
  if (changed) {
    const evalGraph = buildCompressedEval(model, { params: weights, buffers }, inputs.loss, inputs.targetWidth, 'float32', compression);
    const session = await inputs.backend.createSession(toOnnx(evalGraph.graph, evalGraph.outputs, { name: 'compressed_eval', dtype: 'float32', avoid: inputs.backend.avoidOps }));
    // The weights are baked into the graph: the view of the model without parameters feeds x and y only.
    const m = await evaluate(session, inputs.valSet, model.inputShape, {}, inputs.targetWidth, inputs.classification);
    await session.release();
    const suffix = q ? 'quantized' : 'factored';
    if (m['val_accuracy'] !== undefined) metrics[`val_accuracy_${suffix}`] = m['val_accuracy'];
    if (m['val_loss'] !== undefined) metrics[`val_loss_${suffix}`] = m['val_loss'];
  }

  const graph = buildExport(model, { params: weights, buffers }, inputs.classification, 'float32', compression);
  for (const i of graph.skipped) warnings.push(`${infos[i]?.layer ?? i}: its weight reaches its layer through other ops (a weight norm), so it is exported dense${activations.has(i) ? '' : ' and its input is not quantized'}`);
  const bytes = toOnnx(graph.graph, graph.outputs, { name: inputs.name, dtype: 'float32' });
  const file = fileStats(bytes);
  metrics['model_bytes_exported'] = file.bytes;
  metrics['model_params_exported'] = file.parameters;
  if (q) metrics['model_bytes_quantized'] = file.bytes;
  return { bytes, compression, metrics, phases, warnings };
}

/** Bytes of the file's initializers, and their element count without int64 shape operands, scales and zero points. */
export function fileStats(bytes: Uint8Array): { bytes: number; parameters: number } {
  const decoded = decodeOnnxModel(bytes);
  if (!decoded.ok) throw new Error(`the exported model does not decode: ${decoded.message}`);
  const graph = decoded.model.graph;
  // Scales and zero points are the 2nd and 3rd inputs of DequantizeLinear/QuantizeLinear.
  const quantParams = new Set(graph.nodes.filter((n) => n.opType === 'DequantizeLinear' || n.opType === 'QuantizeLinear').flatMap((n) => n.inputs.slice(1)));
  let total = 0;
  let parameters = 0;
  for (const t of graph.initializers) {
    const width = t.type === 'int8' || t.type === 'uint8' || t.type === 'bool' ? 1 : t.type === 'float32' || t.type === 'int32' ? 4 : 8;
    total += t.data.length * width;
    if (t.type !== 'int64' && !quantParams.has(t.name) && t.dims.length > 0) parameters += t.data.length;
  }
  return { bytes: total, parameters };
}

/** The first n items; counts them in `counter.batches`. */
function* take<T>(items: Iterable<T>, n: number, counter: { batches: number }): Generator<T> {
  if (n <= 0) return;
  for (const item of items) {
    counter.batches++;
    yield item;
    if (counter.batches >= n) return;
  }
}

// importOnnxModel: an ONNX model (as torch.onnx.export writes it, or as Minima exports it) as a
// ModelGraph, so that a recipe can fine-tune and compress it (`model onnx("file.onnx")`). Which
// tensors train is import-tensors.ts; what is evaluated at import (shape subgraphs, with the
// symbolic batch) is import-fold.ts; how each operator becomes IR ops is import-ops.ts. Anything
// the file does that Minima cannot train through is reported as a value naming its node, never
// thrown.

import { GraphBuilder } from '../builder';
import type { Dim, Value } from '../ir';
import { type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo, decodeOnnxModel } from '../onnx/decode';
import { flatten, reshape } from '../ops/reshape';
import { showShape } from '../shape';
import { tensor } from '../tensor';
import { FOLDABLE_OPS, type Known, foldNode } from './import-fold';
import { CONVERTERS, ImportProblem, type NodeContext } from './import-ops';
import { type ImportSummary, type TensorOptions, type TensorPlan, planTensors } from './import-tensors';
import { type DropoutSite, type ForwardOptions, type ForwardResult, type ModelGraph, markEdgeLayers } from './types';

export { IMPORTED_INIT_NAME, type ImportSummary } from './import-tensors';

export interface ImportedModel {
  readonly model: ModelGraph;
  /** The file's values of `model.params` and `model.buffers`, in their order. */
  readonly initial: { readonly params: Float64Array[]; readonly buffers: Float64Array[] };
  /** How many tensors train, are buffers or stay constant; what was frozen, merged or tied. */
  readonly summary: ImportSummary;
  /** Sentences for the run's log: merged initializers untied or tied, frozen tensors. */
  readonly notes: readonly string[];
  /** Each node that reads a parameter, with its shapes per example (what the editor shows). */
  readonly layers: readonly ImportedLayer[];
}

/** A node of the file that reads parameters, as the eval forward pass built it. */
export interface ImportedLayer {
  /** The node's name (`/encoder/layers.0/linear1/MatMul`), as `ParamInfo.layer` holds it. */
  readonly name: string;
  readonly op: string;
  /** Shapes of its first input and its first output, without the batch dim (a dim merged with it stays symbolic: `B*16`). */
  readonly input: readonly Dim[];
  readonly output: readonly Dim[];
  /** Forward FLOPs per example of its MatMul/Gemm/Conv weight (2 per multiply-accumulate); 0 for other nodes. */
  readonly flops: number;
}

export interface UnsupportedNode {
  readonly op: string;
  readonly node: string;
}

export type ImportResult =
  | { readonly ok: true; readonly imported: ImportedModel }
  | { readonly ok: false; readonly message: string; readonly unsupported: readonly UnsupportedNode[] };

export interface ImportOptions extends TensorOptions {
  /**
   * Input shape per example (without the batch dim), for files whose input dims are symbolic. A
   * flat shape with as many values as the file's input (3072 for [3, 32, 32]) is accepted too: the
   * forward pass then reshapes each example to the file's shape.
   */
  readonly inputShape?: readonly number[];
}

/** The ONNX operator types the importer maps to IR ops or evaluates at import (default domain). */
export const IMPORTABLE_OPS: readonly string[] = [...new Set([...CONVERTERS.keys(), ...FOLDABLE_OPS])];

export function importOnnxModel(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const decoded = decodeOnnxModel(bytes);
  if (!decoded.ok) return failure(decoded.message);
  const graph = decoded.model.graph;
  const importable = new Set(IMPORTABLE_OPS);
  const unsupported = graph.nodes.flatMap((n, k) => (isDefaultDomain(n.domain) && importable.has(n.opType) ? [] : [{ op: n.domain && !isDefaultDomain(n.domain) ? `${n.domain}.${n.opType}` : n.opType, node: labelOf(n, k) }]));
  if (unsupported.length > 0) {
    const list = unsupported.map((u) => `${u.op} (node ${u.node})`).join(', ');
    return { ok: false, message: `the model uses operators Minima cannot train through: ${list}`, unsupported };
  }
  const initializerNames = new Set(graph.initializers.map((t) => t.name));
  const dataInputs = graph.inputs.filter((i) => !initializerNames.has(i.name));
  const input = dataInputs[0];
  if (input === undefined || dataInputs.length > 1) {
    return failure(`the model must have exactly one data input, it has ${dataInputs.length}${dataInputs.length > 0 ? ` (${dataInputs.map((i) => i.name).join(', ')})` : ''}`);
  }
  if (input.type !== undefined && input.type !== 'float32' && input.type !== 'float64') return failure(`the data input ${input.name} has element type ${String(input.type)}; Minima feeds float inputs`);
  const output = graph.outputs[0];
  if (output === undefined) return failure('the model declares no output');
  const shapes = resolveInputShape(input, options.inputShape);
  if (typeof shapes === 'string') return failure(shapes);
  try {
    const plan = planTensors(graph, output.name, options, labelOf, constantOf);
    const fixedBatch = typeof input.dims?.[0] === 'number' ? input.dims[0] : undefined;
    const build = forwardBuilder(graph, plan, input.name, output.name, shapes.file, fixedBatch);
    const trial = trialBuild(build, plan, shapes.fed);
    if (typeof trial === 'string') return failure(trial);
    const model: ModelGraph = {
      params: markEdgeLayers(plan.params.map((p) => p.info)),
      buffers: plan.buffers.map((b) => b.info),
      dropouts: trial.sites,
      inputShape: [...shapes.fed],
      outputWidth: trial.outputWidth,
      forward: (g, x, params, buffers, o) => build(g, x, params, buffers, o),
    };
    const initial = { params: plan.params.map((p) => Float64Array.from(p.data)), buffers: plan.buffers.map((b) => Float64Array.from(b.data)) };
    return { ok: true, imported: { model, initial, summary: plan.summary, notes: notesOf(plan.summary), layers: trial.layers } };
  } catch (e) {
    if (e instanceof ImportProblem) return failure(e.message);
    throw e;
  }
}

type Build = (g: GraphBuilder, x: Value, params: readonly Value[], buffers: readonly Value[], options: ForwardOptions, onSite?: (site: DropoutSite) => void, onNode?: (node: OnnxNode, label: string, inputs: readonly (Value | undefined)[], outputs: readonly (Value | undefined)[]) => void) => ForwardResult;

function forwardBuilder(graph: OnnxGraph, plan: TensorPlan, inputName: string, outputName: string, fileShape: readonly number[] | undefined, fixedBatch: number | undefined): Build {
  return (g, xFed, paramValues, bufferValues, options, onSite, onNode) => {
    const errorsBefore = g.errors.length;
    if (paramValues.length !== plan.params.length) throw new Error(`forward: ${paramValues.length} parameter values for ${plan.params.length} parameters`);
    if (bufferValues.length !== plan.buffers.length) throw new Error(`forward: ${bufferValues.length} buffer values for ${plan.buffers.length} buffers`);
    const x = fileShape === undefined ? xFed : reshape(xFed, [-1, ...fileShape]);
    const masks = options.masks ?? [];
    const env = new Map<string, Value>([[inputName, x]]);
    plan.params.forEach((p, i) => env.set(p.onnx, paramValues[i] as Value));
    plan.buffers.forEach((b, i) => env.set(b.onnx, bufferValues[i] as Value));
    const known = new Map<string, Known>();
    const unreadable = new Map<string, OnnxTensor>();
    for (const [name, t] of plan.constants) {
      const k = knownOf(t);
      if (k === undefined) unreadable.set(name, t);
      else known.set(name, k);
    }
    const newBuffers = [...bufferValues];
    const bufferIndex = new Map(plan.buffers.map((b, i) => [b.onnx, i]));
    const read = (name: string): string => plan.aliases.get(name) ?? name;
    let site = 0;
    const valueOf = (raw: string, reader: string): Value => {
      const name = read(raw);
      const have = env.get(name);
      if (have !== undefined) return have;
      const k = known.get(name);
      const bad = unreadable.get(name);
      if (bad !== undefined) throw new ImportProblem(`${reader} reads ${raw}, a tensor of ONNX element type ${bad.type}, which Minima cannot compute with`);
      if (k === undefined) throw new ImportProblem(`${reader} reads ${raw}, which neither an initializer nor an earlier node provides`);
      // File tensors keep their names (a frozen weight is exported as `pos`, not `const_12`).
      const v = g.constant(tensor(k.dims, k.values.map((d) => numericOrFail(d, raw, reader)), k.type === 'float' ? x.dtype : k.type === 'bool' ? 'bool' : 'int64'), plan.constants.has(name) ? name : undefined);
      env.set(name, v);
      return v;
    };
    graph.nodes.forEach((node, k) => {
      if (plan.skipped.has(k)) return;
      const label = labelOf(node, k);
      const knownInput = (i: number): Known | undefined => {
        const name = node.inputs[i];
        return name === undefined || name === '' ? undefined : known.get(read(name));
      };
      const folded = foldNode(node, label, {
        known: knownInput,
        shape: (i) => env.get(read(node.inputs[i] ?? ''))?.shape,
      });
      if (folded !== undefined) {
        node.outputs.forEach((name, i) => {
          const v = folded[i];
          if (name !== '' && v !== undefined) known.set(name, v);
        });
        return;
      }
      const convert = CONVERTERS.get(node.opType);
      if (convert === undefined) throw new ImportProblem(`${node.opType} node ${label} computes on a tensor; Minima evaluates it only at import, on shapes and constants`);
      const reader = `${node.opType} node ${label}`;
      const ctx: NodeContext = {
        node: { ...node, name: label },
        mode: options.mode,
        input: (i) => {
          const name = node.inputs[i];
          return name === undefined || name === '' ? undefined : valueOf(name, reader);
        },
        constant: (i) => {
          const kv = knownInput(i);
          return kv === undefined ? undefined : Float64Array.from(kv.values.map((d) => numericOrFail(d, node.inputs[i] ?? '', reader)));
        },
        known: knownInput,
        updateBuffers: (mean, variance, newMean, newVariance) => {
          if (options.updateBuffers === false) return;
          const [m, v] = [bufferIndex.get(read(mean)), bufferIndex.get(read(variance))];
          if (m === undefined || v === undefined) throw new ImportProblem(`BatchNormalization node ${label} must read its running statistics from initializers to train`);
          newBuffers[m] = newMean;
          newBuffers[v] = newVariance;
        },
        dropoutMask: (shape, ratio) => {
          if (ratio <= 0) return undefined;
          onSite?.({ layer: label, shape, ratio });
          if (options.mode !== 'train') return undefined;
          const mask = masks[site++];
          if (mask === undefined) throw new Error(`forward: no dropout mask for site ${site - 1} (${label})`);
          return mask;
        },
        constantOutput: () => valueOf(node.outputs[0] ?? '', reader),
      };
      const outs = convert(ctx);
      // Stop at the first shape error: later nodes would compute on its invalid value.
      if (g.errors.length > errorsBefore) {
        const hint = fixedBatch === undefined ? '' : `; the file was exported for a fixed batch of ${fixedBatch}: export it with a dynamic batch dim (torch.onnx.export(…, dynamic_axes={'${inputName}': {0: 'batch'}}))`;
        throw new ImportProblem(`the model's shapes do not fit at ${node.opType} node ${label}: ${g.errors.slice(errorsBefore).map((e) => e.message).join('; ')}${hint}`);
      }
      node.outputs.forEach((name, i) => {
        const v = outs[i];
        if (name !== '' && v !== undefined) env.set(name, v);
      });
      onNode?.(node, label, node.inputs.map((n) => (n === '' ? undefined : env.get(read(n)))), outs);
    });
    const y = valueOf(outputName, 'the model output');
    // A model that ends on an image-shaped value still yields [B, features].
    return { output: y.shape.length > 2 ? flatten(y, 1) : y, buffers: newBuffers };
  };
}

/** Builds the eval forward once: surfaces shape errors and collects the dropout sites, the output width and each weighted node's shapes. */
function trialBuild(build: Build, plan: TensorPlan, inputShape: readonly number[]): { sites: DropoutSite[]; outputWidth: number; layers: ImportedLayer[] } | string {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...inputShape]);
  const params = plan.params.map((p) => g.input(`p:${p.info.name}`, p.info.shape));
  const buffers = plan.buffers.map((b) => g.input(`b:${b.info.name}`, b.info.shape));
  const sites: DropoutSite[] = [];
  const layers: ImportedLayer[] = [];
  const paramOf = new Map(plan.params.map((p, i) => [p.onnx, params[i] as Value]));
  const read = (name: string): string => plan.aliases.get(name) ?? name;
  const onNode = (node: OnnxNode, label: string, ins: readonly (Value | undefined)[], outs: readonly (Value | undefined)[]): void => {
    const isParam = (i: number): boolean => paramOf.has(read(node.inputs[i] ?? ''));
    if (!node.inputs.some((_, i) => isParam(i))) return;
    // The weight of MatMul (x·W), Gemm and Conv is their input 1.
    const w = ['MatMul', 'Gemm', 'Conv'].includes(node.opType) && isParam(1) ? ins[1] : undefined;
    const output = outs[0]?.shape ?? [];
    const data = ins.find((v, i) => v !== undefined && !isParam(i));
    layers.push({ name: label, op: node.opType, input: perExample(data?.shape ?? []), output: perExample(output), flops: w !== undefined && w.shape.length >= 2 ? weightFlops(node, w.shape, output) : 0 });
  };
  let out: ForwardResult;
  try {
    out = build(g, x, params, buffers, { mode: 'eval' }, (s) => sites.push(s), onNode);
  } catch (e) {
    if (e instanceof ImportProblem) throw e;
    // Attribute values of the wrong type reach the IR's own checks, which throw.
    return `the model could not be built: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (g.errors.length > 0) return `the model's shapes do not fit: ${g.errors.map((e) => e.message).join('; ')}`;
  const [batch, ...rest] = out.output.shape;
  if (batch !== 'B' || !rest.every((d): d is number => typeof d === 'number')) {
    return `the model output has shape ${showShape(out.output.shape)}; Minima needs [batch, features] with the batch dim first`;
  }
  return { sites, outputWidth: rest.reduce((a, b) => a * b, 1), layers };
}

/**
 * 2 × multiply-accumulates per example of a weight's node: every output value sums over the
 * weight's input width (K of a [K, N] MatMul weight, `in` of Gemm's [out, in] B with transB,
 * in/groups·kh·kw of a conv kernel). A dim merged with the batch (`B*16`) counts its static factor.
 */
function weightFlops(node: OnnxNode, weight: readonly Dim[], output: readonly Dim[]): number {
  const outputs = output.reduce<number>((a, d) => a * staticPart(d), 1);
  const dims = weight.map(staticPart);
  const transB = node.attrs.get('transB');
  const k = node.opType === 'Conv' ? dims.slice(1).reduce((a, b) => a * b, 1) : node.opType === 'Gemm' && transB?.kind === 'int' && transB.value !== 0 ? (dims[1] ?? 1) : (dims[0] ?? 1);
  return 2 * outputs * k;
}

/** A shape without its leading batch dim (a dim merged with the batch, `B*16`, is kept). */
function perExample(shape: readonly Dim[]): Dim[] {
  return shape[0] === 'B' ? shape.slice(1) : [...shape];
}

/** A dim's static factor: 16 for `B*16`, 1 for `B`. */
function staticPart(d: Dim): number {
  if (typeof d === 'number') return d;
  const m = /\*(\d+)$/.exec(d);
  return m ? Number(m[1]) : 1;
}

/** The shape fed per example, and the file's own when the fed one is flat and must be reshaped. */
function resolveInputShape(input: OnnxValueInfo, given: readonly number[] | undefined): { fed: readonly number[]; file?: readonly number[] } | string {
  const declared = input.dims;
  if (given !== undefined) {
    if (!given.every((d) => Number.isInteger(d) && d > 0)) return `the input shape [${given.join(',')}] must be positive integers`;
    if (declared === undefined) return { fed: given };
    const rest = declared.slice(1);
    const fits = rest.length === given.length && rest.every((d, i) => typeof d === 'string' || d === given[i]);
    if (fits) return { fed: given };
    const size = rest.reduce<number>((a, d) => a * (typeof d === 'number' ? d : NaN), 1);
    if (given.length === 1 && rest.length > 1 && size === given[0]) return { fed: given, file: rest as number[] };
    return `the input shape [${given.join(',')}] does not fit the model's input ${input.name} ${showShape(declared)} (after its batch dim)`;
  }
  if (declared === undefined || declared.length === 0) return `the model's input ${input.name} declares no shape; give the input shape per example`;
  const rest = declared.slice(1);
  if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) return `the model's input ${input.name} has shape ${showShape(declared)} with symbolic dims after the batch; give the input shape per example`;
  return { fed: rest };
}

function notesOf(s: ImportSummary): string[] {
  const notes: string[] = [];
  for (const m of s.merged) {
    const what = `${m.initializer} was merged by the exporter with ${m.copies.length} equal ${m.copies.length === 1 ? 'tensor' : 'tensors'} (${m.copies.join(', ')})`;
    notes.push(s.tied ? `${what}; tie = true trains them as one tensor` : `${what}; each is trained as its own copy (tie = true keeps them one tensor)`);
  }
  if (s.frozen.length > 0) notes.push(`frozen at their file values: ${s.frozen.join(', ')}`);
  return notes;
}

/** A Constant node's value (value, value_float(s), value_int(s)). */
function constantOf(node: OnnxNode, label: string): OnnxTensor {
  const name = node.outputs[0] ?? '';
  for (const [key, a] of node.attrs) {
    if (key === 'value' && a.kind === 'tensor') return { ...a.value, name };
    if (key === 'value_float' && (a.kind === 'float' || a.kind === 'int')) return { name, type: 'float32', dims: [], data: Float64Array.of(a.value) };
    if (key === 'value_floats' && a.kind === 'floats') return { name, type: 'float32', dims: [a.value.length], data: Float64Array.from(a.value) };
    if (key === 'value_int' && a.kind === 'int') return { name, type: 'int64', dims: [], data: Float64Array.of(a.value) };
    if (key === 'value_ints' && a.kind === 'ints') return { name, type: 'int64', dims: [a.value.length], data: Float64Array.from(a.value) };
  }
  throw new ImportProblem(`Constant node ${label} has no value Minima can read (a sparse or string constant?)`);
}

/** A constant as a known value; undefined for element types Minima does not read (float16, strings…). */
function knownOf(t: OnnxTensor): Known | undefined {
  if (typeof t.type === 'number') return undefined;
  const type = t.type === 'float32' || t.type === 'float64' ? 'float' : t.type === 'bool' ? 'bool' : 'int';
  return { dims: t.dims, values: [...t.data], type };
}

function numericOrFail(d: number | string, name: string, reader: string): number {
  if (typeof d !== 'number') throw new ImportProblem(`${reader} reads ${name}, a value computed from the batch size, as a tensor; Minima folds such values only into shapes`);
  return d;
}

function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** A node's name, or opType_k (k = its position) for an unnamed node. */
function labelOf(node: OnnxNode, k: number): string {
  return node.name !== '' ? node.name : `${node.opType}_${k}`;
}

function failure(message: string): ImportResult {
  return { ok: false, message, unsupported: [] };
}

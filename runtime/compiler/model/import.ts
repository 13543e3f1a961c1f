// importOnnxModel: a feed-forward ONNX model as a ModelGraph, so that a recipe can fine-tune and
// compress it (`model onnx("file.onnx")`). The float initializers that feed weight inputs of
// supported ops become trainable parameters (their file values are the initial ones), BatchNorm
// running statistics become buffers, every other initializer stays a constant. Anything the file
// does that Minima cannot train through is reported as a value, never thrown.

import { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo, decodeOnnxModel } from '../onnx/decode';
import { flatten } from '../ops/reshape';
import { showShape } from '../shape';
import { tensor } from '../tensor';
import { CONVERTERS, ImportProblem, type NodeContext } from './import-ops';
import { type BufferInfo, type DropoutSite, type ForwardOptions, type ForwardResult, type InitSpec, type ModelGraph, type ParamInfo, markEdgeLayers } from './types';

export interface ImportedModel {
  readonly model: ModelGraph;
  /** The file's values of `model.params` and `model.buffers`, in their order. */
  readonly initial: { readonly params: Float64Array[]; readonly buffers: Float64Array[] };
}

export interface UnsupportedNode {
  readonly op: string;
  readonly node: string;
}

export type ImportResult =
  | { readonly ok: true; readonly imported: ImportedModel }
  | { readonly ok: false; readonly message: string; readonly unsupported: readonly UnsupportedNode[] };

export interface ImportOptions {
  /** Input shape per example (without the batch dim), for files whose input dims are symbolic. */
  readonly inputShape?: readonly number[];
}

/** The ONNX operator types the importer maps to IR ops (default domain). */
export const IMPORTABLE_OPS: readonly string[] = [...CONVERTERS.keys()];

export function importOnnxModel(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const decoded = decodeOnnxModel(bytes);
  if (!decoded.ok) return failure(decoded.message);
  const graph = decoded.model.graph;
  const unsupported = graph.nodes.flatMap((n, k) => (isDefaultDomain(n.domain) && CONVERTERS.has(n.opType) ? [] : [{ op: n.domain && !isDefaultDomain(n.domain) ? `${n.domain}.${n.opType}` : n.opType, node: labelOf(n, k) }]));
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
  const inputShape = resolveInputShape(input, options.inputShape);
  if (typeof inputShape === 'string') return failure(inputShape);
  try {
    const plan = planTensors(graph);
    const build = forwardBuilder(graph, plan, input.name, output.name);
    const dropouts = trialBuild(build, plan, inputShape);
    if (typeof dropouts === 'string') return failure(dropouts);
    const { sites, outputWidth } = dropouts;
    const model: ModelGraph = {
      params: markEdgeLayers(plan.params.map((p) => p.info)),
      buffers: plan.buffers.map((b) => b.info),
      dropouts: sites,
      inputShape: [...inputShape],
      outputWidth,
      forward: (g, x, params, buffers, o) => build(g, x, params, buffers, o),
    };
    return { ok: true, imported: { model, initial: { params: plan.params.map((p) => Float64Array.from(p.data)), buffers: plan.buffers.map((b) => Float64Array.from(b.data)) } } };
  } catch (e) {
    if (e instanceof ImportProblem) return failure(e.message);
    throw e;
  }
}

/**
 * What an imported tensor's `init` says: its values come from the file (`ImportedModel.initial`).
 * NOTE: initTensors has no such kind and fails on this name, so an imported model can never be
 * silently re-initialized at random.
 */
export const IMPORTED_INIT_NAME = 'onnx_initializer';

interface PlannedParam {
  readonly info: ParamInfo;
  readonly data: Float64Array;
}

interface PlannedBuffer {
  readonly info: BufferInfo;
  readonly data: Float64Array;
}

interface TensorPlan {
  readonly params: readonly PlannedParam[];
  readonly buffers: readonly PlannedBuffer[];
  /** Every other initializer and every Constant node's output, by value name. */
  readonly constants: ReadonlyMap<string, OnnxTensor>;
}

type Slot =
  | { readonly kind: 'param'; readonly role: ParamInfo['role']; readonly layer: string; readonly compressible: boolean; readonly transposed: boolean }
  | { readonly kind: 'buffer'; readonly role: BufferInfo['role']; readonly layer: string };

const WEIGHT_OPS = new Set(['MatMul', 'Gemm', 'Conv']);

/** Which initializers are parameters or buffers, decided by the first node input they feed. */
function planTensors(graph: OnnxGraph): TensorPlan {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const producers = new Map<string, { node: OnnxNode; label: string }>();
  graph.nodes.forEach((node, k) => node.outputs.forEach((o) => producers.set(o, { node, label: labelOf(node, k) })));
  const params: PlannedParam[] = [];
  const buffers: PlannedBuffer[] = [];
  const taken = new Set<string>();
  graph.nodes.forEach((node, k) => {
    node.inputs.forEach((name, i) => {
      const t = initializers.get(name);
      if (t === undefined || taken.has(name) || (t.type !== 'float32' && t.type !== 'float64')) return;
      const slot = slotOf(node, labelOf(node, k), i, t, producers);
      if (slot === undefined) return;
      taken.add(name);
      const init = importedInit(t.dims, slot.kind === 'param' && slot.transposed);
      if (slot.kind === 'buffer') buffers.push({ info: { name, layer: slot.layer, role: slot.role, shape: t.dims, init }, data: t.data });
      else {
        const isNorm = slot.role === 'norm_scale' || slot.role === 'norm_bias';
        params.push({ info: { name, layer: slot.layer, role: slot.role, shape: t.dims, compressible: slot.compressible, isNorm, init }, data: t.data });
      }
    });
  });
  const constants = new Map<string, OnnxTensor>();
  for (const t of graph.initializers) if (!taken.has(t.name)) constants.set(t.name, t);
  graph.nodes.forEach((node, k) => {
    if (node.opType !== 'Constant') return;
    const out = node.outputs[0];
    if (out !== undefined) constants.set(out, constantOf(node, labelOf(node, k)));
  });
  return { params, buffers, constants };
}

function slotOf(node: OnnxNode, label: string, i: number, t: OnnxTensor, producers: ReadonlyMap<string, { node: OnnxNode; label: string }>): Slot | undefined {
  const rank = t.dims.length;
  const byRank = rank >= 2 ? 'weight' : 'bias';
  switch (node.opType) {
    case 'MatMul':
    case 'Gemm':
    case 'Conv': {
      // Gemm's C and Conv's B are biases whatever their rank (Gemm's C may be [1, N]).
      const bias = i === 2;
      const transposed = node.opType === 'MatMul' || (node.opType === 'Gemm' && i === 1 && !transB(node));
      return { kind: 'param', role: bias ? 'bias' : byRank, layer: label, compressible: !bias && rank >= 2, transposed };
    }
    case 'Add':
    case 'Sub': {
      // x·W + b exported as MatMul then Add: b belongs to the MatMul's layer.
      const other = producers.get(node.inputs[1 - i] ?? '');
      if (i > 1 || rank === 0 || other === undefined || !WEIGHT_OPS.has(other.node.opType)) return undefined;
      return { kind: 'param', role: byRank, layer: other.label, compressible: false, transposed: false };
    }
    case 'BatchNormalization':
      if (i === 1 || i === 2) return { kind: 'param', role: i === 1 ? 'norm_scale' : 'norm_bias', layer: label, compressible: false, transposed: false };
      if (i === 3 || i === 4) return { kind: 'buffer', role: i === 3 ? 'running_mean' : 'running_var', layer: label };
      return undefined;
    case 'LayerNormalization':
      if (i === 1 || i === 2) return { kind: 'param', role: i === 1 ? 'norm_scale' : 'norm_bias', layer: label, compressible: false, transposed: false };
      return undefined;
    default:
      return undefined;
  }
}

function transB(node: OnnxNode): boolean {
  const a = node.attrs.get('transB');
  return a?.kind === 'int' && a.value !== 0;
}

/** Fans as torch computes them for a [out, in, …kernel] weight; `transposed` weights are [in, out]. */
function importedInit(dims: readonly number[], transposed: boolean): InitSpec {
  const [a = 1, b = 1, ...kernel] = dims;
  const receptive = kernel.reduce((x, y) => x * y, 1);
  const [out, inp] = dims.length < 2 ? [a, a] : transposed ? [b, a] : [a, b];
  return { kind: 'technique', name: IMPORTED_INIT_NAME, args: {}, fanIn: inp * receptive, fanOut: out * receptive };
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

type Build = (g: GraphBuilder, x: Value, params: readonly Value[], buffers: readonly Value[], options: ForwardOptions, onSite?: (site: DropoutSite) => void) => ForwardResult;

function forwardBuilder(graph: OnnxGraph, plan: TensorPlan, inputName: string, outputName: string): Build {
  return (g, x, paramValues, bufferValues, options, onSite) => {
    if (paramValues.length !== plan.params.length) throw new Error(`forward: ${paramValues.length} parameter values for ${plan.params.length} parameters`);
    if (bufferValues.length !== plan.buffers.length) throw new Error(`forward: ${bufferValues.length} buffer values for ${plan.buffers.length} buffers`);
    const masks = options.masks ?? [];
    const env = new Map<string, Value>([[inputName, x]]);
    plan.params.forEach((p, i) => env.set(p.info.name, paramValues[i] as Value));
    plan.buffers.forEach((b, i) => env.set(b.info.name, bufferValues[i] as Value));
    const newBuffers = [...bufferValues];
    const bufferIndex = new Map(plan.buffers.map((b, i) => [b.info.name, i]));
    let site = 0;
    const valueOf = (name: string, reader: string): Value => {
      const known = env.get(name);
      if (known !== undefined) return known;
      const t = plan.constants.get(name);
      if (t === undefined) throw new ImportProblem(`${reader} reads ${name}, which neither an initializer nor an earlier node provides`);
      const v = g.constant(tensor(t.dims, t.data, dtypeOf(t, x.dtype, reader)));
      env.set(name, v);
      return v;
    };
    graph.nodes.forEach((node, k) => {
      const label = labelOf(node, k);
      const convert = CONVERTERS.get(node.opType);
      if (convert === undefined) throw new ImportProblem(`${node.opType} node ${label} is not supported`);
      const ctx: NodeContext = {
        node: { ...node, name: label },
        mode: options.mode,
        input: (i) => {
          const name = node.inputs[i];
          return name === undefined || name === '' ? undefined : valueOf(name, `${node.opType} node ${label}`);
        },
        constant: (i) => plan.constants.get(node.inputs[i] ?? '')?.data,
        updateBuffers: (mean, variance, newMean, newVariance) => {
          if (options.updateBuffers === false) return;
          const [m, v] = [bufferIndex.get(mean), bufferIndex.get(variance)];
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
        constantOutput: () => valueOf(node.outputs[0] ?? '', `Constant node ${label}`),
      };
      const outs = convert(ctx);
      node.outputs.forEach((name, i) => {
        const v = outs[i];
        if (name !== '' && v !== undefined) env.set(name, v);
      });
    });
    const y = valueOf(outputName, 'the model output');
    // A model that ends on an image-shaped value still yields [B, features].
    return { output: y.shape.length > 2 ? flatten(y, 1) : y, buffers: newBuffers };
  };
}

/** Builds the eval forward once: surfaces shape errors and collects the dropout sites and output width. */
function trialBuild(build: Build, plan: TensorPlan, inputShape: readonly number[]): { sites: DropoutSite[]; outputWidth: number } | string {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...inputShape]);
  const params = plan.params.map((p) => g.input(`p:${p.info.name}`, p.info.shape));
  const buffers = plan.buffers.map((b) => g.input(`b:${b.info.name}`, b.info.shape));
  const sites: DropoutSite[] = [];
  let out: ForwardResult;
  try {
    out = build(g, x, params, buffers, { mode: 'eval' }, (s) => sites.push(s));
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
  return { sites, outputWidth: rest.reduce((a, b) => a * b, 1) };
}

function resolveInputShape(input: OnnxValueInfo, given: readonly number[] | undefined): readonly number[] | string {
  const declared = input.dims;
  if (given !== undefined) {
    if (!given.every((d) => Number.isInteger(d) && d > 0)) return `the input shape [${given.join(',')}] must be positive integers`;
    if (declared === undefined) return given;
    const rest = declared.slice(1);
    const fits = rest.length === given.length && rest.every((d, i) => typeof d === 'string' || d === given[i]);
    return fits ? given : `the input shape [${given.join(',')}] does not fit the model's input ${input.name} ${showShape(declared)} (after its batch dim)`;
  }
  if (declared === undefined || declared.length === 0) return `the model's input ${input.name} declares no shape; give the input shape per example`;
  const rest = declared.slice(1);
  if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) return `the model's input ${input.name} has shape ${showShape(declared)} with symbolic dims after the batch; give the input shape per example`;
  return rest;
}

function dtypeOf(t: OnnxTensor, floatAs: DType, reader: string): DType {
  switch (t.type) {
    case 'float32':
    case 'float64':
      return floatAs;
    case 'int64':
    case 'int32':
      return 'int64';
    case 'bool':
      return 'bool';
    default:
      throw new ImportProblem(`${reader} reads ${t.name}, a tensor of ONNX element type ${t.type}, which Minima cannot compute with`);
  }
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

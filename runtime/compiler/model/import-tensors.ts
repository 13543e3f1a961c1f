// Which of an imported file's tensors a recipe trains. Every float initializer that reaches the
// model's output through an input that carries a gradient is trainable (nothing is frozen
// because of the op that reads it), unless the recipe freezes it; BatchNorm running statistics
// are buffers; everything else (shape operands, dropout ratios, tensors only read at import)
// stays a constant.
//
// NOTE on merged initializers: torch.onnx.export keeps one initializer for tensors of equal value
// (fresh LayerNorm weights, zero biases, the layers of an nn.TransformerEncoder, which start as
// copies of one another) and gives each other parameter an Identity node that copies it, named
// after that parameter. Those are distinct parameters in PyTorch, so by default each copy is its
// own trainable tensor with the shared initial value; `tie` keeps them one tensor. A tensor that
// several nodes read directly is one parameter used twice (weight tying) and stays shared.

import type { OnnxGraph, OnnxNode, OnnxTensor } from '../onnx/decode';
import { ImportProblem } from './import-ops';
import { type NamingRole, isGeneratedName, matchesPattern, modulePathOf, scopedTorchName, uniqueNames } from './import-names';
import type { BufferInfo, InitSpec, ParamInfo, TensorOrigin } from './types';

export interface TensorOptions {
  /** Keep an exporter's merged copies as one tensor (default: each copy is trained on its own). */
  readonly tie?: boolean;
  /** Parameters kept at their file values: names, module paths, node names or globs (import-names.ts). */
  readonly freeze?: readonly string[];
}

export interface PlannedTensor<I> {
  readonly info: I;
  /** The ONNX name the forward pass reads it by. */
  readonly onnx: string;
  readonly data: Float64Array;
}

/** How the file's tensors were taken, for the run's `started` event and its notes. */
export interface ImportSummary {
  readonly trainable: number;
  readonly buffers: number;
  /** Float initializers (and copies) kept constant: frozen, or not on a path with a gradient. */
  readonly constants: number;
  readonly frozen: readonly string[];
  /** Per initializer the exporter merged: its copies (PyTorch names where known, else ONNX ones), untied unless `tie`. */
  readonly merged: readonly { readonly initializer: string; readonly copies: readonly string[] }[];
  readonly tied: boolean;
}

export interface TensorPlan {
  readonly params: readonly PlannedTensor<ParamInfo>[];
  readonly buffers: readonly PlannedTensor<BufferInfo>[];
  /** Every other tensor the forward pass may read (initializers, Constant outputs), by ONNX name. */
  readonly constants: ReadonlyMap<string, OnnxTensor>;
  /** Indices of the Identity nodes that copy an initializer: the forward pass does not build them. */
  readonly skipped: ReadonlySet<number>;
  /** With `tie`: each copy's name → the tensor it copies. */
  readonly aliases: ReadonlyMap<string, string>;
  readonly summary: ImportSummary;
}

/**
 * What an imported tensor's `init` says: its values come from the file (`ImportedModel.initial`).
 * NOTE: initTensors has no such kind and fails on this name, so an imported model can never be
 * silently re-initialized at random.
 */
export const IMPORTED_INIT_NAME = 'onnx_initializer';

/** Names the train step gives its own inputs; a tensor called so is renamed. */
const RESERVED = new Set(['x', 'y', 'lr', 'step']);

export function planTensors(graph: OnnxGraph, outputName: string, options: TensorOptions, labelOf: (node: OnnxNode, k: number) => string, constantOf: (node: OnnxNode, label: string) => OnnxTensor): TensorPlan {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  // Identity chains that copy an initializer, and the initializer each copy holds.
  const rootOf = new Map<string, string>();
  const skipped = new Set<number>();
  graph.nodes.forEach((node, k) => {
    const [from, to] = [node.inputs[0] ?? '', node.outputs[0] ?? ''];
    const root = initializers.has(from) ? from : rootOf.get(from);
    if (node.opType === 'Identity' && root !== undefined && to !== '') {
      rootOf.set(to, root);
      skipped.add(k);
    }
  });
  const tie = options.tie === true;
  const read = (name: string): string => (tie ? (rootOf.get(name) ?? name) : name);
  const tensorOf = (name: string): OnnxTensor | undefined => {
    const root = initializers.get(name) ?? initializers.get(rootOf.get(name) ?? '');
    return root === undefined ? undefined : { ...root, name };
  };

  const reaching = reachingOutput(graph, outputName, skipped, read);
  const producers = new Map<string, { node: OnnxNode; label: string }>();
  graph.nodes.forEach((node, k) => node.outputs.forEach((o) => producers.set(o, { node, label: labelOf(node, k) })));
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) for (const i of node.inputs) consumers.set(i, [...(consumers.get(i) ?? []), node]);

  // Each tensor's first use, and its first use on a path with a gradient.
  interface Use { readonly node: OnnxNode; readonly label: string; readonly slot: number }
  const first = new Map<string, Use>();
  const firstReaching = new Map<string, Use>();
  graph.nodes.forEach((node, k) => {
    if (skipped.has(k)) return;
    const outputReaches = node.outputs.some((o) => reaching.has(o));
    node.inputs.forEach((raw, slot) => {
      const name = read(raw);
      if (tensorOf(name) === undefined) return;
      const use = { node, label: labelOf(node, k), slot };
      if (!first.has(name)) first.set(name, use);
      if (outputReaches && carriesGradient(node, slot) && !firstReaching.has(name)) firstReaching.set(name, use);
    });
  });

  const params: PlannedTensor<ParamInfo>[] = [];
  const buffers: PlannedTensor<BufferInfo>[] = [];
  const constants = new Map<string, OnnxTensor>();
  const frozen: string[] = [];
  const freeze = options.freeze ?? [];
  const matched = new Set<string>();
  const origins: TensorOrigin[] = [];
  for (const [name, use] of first) {
    const t = tensorOf(name) as OnnxTensor;
    const float = t.type === 'float32' || t.type === 'float64';
    const statistic = use.node.opType === 'BatchNormalization' && (use.slot === 3 || use.slot === 4);
    const reach = firstReaching.get(name);
    if (!float || (!statistic && reach === undefined)) {
      constants.set(name, t);
      continue;
    }
    const at = reach ?? use;
    const slot = slotOf(at.node, at.label, at.slot, t.dims, producers);
    const origin = originOf(name, rootOf.get(name) ?? name, at, slot.naming, consumers, (n) => (tensorOf(read(n)) === undefined ? undefined : read(n)));
    if (slot.kind === 'param') {
      // A merged copy is matched by its own names only, not by the initializer it copies; the
      // names are those compression layers are addressed by (layer-select.ts).
      const hits = freeze.filter((p) => [origin.torchName, origin.onnx, origin.node, origin.module].some((n) => n !== '' && matchesPattern(n, p)));
      if (hits.length > 0) {
        hits.forEach((h) => matched.add(h));
        frozen.push(origin.torchName);
        constants.set(name, t);
        continue;
      }
      const isNorm = slot.role === 'norm_scale' || slot.role === 'norm_bias';
      const init = importedInit(t.dims, slot.transposed);
      params.push({ onnx: name, data: t.data, info: { name: origin.torchName, layer: slot.layer, role: slot.role, shape: t.dims, compressible: slot.compressible, isNorm, init, origin, ...(slot.compressible && slot.transposed && t.dims.length === 2 ? { transposed: true } : {}) } });
    } else {
      buffers.push({ onnx: name, data: t.data, info: { name: origin.torchName, layer: slot.layer, role: slot.role, shape: t.dims, init: { kind: 'zeros' }, origin } });
    }
    origins.push(origin);
  }
  const unmatched = freeze.filter((p) => !matched.has(p));
  if (unmatched.length > 0) throw new ImportProblem(`freeze: ${unmatched.map((p) => `"${p}"`).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no trainable tensor of the model`);
  for (const t of graph.initializers) if (!first.has(t.name) && !constants.has(t.name)) constants.set(t.name, t);
  for (const [copy] of rootOf) if (!tie && !first.has(copy)) constants.set(copy, tensorOf(copy) as OnnxTensor);
  graph.nodes.forEach((node, k) => {
    const out = node.outputs[0];
    if (node.opType === 'Constant' && out !== undefined) constants.set(out, constantOf(node, labelOf(node, k)));
  });

  // Unique names, in the order the tensors are fed: parameters, then buffers.
  const names = uniqueNames([...params, ...buffers].map((p) => p.info.name), RESERVED);
  const renamed = <I extends { readonly name: string; readonly origin?: TensorOrigin }>(p: PlannedTensor<I>, name: string): PlannedTensor<I> => ({ ...p, info: { ...p.info, name, ...(p.info.origin ? { origin: { ...p.info.origin, torchName: name } } : {}) } });
  const planned = [...params.map((p, i) => renamed(p, names[i] as string)), ...buffers.map((b, i) => renamed(b, names[params.length + i] as string))];
  const torchName = new Map<string, string>(planned.map((p) => [p.onnx, p.info.name]));
  const nameOf = (onnx: string): string => torchName.get(onnx) ?? onnx;
  // Only merges whose copies the model reads (a copy may feed nothing but the graph's outputs).
  const merged = [...new Set(rootOf.values())]
    .map((root) => ({ root, copies: [...rootOf].filter(([, r]) => r === root).map(([c]) => c) }))
    .filter((m) => m.copies.some((c) => first.has(read(c))))
    .map((m) => ({ initializer: nameOf(m.root), copies: m.copies.map(nameOf) }));
  return {
    params: planned.slice(0, params.length) as PlannedTensor<ParamInfo>[],
    buffers: planned.slice(params.length) as PlannedTensor<BufferInfo>[],
    constants,
    skipped,
    aliases: tie ? rootOf : new Map(),
    summary: {
      trainable: params.length,
      buffers: buffers.length,
      constants: [...first.keys()].filter((n) => constants.has(n) && ['float32', 'float64'].includes(String(tensorOf(n)?.type))).length,
      frozen,
      merged,
      tied: tie,
    },
  };
}

/**
 * The value names with a path to the output through inputs that carry a gradient. Copying
 * Identity nodes are not walked (their outputs are tensors of their own, or, tied, `read` maps
 * them to the tensor they copy).
 */
function reachingOutput(graph: OnnxGraph, outputName: string, skipped: ReadonlySet<number>, read: (name: string) => string): Set<string> {
  const reaching = new Set([outputName]);
  for (let k = graph.nodes.length - 1; k >= 0; k--) {
    const node = graph.nodes[k] as OnnxNode;
    if (skipped.has(k) || !node.outputs.some((o) => reaching.has(o))) continue;
    node.inputs.forEach((name, slot) => {
      if (name !== '' && carriesGradient(node, slot)) reaching.add(read(name));
    });
  }
  return reaching;
}

/** Inputs that are operands of shape, indexing or control rather than values a gradient flows to. */
const NO_GRADIENT: Readonly<Record<string, (slot: number) => boolean>> = {
  Reshape: (i) => i >= 1,
  Slice: (i) => i >= 1,
  Squeeze: (i) => i >= 1,
  Unsqueeze: (i) => i >= 1,
  Expand: (i) => i >= 1,
  Tile: (i) => i >= 1,
  Pad: (i) => i >= 1,
  Clip: (i) => i >= 1,
  Dropout: (i) => i >= 1,
  Split: (i) => i >= 1,
  Resize: (i) => i >= 1,
  ReduceSum: (i) => i >= 1,
  ReduceMean: (i) => i >= 1,
  ReduceMax: (i) => i >= 1,
  Gather: (i) => i === 1,
  GatherElements: (i) => i === 1,
  Where: (i) => i === 0,
  BatchNormalization: (i) => i >= 3,
  TopK: (i) => i === 1,
};

const NO_GRADIENT_OPS = new Set(['Shape', 'Size', 'ConstantOfShape', 'Range', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'ArgMax', 'ArgMin', 'NonZero', 'OneHot', 'Floor', 'Ceil', 'Round', 'Sign']);

function carriesGradient(node: OnnxNode, slot: number): boolean {
  if (NO_GRADIENT_OPS.has(node.opType)) return false;
  if (node.opType === 'Cast') {
    const to = node.attrs.get('to');
    return to?.kind === 'int' && [1, 10, 11].includes(to.value);
  }
  return !(NO_GRADIENT[node.opType]?.(slot) ?? false);
}

type Slot =
  | { readonly kind: 'param'; readonly role: ParamInfo['role']; readonly layer: string; readonly compressible: boolean; readonly transposed: boolean; readonly naming: NamingRole }
  | { readonly kind: 'buffer'; readonly role: BufferInfo['role']; readonly layer: string; readonly naming: NamingRole };

const WEIGHT_OPS = new Set(['MatMul', 'Gemm', 'Conv']);

/** A tensor's role where it is read: a layer's weight or bias, a norm's affine parameters or statistics, or a tensor of its own. */
function slotOf(node: OnnxNode, label: string, i: number, dims: readonly number[], producers: ReadonlyMap<string, { node: OnnxNode; label: string }>): Slot {
  const rank = dims.length;
  const byRank = rank >= 2 ? 'weight' : 'bias';
  const own: Slot = { kind: 'param', role: byRank, layer: label, compressible: false, transposed: false, naming: 'other' };
  switch (node.opType) {
    case 'MatMul':
    case 'Gemm':
    case 'Conv': {
      // Gemm's C and Conv's B are biases whatever their rank (Gemm's C may be [1, N]).
      const bias = i === 2;
      const transposed = node.opType === 'MatMul' || (node.opType === 'Gemm' && i === 1 && !transB(node));
      const role = bias ? 'bias' : byRank;
      return { kind: 'param', role, layer: label, compressible: !bias && rank >= 2, transposed, naming: role };
    }
    case 'Add':
    case 'Sub': {
      // x·W + b exported as MatMul then Add: b belongs to the MatMul's layer.
      const other = producers.get(node.inputs[1 - i] ?? '');
      if (i > 1 || rank === 0 || other === undefined || !WEIGHT_OPS.has(other.node.opType)) return own;
      return { kind: 'param', role: byRank, layer: other.label, compressible: false, transposed: false, naming: 'bias' };
    }
    case 'BatchNormalization':
      if (i === 3 || i === 4) return { kind: 'buffer', role: i === 3 ? 'running_mean' : 'running_var', layer: label, naming: i === 3 ? 'running_mean' : 'running_var' };
      return i === 1 || i === 2 ? { kind: 'param', role: i === 1 ? 'norm_scale' : 'norm_bias', layer: label, compressible: false, transposed: false, naming: i === 1 ? 'norm_scale' : 'norm_bias' } : own;
    case 'LayerNormalization':
      return i === 1 || i === 2 ? { kind: 'param', role: i === 1 ? 'norm_scale' : 'norm_bias', layer: label, compressible: false, transposed: false, naming: i === 1 ? 'norm_scale' : 'norm_bias' } : own;
    default:
      return own;
  }
}

function originOf(onnx: string, initializer: string, use: { node: OnnxNode; label: string }, naming: NamingRole, consumers: ReadonlyMap<string, readonly OnnxNode[]>, tensorName: (name: string) => string | undefined): TensorOrigin {
  const module = modulePathOf(use.node.name);
  const base = { onnx, initializer, module, node: use.label };
  if (!isGeneratedName(onnx)) return { ...base, torchName: onnx, named: 'file' };
  // A MatMul weight's name from the bias tensor that the following Add reads.
  const out = use.node.outputs[0] ?? '';
  const biasAdd = use.node.opType === 'MatMul' ? consumers.get(out)?.find((n) => n.opType === 'Add') : undefined;
  const biasName = biasAdd?.inputs.filter((n) => n !== out).map(tensorName).find((n) => n !== undefined);
  const scoped = scopedTorchName(module, naming, biasName);
  return scoped === undefined ? { ...base, torchName: onnx, named: 'file' } : { ...base, torchName: scoped, named: 'scope' };
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

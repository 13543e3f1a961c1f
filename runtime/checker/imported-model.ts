// What the checker knows about an imported model (`model onnx("file.onnx")`). The checker reads no
// files: its host (the language server, `minima check`) injects a ModelResolver, which reads the
// file with the project's importer and answers with plain facts. With them the checker reports
// what would otherwise fail only when the run starts: a file it cannot read or operators Minima
// cannot train through (named with their nodes), layer names and globs that match nothing (in
// `layers` and `freeze`), N:M groups that do not divide a weight's input width, ranks above a
// weight's smaller dimension, and data whose examples or classes do not fit the file's input and
// output; and it estimates the model's parameters and size.

import { isTechnique, type WeightInfo } from '../catalog';
import { CODES, type Fix, type ListNode, type Span, type StringLit, type Value } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';
import { patternOf, type Parts } from './crossblock';
import type { EstimateInputs, EstimateLayer } from './estimates';
import { didYouMean, suggestions } from './suggest';

/** One trainable tensor of the file. */
export interface ImportedParamFacts {
  /** The PyTorch parameter name (`encoder.layers.0.linear1.weight`). */
  readonly name: string;
  /** The ONNX node that reads it, which is its layer (`/encoder/layers.0/linear1/MatMul`). */
  readonly layer: string;
  /** Its module path (`encoder.layers.0.linear1`), '' when the node has no scope. */
  readonly module: string;
  readonly role: string;
  readonly shape: readonly number[];
  /** Matrices and kernels: what prune, quantize and lowrank act on. */
  readonly compressible: boolean;
  /** The input width that N:M groups run along. */
  readonly reduction: number;
}

/** A node that reads parameters, with its shapes per example. */
export interface ImportedLayerFacts {
  readonly name: string;
  readonly op: string;
  readonly input: readonly (number | string)[];
  readonly output: readonly (number | string)[];
  readonly flops: number;
}

export interface ImportedModelFacts {
  readonly inputShape: readonly number[];
  readonly outputWidth: number;
  readonly params: readonly ImportedParamFacts[];
  readonly layers: readonly ImportedLayerFacts[];
  readonly buffers: number;
  /** Per initializer the exporter merged (torch.onnx.export shares equal values behind Identity nodes): the names of its copies. */
  readonly merged?: readonly { readonly initializer: string; readonly copies: readonly string[] }[];
  /** Indices into `params` of those a reference names: a parameter name, module path, node name or glob. */
  readonly select: (ref: string) => readonly number[];
}

export type ModelResolution =
  | { readonly kind: 'model'; readonly facts: ImportedModelFacts }
  /** The file reads, but some of its nodes cannot be trained through (or it does not import for another reason). */
  | { readonly kind: 'unsupported'; readonly message: string; readonly nodes: readonly { readonly op: string; readonly node: string }[] }
  /** The file cannot be read or decoded. */
  | { readonly kind: 'error'; readonly message: string };

/** The file a recipe imports, by its path as written (the host resolves it against the recipe's folder); undefined when unknown. */
export type ModelResolver = (path: string) => ModelResolution | undefined;

/** Names a completion offers for a layer reference: module paths (each prefix), parameter names and node names, deduplicated in model order. */
export function layerNames(facts: ImportedModelFacts, which: 'compressible' | 'all'): string[] {
  const names = new Set<string>();
  for (const p of facts.params) {
    if (which === 'compressible' && !p.compressible) continue;
    const parts = p.module.split('.');
    for (let k = 1; k <= parts.length && p.module !== ''; k++) names.add(parts.slice(0, k).join('.'));
    names.add(p.name);
    names.add(p.layer);
  }
  return [...names];
}

/** The facts of the imported file, after reporting what is wrong with it and with the names the recipe uses for its layers. */
export function checkImported(ctx: Ctx, parts: Parts, resolve: ModelResolver): ImportedModelFacts | undefined {
  const model = parts.blocks.get('model');
  const use = model?.label;
  const file = isTechnique(use) && use.name === 'onnx' ? use.args['path'] : undefined;
  if (!model || typeof file !== 'string') return undefined;
  const label = model.node.label;
  const pathNode = label?.kind === 'call' ? label.args[0]?.value : undefined;
  const at = pathNode?.span ?? label?.span ?? model.node.keyword.span;
  const resolution = resolve(file);
  if (resolution === undefined) return undefined;
  if (resolution.kind === 'error') {
    report(ctx, CODES.modelFile, 'error', at, resolution.message);
    return undefined;
  }
  if (resolution.kind === 'unsupported') {
    report(ctx, CODES.modelFile, 'error', at, `${file.split(/[\\/]/).pop() ?? file}: ${resolution.message}`);
    return undefined;
  }
  const facts = resolution.facts;
  const shown = file.split(/[\\/]/).pop() ?? file;
  checkRefs(ctx, facts, shown, model, 'freeze', 'all');
  for (const name of ['prune', 'quantize', 'lowrank'] as const) {
    const block = parts.blocks.get(name);
    if (block) checkRefs(ctx, facts, shown, block, 'layers', 'compressible');
  }
  checkMerged(ctx, facts, model, at);
  checkNm(ctx, facts, parts);
  checkRank(ctx, facts, parts);
  checkFit(ctx, facts, parts, shown, at);
  return facts;
}

/** The compressible weights a block targets: its written `layers`, or the default rule (compiler/model/layer-select.ts). */
export function importedTargets(facts: ImportedModelFacts, block: BlockResult, name: 'prune' | 'quantize' | 'lowrank'): { index: number; at?: Span }[] {
  const items = writtenRefs(block, 'layers');
  if (items !== undefined) return items.flatMap(({ ref, at }) => compressible(facts, ref).map((index) => ({ index, at })));
  const layers: string[] = [];
  for (const p of facts.params) if (p.compressible && !layers.includes(p.layer)) layers.push(p.layer);
  const chosen = new Set(name === 'quantize' ? layers : layers.slice(1, -1));
  return facts.params.flatMap((p, index) => (p.compressible && chosen.has(p.layer) ? [{ index }] : []));
}

/** The imported layers as the estimates see them: each node's weights and FLOPs. */
export function importedEstimateLayers(facts: ImportedModelFacts): EstimateLayer[] {
  return facts.layers.map((l) => ({
    name: l.name,
    flops: l.flops,
    weights: facts.params.filter((p) => p.layer === l.name).map((p): WeightInfo => ({ name: p.name, shape: p.shape, reduction: p.reduction, compressible: p.compressible })),
  }));
}

function compressible(facts: ImportedModelFacts, ref: string): number[] {
  return facts.select(ref).filter((i) => facts.params[i]?.compressible === true);
}

/** The written references of a list attribute (strings, or bare names), with their spans. */
function writtenRefs(block: BlockResult, attr: string): { ref: string; at: Span }[] | undefined {
  const node: Value | undefined = block.written.get(attr)?.value;
  if (node?.kind !== 'list') return undefined;
  return (node as ListNode).items.flatMap((v) => (v.kind === 'string' ? [{ ref: (v as StringLit).value, at: v.span }] : v.kind === 'ident' ? [{ ref: v.name, at: v.span }] : []));
}

function checkRefs(ctx: Ctx, facts: ImportedModelFacts, file: string, block: BlockResult, attr: string, which: 'compressible' | 'all'): void {
  const candidates = layerNames(facts, which);
  for (const { ref, at } of writtenRefs(block, attr) ?? []) {
    const hits = which === 'compressible' ? compressible(facts, ref) : facts.select(ref);
    if (hits.length > 0) continue;
    const s = /[*?]/.test(ref) ? [] : suggestions(ref, candidates);
    const what = which === 'compressible' ? 'no weighted layer' : 'no trainable tensor';
    const bias = which === 'compressible' && facts.select(ref).length > 0 ? ' (only biases or norm parameters, which are not compressed)' : '';
    report(ctx, CODES.unknownLayer, 'error', at, `"${ref}" names ${what} of ${file}${bias}${didYouMean(s)}`, quotedFix(at, s));
  }
}

function checkNm(ctx: Ctx, facts: ImportedModelFacts, parts: Parts): void {
  const prune = parts.blocks.get('prune');
  const pattern = prune ? patternOf(prune) : undefined;
  if (!prune || !pattern) return;
  const fallback = prune.written.get('pattern')?.value.span ?? prune.node.keyword.span;
  const seen = new Set<number>();
  for (const { index, at } of importedTargets(facts, prune, 'prune')) {
    const p = facts.params[index];
    if (!p || seen.has(index) || p.reduction % pattern.m === 0) continue;
    seen.add(index);
    const how = at === undefined ? ' (pruned by default: list the layers to prune in layers = [...])' : '';
    report(ctx, CODES.nmWidth, 'error', at ?? fallback, `${p.name}'s input width ${p.reduction} is not a multiple of ${pattern.m}, so ${pattern.n}:${pattern.m} groups do not fit${how}`);
  }
}

function checkRank(ctx: Ctx, facts: ImportedModelFacts, parts: Parts): void {
  const lowrank = parts.blocks.get('lowrank');
  const method = lowrank?.attrs['method'];
  const rank = isTechnique(method) ? method.args['rank'] : undefined;
  if (!lowrank || typeof rank !== 'number') return;
  const call = lowrank.written.get('method')?.value;
  const rankAt = call?.kind === 'call' ? call.args.find((a) => a.name?.name === 'rank')?.value.span : undefined;
  for (const { index } of importedTargets(facts, lowrank, 'lowrank')) {
    const p = facts.params[index];
    if (!p || p.shape.length < 2) continue;
    const rows = p.shape[0] ?? 1;
    const smaller = Math.min(rows, p.shape.reduce((a, b) => a * b, 1) / rows);
    if (rank <= smaller) continue;
    report(ctx, CODES.outOfRange, 'error', rankAt ?? call?.span ?? lowrank.node.keyword.span, `rank ${rank} exceeds the smaller dimension of ${p.name} [${p.shape.join(', ')}] (${smaller})`);
    return;
  }
}

/**
 * The data against the file, where the data source states its shapes (bundled data, generators):
 * the input per example (the file's shape, or as many features, which the run reshapes) and the
 * output width (one score per class, or one value per regression target).
 */
function checkFit(ctx: Ctx, facts: ImportedModelFacts, parts: Parts, file: string, at: Span): void {
  const data = parts.dataShape;
  const source = parts.blocks.get('data')?.label;
  const name = isTechnique(source) ? source.name : 'the data';
  if (!data) return;
  const input = data.input;
  const size = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);
  if (input !== undefined) {
    const same = input.length === facts.inputShape.length && input.every((d, i) => d === facts.inputShape[i]);
    const flat = input.length === 1 && input[0] === size(facts.inputShape);
    if (!same && !flat) report(ctx, CODES.shapeMismatch, 'error', at, `${file} takes inputs of shape [${facts.inputShape.join(', ')}] (${size(facts.inputShape)} values), but ${name} yields [${input.join(', ')}]`);
  }
  const want = data.task === 'classification' ? data.classes : data.task === 'regression' ? data.targets : undefined;
  if (want !== undefined && want !== facts.outputWidth) {
    const what = data.task === 'classification' ? `${want} class${want === 1 ? '' : 'es'}` : `${want} target${want === 1 ? '' : 's'}`;
    report(ctx, CODES.shapeMismatch, 'error', at, `${file} outputs ${facts.outputWidth} value${facts.outputWidth === 1 ? '' : 's'} per example, but ${name} has ${what}`);
  }
}

/** One fix per suggestion, each a quoted string replacing the written one; only a sole one is preferred (as replaceFix does). */
function quotedFix(at: Span, candidates: readonly string[]): { fixes?: Fix[] } {
  if (candidates.length === 0) return {};
  const preferred = candidates.length === 1;
  return { fixes: candidates.map((s) => ({ title: `Change to "${s}"`, edits: [{ span: at, newText: JSON.stringify(s) }], ...(preferred ? { preferred: true } : {}) })) };
}

/** The estimates' inputs for an imported model: its nodes as layers, each block's targets by the rule above. */
export function importedEstimateInputs(base: EstimateInputs, facts: ImportedModelFacts, parts: Parts): EstimateInputs {
  const layersOf = (name: 'prune' | 'quantize' | 'lowrank'): Set<string> => {
    const block = parts.blocks.get(name);
    return new Set(block ? importedTargets(facts, block, name).flatMap(({ index }) => facts.params[index]?.layer ?? []) : []);
  };
  return {
    ...base,
    layers: importedEstimateLayers(facts),
    ...(base.prune ? { prune: { ...base.prune, targets: layersOf('prune') } } : {}),
    ...(base.lowrank ? { lowrank: { ...base.lowrank, targets: layersOf('lowrank') } } : {}),
    ...(base.quantize ? { quantize: { ...base.quantize, targets: layersOf('quantize') } } : {}),
  };
}

/**
 * The exporter's merged initializers, said once on the model (info): untied by default, each
 * consumer trains its own copy (PyTorch's own parameters are distinct); `tie = true` keeps them one.
 */
function checkMerged(ctx: Ctx, facts: ImportedModelFacts, model: BlockResult, at: Span): void {
  const merged = facts.merged ?? [];
  if (merged.length === 0) return;
  const tie = model.written.get('tie')?.value;
  const tied = tie?.kind === 'bool' && tie.value;
  const copies = merged.reduce((n, m) => n + m.copies.length, 0);
  const first = merged[0];
  const example = first && first.copies[0] !== undefined ? ` (e.g. ${first.copies[0]} = ${first.initializer})` : '';
  const what = `the exporter stored ${copies} tensor${copies === 1 ? '' : 's'} as ${copies === 1 ? 'a copy' : 'copies'} of ${merged.length === 1 ? 'an equal-valued initializer' : `${merged.length} equal-valued initializers`}${example}`;
  report(ctx, CODES.mergedInitializers, 'info', tie?.span ?? at, tied ? `${what}; tie = true trains each group as one shared tensor` : `${what}; each is trained as its own copy, as in PyTorch (tie = true keeps them shared)`);
}

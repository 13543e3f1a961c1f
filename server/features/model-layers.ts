// Layer names of an imported model (`model onnx("file.onnx")`) in the editor: completion of the
// names a PyTorch user writes (module paths, parameter names, ONNX node names) inside the strings
// of `layers = [...]` (prune, quantize, lowrank) and `freeze = [...]` (model), and hover on such a
// string with what it selects: each tensor's shape and parameter count, its node's shapes. The
// file's facts come from the analysis (the checker's injected resolver); without them both answer
// nothing and the other features take over.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { layerNames, type ImportedModelFacts, type ImportedParamFacts } from '../../runtime/checker';
import type { BlockNode, ListNode, Span, Value } from '../../runtime/language';
import { toRange } from '../convert';
import { formatCount } from './markdown';

/** Completions for a layer reference at `offset`, or undefined when the cursor is not in one. */
export function modelLayerCompletion(a: Analysis, offset: number): lsp.CompletionItem[] | undefined {
  const facts = a.semantics.imported;
  const site = referenceListAt(a, offset);
  if (!facts || !site) return undefined;
  const item = site.list.items.find((v) => v.kind === 'string' && v.span.start < offset && offset <= v.span.end);
  const written = item?.kind === 'string' ? item : undefined;
  // Inside a string: replace its contents (the quotes stay); between items: insert a quoted name.
  const closed = written !== undefined && a.text[written.span.end - 1] === '"' && written.span.end - written.span.start >= 2;
  const range: Span = written ? { start: written.span.start + 1, end: closed ? written.span.end - 1 : written.span.end } : { start: offset, end: offset };
  if (written && closed && offset > range.end) return undefined;
  const names = layerNames(facts, site.which);
  return names.map((name, i) => {
    const selected = selectedParams(facts, name, site.which);
    return {
      label: name,
      kind: lsp.CompletionItemKind.Field,
      detail: summary(selected),
      documentation: { kind: lsp.MarkupKind.Markdown, value: selectionMarkdown(facts, name, site.which) },
      textEdit: { range: toRange(a.lines, range), newText: written ? name : JSON.stringify(name) },
      filterText: written ? name : `"${name}`,
      sortText: String(i).padStart(6, '0'),
    };
  });
}

/** Hover on a string of a layer reference list: what it selects in the imported file. */
export function modelLayerHover(a: Analysis, offset: number): lsp.Hover | undefined {
  const facts = a.semantics.imported;
  const site = referenceListAt(a, offset);
  if (!facts || !site) return undefined;
  const item = site.list.items.find((v) => v.kind === 'string' && v.span.start <= offset && offset < v.span.end);
  if (item?.kind !== 'string') return undefined;
  return { contents: { kind: lsp.MarkupKind.Markdown, value: selectionMarkdown(facts, item.value, site.which) }, range: toRange(a.lines, item.span) };
}

interface ReferenceList {
  readonly list: ListNode;
  /** `layers` reference weighted layers; `freeze` any trainable tensor. */
  readonly which: 'compressible' | 'all';
}

const LAYER_LISTS: Readonly<Record<string, { readonly attr: string; readonly which: 'compressible' | 'all' }>> = {
  prune: { attr: 'layers', which: 'compressible' },
  quantize: { attr: 'layers', which: 'compressible' },
  lowrank: { attr: 'layers', which: 'compressible' },
  model: { attr: 'freeze', which: 'all' },
};

function referenceListAt(a: Analysis, offset: number): ReferenceList | undefined {
  const block: BlockNode | undefined = a.tree.blocks.find((b) => b.span.start <= offset && offset <= b.span.end);
  const want = block ? LAYER_LISTS[block.keyword.name] : undefined;
  if (!block || !want) return undefined;
  for (const item of block.items) {
    if (item.kind !== 'attribute' || item.name.name !== want.attr) continue;
    const v: Value = item.value;
    const end = v.kind === 'list' ? (v.close?.start ?? v.span.end) : v.span.end;
    if (v.kind === 'list' && v.span.start < offset && offset <= end) return { list: v, which: want.which };
  }
  return undefined;
}

function selectedParams(facts: ImportedModelFacts, ref: string, which: 'compressible' | 'all'): ImportedParamFacts[] {
  return facts.select(ref).flatMap((i) => {
    const p = facts.params[i];
    return p && (which === 'all' || p.compressible) ? [p] : [];
  });
}

function summary(params: readonly ImportedParamFacts[]): string {
  const count = params.reduce((n, p) => n + size(p.shape), 0);
  const one = params.length === 1 ? params[0] : undefined;
  return one ? `[${one.shape.join(', ')}] · ${formatCount(count)} parameters` : `${params.length} tensors · ${formatCount(count)} parameters`;
}

/** The tensors a reference selects, with shapes, counts and their nodes' shapes per example. */
function selectionMarkdown(facts: ImportedModelFacts, ref: string, which: 'compressible' | 'all'): string {
  const params = selectedParams(facts, ref, which);
  if (params.length === 0) return `\`${ref}\` selects no ${which === 'compressible' ? 'weighted layer' : 'trainable tensor'} of the imported model`;
  const rows = params.slice(0, 24).map((p) => {
    const layer = facts.layers.find((l) => l.name === p.layer);
    const io = layer ? `${shape(layer.input)} → ${shape(layer.output)}` : '';
    return `| \`${p.name}\` | [${p.shape.join(', ')}] | ${formatCount(size(p.shape))} | ${layer?.op ?? ''} ${io} |`;
  });
  const more = params.length > rows.length ? `\n\n… and ${params.length - rows.length} more` : '';
  const total = params.reduce((n, p) => n + size(p.shape), 0);
  const nodes = new Set(params.map((p) => p.layer));
  return [
    `**\`${ref}\`**: ${params.length === 1 ? '1 tensor' : `${params.length} tensors`} in ${nodes.size === 1 ? '1 layer' : `${nodes.size} layers`}, ${formatCount(total)} parameters`,
    ['| tensor | shape | parameters | node (per example) |', '|---|---|---|---|', ...rows].join('\n') + more,
  ].join('\n\n');
}

function shape(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

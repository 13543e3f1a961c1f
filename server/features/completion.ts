// Context-aware completion: block keywords at the top level, labels after a keyword, attribute
// names and layer kinds at the start of a body line, typed values after `=` and `name:`, and
// parameter names inside calls. The context comes from the tokens before the cursor
// (`cursor-context.ts`), so half-typed lines complete as well as finished ones.
//
// Each row carries a one-line description (`labelDetails.description`); `detail` is short plain
// text and the sentences are in `documentation` (see the NOTE in `markdown.ts`).

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { showValue, type BlockSpec, type ParamSpec, type ParamType, type TechniqueEntry } from '../../runtime/catalog';
import type { BlockNode, Span } from '../../runtime/language';
import { sweepablePaths } from '../../runtime/checker';
import { toRange } from '../convert';
import { callNodeAt, cursorContext, listNodeAt, type CallInfo } from './cursor-context';
import { layerSummaries } from './layers';
import { attributeMarkdown, blockMarkdown, DETAIL_MAX, enumMarkdown, kindLabel, oneLine, paramDetail, paramMarkdown, techniqueMarkdown, typeText } from './markdown';
import { acceptsKind, elementType, enumMembers, layerEntries, positionalParam, techniqueKinds } from './scope';

export function completion(a: Analysis, pos: lsp.Position): lsp.CompletionItem[] {
  const offset = a.lines.offset(pos);
  const { context: c } = cursorContext(a, offset);
  switch (c.kind) {
    case 'top':
      return blockKeywords(a, c.replace);
    case 'label':
      return techniques(a, a.catalog.ofKind(techniqueKinds(c.type)), c.replace);
    case 'item':
      return items(a, c.block, c.blockNode, c.named, c.replace);
    case 'value':
      return values(a, c.type, c.param, c.replace, c.list?.open);
    case 'arg':
      return args(a, c.call, c.replace);
    case 'none':
      return [];
  }
}

/** Snippet bodies for blocks whose required content is better written out than left empty. */
const BLOCK_SNIPPETS: Readonly<Record<string, string>> = {
  recipe: 'recipe "${1:name}" {\n\tseed = ${2:0}\n}',
  data: 'data ${1:digits} {\n\tbatch = ${2:64}\n}',
  model: 'model ${1:mlp} {\n\t${2:dense(128, act: relu)}\n\t${3:dense(10)}\n}',
  train: 'train {\n\tepochs = ${1:30}\n\toptimizer = ${2:adam()}\n}',
  prune: 'prune {\n\tsparsity = ${1:50%}\n}',
  lowrank: 'lowrank {\n\tmethod = ${1:svd}\n}',
  quantize: 'quantize {\n\tbits = ${1:8}\n}',
  report: 'report {\n\tmetrics = [${1:loss, accuracy}]\n}',
  sweep: 'sweep ${1:grid} {\n\t${2:train.optimizer.lr} = [${3:0.03, 0.1}]\n\tmetric = ${4:val_accuracy}\n\tgoal = ${5:max}\n}',
};

function blockKeywords(a: Analysis, replace: Span): lsp.CompletionItem[] {
  const present = new Set(a.tree.blocks.filter((b) => !overlaps(b.keyword.span, replace)).map((b) => b.keyword.name));
  return a.catalog.blocks
    .filter((b) => !present.has(b.name))
    .map((b, i) => ({
      label: b.name,
      kind: lsp.CompletionItemKind.Keyword,
      detail: b.required ? 'block, required' : 'block',
      labelDetails: { description: oneLine(b.summary) },
      documentation: md(blockMarkdown(b)),
      insertTextFormat: lsp.InsertTextFormat.Snippet,
      textEdit: { range: toRange(a.lines, replace), newText: BLOCK_SNIPPETS[b.name] ?? `${b.name} {\n\t$0\n}` },
      sortText: sortKey(b.required ? 0 : 1, i),
    }));
}

function items(a: Analysis, spec: BlockSpec | undefined, blockNode: BlockNode | undefined, named: boolean, replace: Span): lsp.CompletionItem[] {
  if (!spec) return blockNode && !blockNode.close && a.lines.position(replace.start).character === 0 ? blockKeywords(a, replace) : [];
  const out: lsp.CompletionItem[] = [];
  if (!named) {
    const written = new Set(blockNode?.items.flatMap((it) => (it.kind === 'attribute' && !overlaps(it.name.span, replace) ? [it.name.name] : [])) ?? []);
    spec.attributes.forEach((p, i) => {
      if (written.has(p.name)) return;
      out.push({
        label: p.name,
        kind: lsp.CompletionItemKind.Property,
        detail: paramDetail(p),
        labelDetails: { description: oneLine(p.doc) },
        documentation: md(attributeMarkdown(spec, p)),
        textEdit: { range: toRange(a.lines, replace), newText: `${p.name} = ` },
        filterText: p.name,
        sortText: sortKey(p.required ? 0 : 1, i),
        command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
      });
    });
  }
  if (spec.statements) out.push(...techniques(a, layerEntries(a, blockNode), replace, 2));
  if (spec.paths === true && !named) out.push(...sweepPaths(a, blockNode, replace));
  // At column 0 after an unclosed block, the user may as well be starting the next block.
  if (!named && blockNode && !blockNode.close && a.lines.position(replace.start).character === 0) out.push(...blockKeywords(a, replace).map((it) => ({ ...it, sortText: `9${it.sortText ?? ''}` })));
  return out;
}

/** The dotted paths a sweep block can set, from the recipe as written (`train.optimizer.base.lr`). */
function sweepPaths(a: Analysis, blockNode: BlockNode | undefined, replace: Span): lsp.CompletionItem[] {
  const written = new Set(blockNode?.items.flatMap((it) => (it.kind === 'attribute' && !overlaps(it.name.span, replace) ? [it.name.name] : [])) ?? []);
  return sweepablePaths(a.tree, a.catalog)
    .filter((p) => !written.has(p.path))
    .map((p, i) => ({
      label: p.path,
      kind: lsp.CompletionItemKind.Field,
      detail: 'sweep path',
      labelDetails: { description: oneLine(p.doc) },
      documentation: md(p.doc),
      textEdit: { range: toRange(a.lines, replace), newText: `${p.path} = ` },
      filterText: p.path,
      sortText: sortKey(2, i),
    }));
}

function values(a: Analysis, type: ParamType, param: ParamSpec | undefined, replace: Span, listOpen: number | undefined): lsp.CompletionItem[] {
  const out: lsp.CompletionItem[] = [];
  const range = toRange(a.lines, replace);
  if (param?.default !== undefined && typeof param.default !== 'object') {
    out.push({ label: showValue(param.default), kind: lsp.CompletionItemKind.Value, detail: 'default', labelDetails: { description: `default of ${param.name}` }, textEdit: { range, newText: showValue(param.default) }, sortText: sortKey(0, 0) });
  }
  enumMembers(type).forEach((m, i) =>
    out.push({ label: m.name, kind: lsp.CompletionItemKind.EnumMember, ...(param ? { detail: `value of ${param.name}`.slice(0, DETAIL_MAX) } : {}), labelDetails: { description: oneLine(m.doc) }, documentation: param ? md(enumMarkdown(param, m)) : m.doc, textEdit: { range, newText: m.name }, sortText: sortKey(1, i) }),
  );
  if (acceptsKind(type, 'bool')) for (const [i, v] of ['true', 'false'].entries()) out.push({ label: v, kind: lsp.CompletionItemKind.Keyword, detail: 'bool', labelDetails: { description: param ? `${v === 'true' ? 'enable' : 'disable'} ${param.name}` : v }, textEdit: { range, newText: v }, sortText: sortKey(1, i) });
  out.push(...techniques(a, a.catalog.ofKind(techniqueKinds(type)), replace, 2));
  if (acceptsKind(type, 'layer')) out.push(...layerNames(a, replace, listOpen));
  const el = elementType(type);
  if (el && listOpen === undefined) {
    out.push({ label: '[…]', kind: lsp.CompletionItemKind.Snippet, detail: typeText(type, true).slice(0, DETAIL_MAX), labelDetails: { description: `a new ${typeText(type)}` }, insertTextFormat: lsp.InsertTextFormat.Snippet, textEdit: { range, newText: '[$1]' }, filterText: '[', sortText: sortKey(0, 1), command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } });
  }
  return dedupe(out);
}

function args(a: Analysis, call: CallInfo, replace: Span): lsp.CompletionItem[] {
  const entry = call.entry;
  if (!entry) return [];
  const node = callNodeAt(a, call.open);
  const written = new Set(node?.args.flatMap((arg) => (arg.name && !overlaps(arg.name.span, replace) ? [arg.name.name] : [])) ?? []);
  // A positional argument already bound to a parameter counts as written.
  entry.params.filter((p) => p.positional).slice(0, node?.args.filter((x) => !x.name && !overlaps(x.span, replace)).length ?? 0).forEach((p) => written.add(p.name));
  const out: lsp.CompletionItem[] = [];
  entry.params.forEach((p, i) => {
    if (written.has(p.name)) return;
    out.push({
      label: `${p.name}:`,
      kind: lsp.CompletionItemKind.Field,
      detail: paramDetail(p),
      labelDetails: { description: oneLine(p.doc) },
      documentation: md(paramMarkdown(p, entry.name)),
      textEdit: { range: toRange(a.lines, replace), newText: `${p.name}: ` },
      filterText: p.name,
      sortText: sortKey(p.required ? 0 : 1, i),
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    });
  });
  const positional = call.onlyPositional ? positionalParam(entry, call.positional) : undefined;
  if (positional && !written.has(positional.name)) out.push(...values(a, positional.type, positional, replace, undefined).map((it) => ({ ...it, sortText: `3${it.sortText ?? ''}` })));
  return out;
}

/** Technique items; a technique with required parameters inserts a call snippet (`callSnippet`). */
function techniques(a: Analysis, entries: readonly TechniqueEntry[], replace: Span, group = 1): lsp.CompletionItem[] {
  const range = toRange(a.lines, replace);
  // Before an existing `(` (renaming `adam()` to `sam()`), the name alone goes in: its arguments are there.
  const callFollows = a.text[replace.end] === '(';
  return entries.map((e, i) => {
    const snippet = callFollows ? undefined : callSnippet(a, e);
    return {
      label: e.name,
      kind: lsp.CompletionItemKind.Function,
      detail: kindLabel(e.kind),
      labelDetails: { description: oneLine(e.summary) },
      documentation: md(techniqueMarkdown(e)),
      textEdit: { range, newText: snippet ?? e.name },
      ...(snippet ? { insertTextFormat: lsp.InsertTextFormat.Snippet } : {}),
      filterText: e.name,
      sortText: sortKey(group, i),
    };
  });
}

/**
 * `sam(base: ${1:sgd(lr: 0.1)}, rho: ${2:0.05})`: the required parameters, and a wrapper's strength
 * (its first parameter with a default, ρ for the SAM family), each with a placeholder that is a
 * valid value where one is known, so the inserted call reads as a finished one beside the inlay
 * hints of its other defaults. Positional parameters are placeholders named after themselves.
 */
export function callSnippet(a: Analysis, e: TechniqueEntry): string | undefined {
  const required = e.params.filter((p) => p.required);
  if (required.length === 0) return undefined;
  const strength = e.kind === 'wrapper' ? e.params.find((p) => !p.required && p.default !== undefined) : undefined;
  const positional = required.filter((p) => p.positional);
  const named = [...required.filter((p) => !p.positional), ...(strength ? [strength] : [])];
  const args = [...positional, ...named].map((p, k) => {
    const hole = placeholder(a, e, p, k + 1);
    return p.positional ? hole : `${p.name}: ${hole}`;
  });
  return `${e.name}(${args.join(', ')})`;
}

function placeholder(a: Analysis, e: TechniqueEntry, p: ParamSpec, n: number): string {
  const hole = (text: string) => `\${${n}:${text.replace(/[$}\\]/g, '\\$&')}}`;
  if (p.type.kind === 'string' || p.type.kind === 'path') return `"${hole(p.name)}"`;
  if (p.default !== undefined) return hole(showValue(p.default));
  if (p.type.kind === 'technique') {
    // A wrapper's base is plain SGD, as in the papers and the checker's quick fix for a missing base.
    if (p.name === e.baseParam && a.catalog.get('sgd', ['optimizer'])) return hole('sgd(lr: 0.1)');
    const simple = a.catalog.ofKind(p.type.of).find((x) => x.params.every((q) => !q.required));
    if (simple) return hole(simple.name);
  }
  return hole(p.name);
}

function layerNames(a: Analysis, replace: Span, listOpen: number | undefined): lsp.CompletionItem[] {
  const list = listOpen !== undefined ? listNodeAt(a, listOpen) : undefined;
  const inList = new Set(list?.items.flatMap((it) => (it.kind === 'ident' && !overlaps(it.span, replace) ? [it.name] : [])) ?? []);
  return layerSummaries(a)
    .filter((l) => !inList.has(l.name))
    .map((l, i) => ({
      label: l.name,
      kind: lsp.CompletionItemKind.Variable,
      detail: l.detail.length <= DETAIL_MAX ? l.detail : 'layer',
      labelDetails: { description: l.detail },
      textEdit: { range: toRange(a.lines, replace), newText: l.name },
      sortText: sortKey(0, i),
    }));
}

function dedupe(items: lsp.CompletionItem[]): lsp.CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((it) => (seen.has(it.label) ? false : (seen.add(it.label), true)));
}

function md(value: string): lsp.MarkupContent {
  return { kind: lsp.MarkupKind.Markdown, value };
}

function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(3, '0')}`;
}

function overlaps(s: Span, r: Span): boolean {
  return s.start <= r.end && r.start <= s.end;
}

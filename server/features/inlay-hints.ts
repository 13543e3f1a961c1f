// Inlay hints: the defaults a recipe does not write, and each layer's output shape after its
// statement. A technique's defaults follow its last argument and read as the arguments they stand
// for (`, beta1: 0.9`); a block's defaults are one annotation at the end of its opening line,
// `⟨defaults: seed = 0⟩`, so they never read as code written inside the block. Every default is
// a label part of its own whose tooltip documents it, and no value is ever shortened.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { showValue, type BlockSpec, type ParamSpec, type TechniqueEntry } from '../../runtime/catalog';
import type { CallNode, Ident } from '../../runtime/language';
import { toPosition, toSpan } from '../convert';
import { attributeMarkdown, paramMarkdown, shapeLabel } from './markdown';
import { resolveValueName, walkScoped } from './scope';

/**
 * At most this many of a call's defaults are spelled out inside it (it sits mid-line, pushing the
 * code after it); the rest become one `+N more` part whose tooltip lists them in full. A block's
 * defaults, at the end of a line, are all spelled out.
 */
export const MAX_CALL_DEFAULTS_SHOWN = 3;

export function inlayHints(a: Analysis, range: lsp.Range): lsp.InlayHint[] {
  const span = toSpan(a.lines, range);
  // `order` breaks ties at one position: an inner technique's defaults (`layer(eps: …)`) read before
  // the enclosing call's (`, bias: true`), a layer's shape comes next and a block's defaults last.
  const out: { readonly offset: number; readonly order: number; readonly hint: lsp.InlayHint }[] = [];
  const at = (offset: number, label: lsp.InlayHintLabelPart[], kind: lsp.InlayHintKind, paddingLeft: boolean, order = 0) => {
    if (offset >= span.start && offset <= span.end) out.push({ offset, order, hint: { position: toPosition(a.lines, offset), label, kind, paddingLeft } });
  };
  for (const b of a.tree.blocks) {
    const spec = a.catalog.block(b.keyword.name);
    if (!spec || !b.open) continue;
    const written = new Set(b.items.flatMap((it) => (it.kind === 'attribute' ? [it.name.name] : [])));
    const label = blockDefaults(spec, spec.attributes.filter((p) => !written.has(p.name)));
    if (label) at(lineEnd(a.text, b.open.end), label, lsp.InlayHintKind.Parameter, true, 3);
  }
  walkScoped(a, (node, scope, parent) => {
    if (node.kind === 'call') {
      const entry = techniqueOf(a, node.callee, scope.type, scope.param);
      if (!entry) return;
      const last = node.args[node.args.length - 1];
      const label = callDefaults(entry, unwritten(entry, node), last ? ', ' : '');
      if (label) at(last ? last.span.end : node.open.end, label, lsp.InlayHintKind.Parameter, false, 1);
    } else if (node.kind === 'ident' && parent.kind !== 'call' && scope.type) {
      const entry = techniqueOf(a, node, scope.type, scope.param);
      const label = entry ? callDefaults(entry, entry.params.filter((p) => !p.required), '(', ')') : undefined;
      if (label) at(node.span.end, label, lsp.InlayHintKind.Parameter, false);
    }
  });
  for (const l of a.semantics.layers) if (l.plan) at(l.span.end, [{ value: `→ ${shapeLabel(l.plan.output)}` }], lsp.InlayHintKind.Type, true, 2);
  return out.sort((x, y) => x.offset - y.offset || x.order - y.order).map((h) => h.hint);
}

function techniqueOf(a: Analysis, ident: Ident, type: Parameters<typeof resolveValueName>[2] | undefined, param: ParamSpec | undefined): TechniqueEntry | undefined {
  const r = a.semantics.resolutions.get(ident) ?? (type ? resolveValueName(a, ident.name, type, param) : undefined);
  return r?.kind === 'technique' ? r.entry : undefined;
}

/** Parameters with defaults that the call neither names nor binds by position. */
function unwritten(entry: TechniqueEntry, call: CallNode): ParamSpec[] {
  const named = new Set(call.args.flatMap((x) => (x.name ? [x.name.name] : [])));
  const positional = entry.params.filter((p) => p.positional).slice(0, call.args.filter((x) => !x.name).length);
  return entry.params.filter((p) => !named.has(p.name) && !positional.includes(p));
}

/** `⟨defaults: `, `seed = 0`, `, `, …, `⟩`: every unwritten attribute with a default, each with its docs. */
function blockDefaults(spec: BlockSpec, params: readonly ParamSpec[]): lsp.InlayHintLabelPart[] | undefined {
  const withDefault = params.filter((p) => p.default !== undefined);
  if (withDefault.length === 0) return undefined;
  const parts: lsp.InlayHintLabelPart[] = [{ value: '⟨defaults: ' }];
  withDefault.forEach((p, i) => {
    if (i > 0) parts.push({ value: ', ' });
    parts.push({ value: `${p.name} = ${showValue(p.default!)}`, tooltip: md(attributeMarkdown(spec, p)) });
  });
  parts.push({ value: '⟩' });
  return parts;
}

/**
 * `beta1: 0.9`, `, `, … after `lead`, the first MAX_CALL_DEFAULTS_SHOWN in full and the rest as
 * `+N more` (its tooltip lists them), or undefined when no parameter has a default.
 */
function callDefaults(entry: TechniqueEntry, params: readonly ParamSpec[], lead: string, tail = ''): lsp.InlayHintLabelPart[] | undefined {
  const withDefault = params.filter((p) => p.default !== undefined);
  if (withDefault.length === 0) return undefined;
  const shown = withDefault.slice(0, MAX_CALL_DEFAULTS_SHOWN);
  const hidden = withDefault.slice(MAX_CALL_DEFAULTS_SHOWN);
  const parts: lsp.InlayHintLabelPart[] = [];
  shown.forEach((p, i) => {
    if (i > 0 || lead) parts.push({ value: i === 0 ? lead : ', ' });
    parts.push({ value: `${p.name}: ${showValue(p.default!)}`, tooltip: md(paramMarkdown(p, entry.name)) });
  });
  if (hidden.length > 0) {
    const list = hidden.map((p) => `- \`${p.name}: ${showValue(p.default!)}\` — ${p.doc}`).join('\n');
    parts.push({ value: ', ' }, { value: `+${hidden.length} more`, tooltip: md(`More defaults of \`${entry.name}\`:\n\n${list}`) });
  }
  if (tail) parts.push({ value: tail });
  return merge(parts);
}

/** Adjacent parts without tooltips become one, so a label has no more parts than it needs. */
function merge(parts: readonly lsp.InlayHintLabelPart[]): lsp.InlayHintLabelPart[] {
  const out: lsp.InlayHintLabelPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev && prev.tooltip === undefined && p.tooltip === undefined) out[out.length - 1] = { value: prev.value + p.value };
    else out.push(p);
  }
  return out;
}

/** The offset where the line holding `offset` ends (before its line break). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

function md(value: string): lsp.MarkupContent {
  return { kind: lsp.MarkupKind.Markdown, value };
}

// Inlay hints: the defaults a recipe does not write (after a technique's last argument, and after a
// block's `{` for its attributes), and each layer's output shape after its statement.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { showValue, type ParamSpec, type TechniqueEntry } from '../../runtime/catalog';
import type { CallNode, Ident } from '../../runtime/language';
import { toPosition, toSpan } from '../convert';
import { shapeLabel } from './markdown';
import { resolveValueName, walkScoped } from './scope';

/** At most this many defaults are spelled out per hint; the rest become `…`. */
export const MAX_DEFAULTS_SHOWN = 3;

export function inlayHints(a: Analysis, range: lsp.Range): lsp.InlayHint[] {
  const span = toSpan(a.lines, range);
  // `order` breaks ties at one position: an inner technique's defaults (`layer(eps: …)`) read before
  // the enclosing call's (`, bias: true`), and a layer's shape comes last.
  const out: { readonly offset: number; readonly order: number; readonly hint: lsp.InlayHint }[] = [];
  const at = (offset: number, label: string, kind: lsp.InlayHintKind, paddingLeft: boolean, order = 0) => {
    if (offset >= span.start && offset <= span.end) out.push({ offset, order, hint: { position: toPosition(a.lines, offset), label, kind, paddingLeft } });
  };
  for (const b of a.tree.blocks) {
    const spec = a.catalog.block(b.keyword.name);
    if (!spec || !b.open) continue;
    const written = new Set(b.items.flatMap((it) => (it.kind === 'attribute' ? [it.name.name] : [])));
    const label = defaultsLabel(spec.attributes.filter((p) => !written.has(p.name)), ' = ');
    if (label) at(b.open.end, label, lsp.InlayHintKind.Parameter, true);
  }
  walkScoped(a, (node, scope, parent) => {
    if (node.kind === 'call') {
      const entry = techniqueOf(a, node.callee, scope.type, scope.param);
      if (!entry) return;
      const label = defaultsLabel(unwritten(entry, node), ': ');
      const last = node.args[node.args.length - 1];
      if (label) at(last ? last.span.end : node.open.end, last ? `, ${label}` : label, lsp.InlayHintKind.Parameter, false, 1);
    } else if (node.kind === 'ident' && parent.kind !== 'call' && scope.type) {
      const entry = techniqueOf(a, node, scope.type, scope.param);
      const label = entry ? defaultsLabel(entry.params.filter((p) => !p.required), ': ') : undefined;
      if (label) at(node.span.end, `(${label})`, lsp.InlayHintKind.Parameter, false);
    }
  });
  for (const l of a.semantics.layers) if (l.plan) at(l.span.end, `→ ${shapeLabel(l.plan.output)}`, lsp.InlayHintKind.Type, true, 2);
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

/** `beta1: 0.9, beta2: 0.999, …`, or undefined when no parameter has a default. */
function defaultsLabel(params: readonly ParamSpec[], sep: string): string | undefined {
  const withDefault = params.filter((p) => p.default !== undefined);
  if (withDefault.length === 0) return undefined;
  const shown = withDefault.slice(0, MAX_DEFAULTS_SHOWN).map((p) => `${p.name}${sep}${showValue(p.default!)}`);
  return withDefault.length > MAX_DEFAULTS_SHOWN ? `${shown.join(', ')}, …` : shown.join(', ');
}

// Layers as the editor sees them: names (with shapes when the checker inferred them) and the layer
// symbol under the cursor, for completion, hover and navigation.

import type { Analysis } from '../../runtime/analysis';
import type { LayerSymbol } from '../../runtime/checker';
import { contains, type Span } from '../../runtime/language';
import { shapeLabel } from './markdown';

export interface LayerSummary {
  readonly name: string;
  readonly detail: string;
}

/**
 * Every layer of the model. The checker's symbols come first; when it has none (a model it could not
 * resolve), names are derived from the model block's statements with the same rule: an explicit
 * `name:` or the kind plus its 1-based position among layers of that kind.
 */
export function layerSummaries(a: Analysis): LayerSummary[] {
  if (a.semantics.layers.length > 0) {
    return a.semantics.layers.map((l) => ({ name: l.name, detail: l.plan ? `${a.text.slice(l.callSpan.start, l.callSpan.end)} → ${shapeLabel(l.plan.output)}` : a.text.slice(l.callSpan.start, l.callSpan.end) }));
  }
  const model = a.tree.blocks.find((b) => b.keyword.name === 'model');
  const counts = new Map<string, number>();
  const out: LayerSummary[] = [];
  for (const it of model?.items ?? []) {
    if (it.kind !== 'statement') continue;
    const kind = it.value.kind === 'call' ? it.value.callee.name : it.value.kind === 'ident' ? it.value.name : undefined;
    if (!kind) continue;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    out.push({ name: it.name?.name ?? `${kind}_${n}`, detail: a.text.slice(it.value.span.start, it.value.span.end) });
  }
  return out;
}

/** The layer whose explicit name or reference is under `offset`, with the span of the name there. */
export function layerAt(a: Analysis, offset: number): { readonly layer: LayerSymbol; readonly span: Span; readonly definition: boolean } | undefined {
  for (const layer of a.semantics.layers) {
    if (layer.nameSpan && contains(layer.nameSpan, offset)) return { layer, span: layer.nameSpan, definition: true };
    const ref = layer.refs.find((r) => contains(r, offset));
    if (ref) return { layer, span: ref, definition: false };
  }
  // An auto-named layer is defined by its call: the cursor on its callee (`dense` of `dense(128)`) names it.
  for (const layer of a.semantics.layers) {
    if (layer.explicit) continue;
    const callee = calleeSpan(a, layer);
    if (contains(callee, offset)) return { layer, span: callee, definition: true };
  }
  return undefined;
}

/** Where a layer is defined: its explicit name, or the callee of its call. */
export function definitionSpan(a: Analysis, layer: LayerSymbol): Span {
  return layer.nameSpan ?? calleeSpan(a, layer);
}

function calleeSpan(a: Analysis, layer: LayerSymbol): Span {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(a.text.slice(layer.callSpan.start, layer.callSpan.end));
  return { start: layer.callSpan.start, end: layer.callSpan.start + (m ? m[0].length : 0) };
}

// The outline: one symbol per block, with its attributes and (in the model) its layers as children.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import type { AttributeNode, BlockNode, StatementNode } from '../../runtime/language';
import { toRange } from '../convert';
import { shapeLabel } from './markdown';

export function documentSymbols(a: Analysis): lsp.DocumentSymbol[] {
  return a.tree.blocks.map((b) => blockSymbol(a, b));
}

function blockSymbol(a: Analysis, b: BlockNode): lsp.DocumentSymbol {
  const label = b.label ? a.text.slice(b.label.span.start, b.label.span.end) : undefined;
  const spec = a.catalog.block(b.keyword.name);
  const children = b.items.map((it) => (it.kind === 'attribute' ? attributeSymbol(a, it) : statementSymbol(a, it)));
  return {
    name: label ? `${b.keyword.name} ${label}` : b.keyword.name,
    kind: b.keyword.name === 'model' ? lsp.SymbolKind.Class : lsp.SymbolKind.Module,
    ...(spec ? { detail: spec.summary } : {}),
    range: toRange(a.lines, b.span),
    selectionRange: toRange(a.lines, b.keyword.span),
    children,
  };
}

function attributeSymbol(a: Analysis, it: AttributeNode): lsp.DocumentSymbol {
  return {
    name: it.name.name,
    kind: lsp.SymbolKind.Property,
    detail: oneLine(a.text.slice(it.value.span.start, it.value.span.end)),
    range: toRange(a.lines, it.span),
    selectionRange: toRange(a.lines, it.name.span),
  };
}

function statementSymbol(a: Analysis, it: StatementNode): lsp.DocumentSymbol {
  const layer = a.semantics.layers.find((l) => l.callSpan.start === it.value.span.start);
  const call = oneLine(a.text.slice(it.value.span.start, it.value.span.end));
  const name = layer?.name ?? it.name?.name ?? call;
  const shape = layer?.plan ? ` → ${shapeLabel(layer.plan.output)}` : '';
  return {
    name: name || '?',
    kind: lsp.SymbolKind.Field,
    detail: call + shape,
    range: toRange(a.lines, it.span),
    selectionRange: toRange(a.lines, it.name?.span ?? it.value.span),
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ');
}

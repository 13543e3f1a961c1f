// Semantic tokens: what each name is (block keyword, technique, parameter, attribute, enum member,
// layer), plus literals and comments, so themes colour meaning rather than guesses from the grammar.

import type * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import type { Resolution } from '../../runtime/checker';
import type { Ident, Span, SyntaxNode } from '../../runtime/language';
import { resolveValueName, walkScoped, type Scope } from './scope';

export const SEMANTIC_TOKEN_TYPES = ['keyword', 'function', 'parameter', 'property', 'enumMember', 'variable', 'number', 'string', 'comment'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

export const SEMANTIC_TOKENS_LEGEND: lsp.SemanticTokensLegend = { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] };

export interface ClassifiedToken {
  readonly span: Span;
  readonly type: SemanticTokenType;
  readonly declaration: boolean;
}

export function semanticTokens(a: Analysis): lsp.SemanticTokens {
  const toks = classify(a);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of toks) {
    const p = a.lines.position(t.span.start);
    const length = t.span.end - t.span.start;
    if (length <= 0) continue;
    data.push(p.line - line, p.line === line ? p.character - char : p.character, length, SEMANTIC_TOKEN_TYPES.indexOf(t.type), t.declaration ? 1 : 0);
    line = p.line;
    char = p.character;
  }
  return { data };
}

/** Every classified token in text order; `semanticTokens` encodes these. */
export function classify(a: Analysis): ClassifiedToken[] {
  const out: ClassifiedToken[] = [];
  const add = (span: Span, type: SemanticTokenType, declaration = false) => out.push({ span, type, declaration });
  for (const c of a.tree.comments) add(c.span, 'comment');
  walkScoped(a, (node, scope, parent) => {
    switch (node.kind) {
      case 'number':
      case 'percent':
      case 'duration':
      case 'ratio':
        add(node.span, 'number');
        return;
      case 'string':
        add(node.span, 'string');
        return;
      case 'bool':
        add(node.span, 'keyword');
        return;
      case 'ident': {
        const type = identType(a, node, scope, parent);
        if (type) add(node.span, type.type, type.declaration);
        return;
      }
      default:
        return;
    }
  });
  return out.sort((x, y) => x.span.start - y.span.start);
}

function identType(a: Analysis, node: Ident, scope: Scope, parent: SyntaxNode): { type: SemanticTokenType; declaration: boolean } | undefined {
  if (parent.kind === 'block' && node === parent.keyword) return { type: 'keyword', declaration: false };
  if (parent.kind === 'attribute' && node === parent.name) return { type: 'property', declaration: false };
  if (parent.kind === 'arg' && node === parent.name) return { type: 'parameter', declaration: false };
  if (parent.kind === 'statement' && node === parent.name) return { type: 'variable', declaration: true };
  const r: Resolution | undefined = a.semantics.resolutions.get(node) ?? (scope.type ? resolveValueName(a, node.name, scope.type, scope.param) : undefined);
  if (r) return fromResolution(r);
  if (parent.kind === 'call' && node === parent.callee) return { type: 'function', declaration: false };
  return undefined;
}

function fromResolution(r: Resolution): { type: SemanticTokenType; declaration: boolean } {
  switch (r.kind) {
    case 'block':
      return { type: 'keyword', declaration: false };
    case 'attribute':
      return { type: 'property', declaration: false };
    case 'technique':
      return { type: 'function', declaration: false };
    case 'param':
      return { type: 'parameter', declaration: false };
    case 'enum':
      return { type: 'enumMember', declaration: false };
    case 'layer':
      return { type: 'variable', declaration: r.definition };
  }
}

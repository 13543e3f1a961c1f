// The syntax tree: readonly plain values with exact spans. It holds no semantic information;
// the checker keeps what it learns in side tables.

import type { Comment, DurationUnit } from './lexer';
import type { Span } from './text';

export interface FileNode {
  readonly kind: 'file';
  readonly span: Span;
  readonly blocks: readonly BlockNode[];
  readonly comments: readonly Comment[];
}

/** `keyword [label] { items }`, e.g. `data digits { … }`, `recipe "x" { … }`, `model onnx("m.onnx") { … }`. */
export interface BlockNode {
  readonly kind: 'block';
  readonly span: Span;
  readonly keyword: Ident;
  readonly label?: Value;
  /** The `{`; absent when the text lacks it. */
  readonly open?: Span;
  /** The `}`; absent when the block is not closed. */
  readonly close?: Span;
  readonly items: readonly Item[];
}

export type Item = AttributeNode | StatementNode;

/** `name = value`. In a `sweep` block the name may be a dotted path (`train.optimizer.lr`): one `Ident` whose name holds the dots; `pathSegments` splits it. */
export interface AttributeNode {
  readonly kind: 'attribute';
  readonly span: Span;
  readonly name: Ident;
  readonly value: Value;
}

/** A bare value in a block body, optionally named: `dense(128)` or `fc1: dense(128)` (model layers). */
export interface StatementNode {
  readonly kind: 'statement';
  readonly span: Span;
  readonly name?: Ident;
  readonly value: Value;
}

export type Value = NumberLit | PercentLit | DurationLit | RatioLit | StringLit | BoolLit | Ident | ListNode | CallNode | MissingNode | ErrorNode;

export interface NumberLit {
  readonly kind: 'number';
  readonly span: Span;
  readonly value: number;
  readonly text: string;
}

/** `80%`; `value` is the fraction (0.8). */
export interface PercentLit {
  readonly kind: 'percent';
  readonly span: Span;
  readonly value: number;
  readonly text: string;
}

/** `2ep`, `500step`. */
export interface DurationLit {
  readonly kind: 'duration';
  readonly span: Span;
  readonly value: number;
  readonly unit: DurationUnit | string;
  readonly text: string;
}

/** `2:4`: keep `n` of every `m`. */
export interface RatioLit {
  readonly kind: 'ratio';
  readonly span: Span;
  readonly n: number;
  readonly m: number;
  readonly text: string;
}

export interface StringLit {
  readonly kind: 'string';
  readonly span: Span;
  readonly value: string;
}

export interface BoolLit {
  readonly kind: 'bool';
  readonly span: Span;
  readonly value: boolean;
}

export interface Ident {
  readonly kind: 'ident';
  readonly span: Span;
  readonly name: string;
}

export interface ListNode {
  readonly kind: 'list';
  readonly span: Span;
  readonly items: readonly Value[];
  readonly close?: Span;
}

/** `name(args…)`, e.g. `sam(rho: 0.05, base: adamp(lr: 1e-3))`. */
export interface CallNode {
  readonly kind: 'call';
  readonly span: Span;
  readonly callee: Ident;
  readonly open: Span;
  readonly args: readonly ArgNode[];
  readonly close?: Span;
}

/** `value` or `name: value` inside a call. */
export interface ArgNode {
  readonly kind: 'arg';
  readonly span: Span;
  readonly name?: Ident;
  readonly value: Value;
}

/** Where a value is required but the text has none; its span is empty. */
export interface MissingNode {
  readonly kind: 'missing';
  readonly span: Span;
}

/** Tokens the parser could not make sense of; already reported. */
export interface ErrorNode {
  readonly kind: 'error';
  readonly span: Span;
  readonly text: string;
}

export type SyntaxNode = FileNode | BlockNode | Item | Value | ArgNode;

/** The children of a node in text order. */
export function children(node: SyntaxNode): SyntaxNode[] {
  switch (node.kind) {
    case 'file':
      return [...node.blocks];
    case 'block':
      return [node.keyword, ...(node.label ? [node.label] : []), ...node.items];
    case 'attribute':
      return [node.name, node.value];
    case 'statement':
      return [...(node.name ? [node.name] : []), node.value];
    case 'list':
      return [...node.items];
    case 'call':
      return [node.callee, ...node.args];
    case 'arg':
      return [...(node.name ? [node.name] : []), node.value];
    default:
      return [];
  }
}

/** The chain of nodes from the file down to the innermost node whose span contains `offset`. */
export function pathAt(file: FileNode, offset: number): SyntaxNode[] {
  const path: SyntaxNode[] = [file];
  let node: SyntaxNode = file;
  for (;;) {
    const next: SyntaxNode | undefined = children(node).find((c) => c.span.start <= offset && offset <= c.span.end && c.kind !== 'missing');
    if (!next) return path;
    path.push(next);
    node = next;
  }
}

/** Visits every node depth-first in text order. */
export function walk(node: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  visit(node);
  for (const c of children(node)) walk(c, visit);
}

/** The segments of a dotted name with their own spans: `train.optimizer.lr` → `train`, `optimizer`, `lr`. */
export function pathSegments(name: Ident): Ident[] {
  const out: Ident[] = [];
  let start = name.span.start;
  for (const part of name.name.split('.')) {
    out.push({ kind: 'ident', span: { start, end: start + part.length }, name: part });
    start += part.length + 1;
  }
  return out;
}

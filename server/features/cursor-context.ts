// Where the cursor stands, read from the tokens before it rather than from the tree, so that
// completion and signature help work on the half-typed lines an editor mostly shows
// (`optimizer = sam(rho: 0.05, ` with no closing parenthesis yet).

import type { Analysis } from '../../runtime/analysis';
import type { BlockSpec, ParamSpec, ParamType, TechniqueEntry } from '../../runtime/catalog';
import { lex, pathAt, type BlockNode, type CallNode, type ListNode, type Span, type Token } from '../../runtime/language';
import { elementType, entryFor, positionalParam } from './scope';

export type CursorContext =
  /** At the start of a top-level line: block keywords. */
  | { readonly kind: 'top'; readonly replace: Span }
  /** After a block keyword, before `{`: the block's label (data sources, models). */
  | { readonly kind: 'label'; readonly block: BlockSpec; readonly type: ParamType; readonly replace: Span }
  /** At the start of a line in a block body: attribute names, and layer kinds in the model. */
  | { readonly kind: 'item'; readonly block: BlockSpec | undefined; readonly blockNode: BlockNode | undefined; readonly named: boolean; readonly replace: Span }
  /** Where a value goes: after `=`, in a list, after `name:` in a call. */
  | { readonly kind: 'value'; readonly type: ParamType; readonly param: ParamSpec | undefined; readonly blockNode: BlockNode | undefined; readonly replace: Span; readonly list?: ListInfo }
  /** Inside a call's parentheses where an argument starts: parameter names (and values for the positional one). */
  | { readonly kind: 'arg'; readonly call: CallInfo; readonly blockNode: BlockNode | undefined; readonly replace: Span }
  | { readonly kind: 'none' };

/** A call the cursor is inside, as far as the text before the cursor tells. */
export interface CallInfo {
  readonly callee: string;
  readonly entry: TechniqueEntry | undefined;
  /** The offset of `(`; the tree's call node with this `open` has the arguments after the cursor too. */
  readonly open: number;
  /** The named argument under the cursor, if any. */
  readonly argName: string | undefined;
  /** The index of the positional argument under the cursor, among positional arguments. */
  readonly positional: number;
  /** True when every argument before the cursor is positional (a positional value may still come). */
  readonly onlyPositional: boolean;
}

export interface ListInfo {
  readonly open: number;
}

export interface CursorInfo {
  readonly context: CursorContext;
  /** The calls around the cursor, innermost last. */
  readonly calls: readonly CallInfo[];
}

export function cursorContext(a: Analysis, offset: number): CursorInfo {
  const block = [...a.tree.blocks].reverse().find((b) => b.keyword.span.start < offset);
  // Replaying from the start of the item before the cursor (rather than from the block's keyword)
  // keeps this cheap in a model of thousands of layers.
  const resume = block ? resumePoint(block, offset) : undefined;
  const start = resume ?? (block ? block.keyword.span.start : lineStartOf(a.text, offset));
  const slice = a.text.slice(start, offset);
  const lexed = lex(slice);
  const none: CursorInfo = { context: { kind: 'none' }, calls: [] };
  const lastComment = lexed.comments[lexed.comments.length - 1];
  if (lastComment && lastComment.span.end === slice.length) return none;
  const tokens = lexed.tokens.filter((t) => t.kind !== 'eof').map((t) => shift(t, start));
  const last = tokens[tokens.length - 1];
  // Inside a string or right after a number or a closing bracket there is nothing to complete,
  // but the calls around the cursor still matter to signature help.
  let completes = true;
  let prefixStart = offset;
  if (last && last.span.end === offset && (last.kind === 'ident' || last.kind === 'error')) {
    tokens.pop();
    prefixStart = last.span.start;
  } else if (last && last.span.end === offset && !OPENERS.has(last.kind)) {
    completes = false;
  }
  // A dotted sweep path being typed (`train.opt`) is one prefix, so its completion replaces all of it.
  while (tokens.length >= 2 && tokens[tokens.length - 1]!.kind === 'dot' && tokens[tokens.length - 1]!.span.end === prefixStart && tokens[tokens.length - 2]!.kind === 'ident') {
    tokens.pop();
    prefixStart = tokens.pop()!.span.start;
  }
  const replace = { start: prefixStart, end: wordEnd(a.text, offset) };
  // The cursor on a fresh line starts a new item, just as a token there would.
  const before = tokens[tokens.length - 1];
  const freshLine = !before || /[\r\n]/.test(a.text.slice(before.span.end, prefixStart));
  tokens.push({ kind: 'eof', span: { start: prefixStart, end: prefixStart }, text: '', lineStart: freshLine });
  const state = scan(tokens, block, resume !== undefined);
  const chain = resolveChain(a, state);
  const calls = chain.calls;
  if (!completes) return { context: { kind: 'none' }, calls };
  const blockSpec = state.block ? a.catalog.block(state.block.keyword.name) : undefined;
  if (!state.inBody) {
    if (!state.block && state.header.length === 0) return { context: { kind: 'top', replace }, calls };
    if (state.stack.length === 0 && state.header.length === 1) {
      const kw = state.header[0]!;
      const spec = kw.kind === 'ident' ? a.catalog.block(kw.text) : undefined;
      if (spec?.label.kind === 'technique') return { context: { kind: 'label', block: spec, type: { kind: 'technique', of: [spec.label.of] }, replace }, calls };
    }
    if (state.stack.length === 0) return { context: { kind: 'none' }, calls };
  }
  if (state.stack.length === 0) {
    const item = state.item;
    if (item.length === 0) return { context: { kind: 'item', block: blockSpec, blockNode: state.block, named: false, replace }, calls };
    if (item.length === 2 && item[0]!.kind === 'ident' && item[1]!.kind === 'colon' && blockSpec?.statements) {
      return { context: { kind: 'item', block: blockSpec, blockNode: state.block, named: true, replace }, calls };
    }
    if (item.length === 2 && item[0]!.kind === 'ident' && item[1]!.kind === 'eq' && chain.rootType) {
      return { context: { kind: 'value', type: chain.rootType, param: chain.rootParam, blockNode: state.block, replace }, calls };
    }
    return { context: { kind: 'none' }, calls };
  }
  const top = state.stack[state.stack.length - 1]!;
  const call = calls[calls.length - 1];
  if (top.kind === 'list') {
    if (top.sinceSep === 0 && chain.topType) return { context: { kind: 'value', type: chain.topType, param: chain.topParam, blockNode: state.block, replace, list: { open: top.open } }, calls };
    return { context: { kind: 'none' }, calls };
  }
  if (!call) return { context: { kind: 'none' }, calls };
  if (top.sinceSep === 0) return { context: { kind: 'arg', call, blockNode: state.block, replace }, calls };
  if (top.argName !== undefined && top.sinceColon === 0 && chain.topType) return { context: { kind: 'value', type: chain.topType, param: chain.topParam, blockNode: state.block, replace }, calls };
  return { context: { kind: 'none' }, calls };
}

/** The tree's call node whose `(` is at `open`, if the parser made one. */
export function callNodeAt(a: Analysis, open: number): CallNode | undefined {
  return pathAt(a.tree, open).find((n): n is CallNode => n.kind === 'call' && n.open.start === open);
}

/** The tree's list node whose `[` is at `open`, if the parser made one. */
export function listNodeAt(a: Analysis, open: number): ListNode | undefined {
  return pathAt(a.tree, open).find((n): n is ListNode => n.kind === 'list' && n.span.start === open);
}

/** Where an item of the block's body starts before `offset`; undefined when the cursor is not past the `{`. */
function resumePoint(block: BlockNode, offset: number): number | undefined {
  if (!block.open || offset <= block.open.start) return undefined;
  const items = block.items;
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.span.start < offset) return items[i]!.span.start;
  return undefined;
}

/** Tokens after which, with no space, a new word may start. */
const OPENERS: ReadonlySet<string> = new Set(['comma', 'lparen', 'lbracket', 'colon', 'eq', 'lbrace', 'rbrace', 'semicolon']);

interface Frame {
  readonly kind: 'call' | 'list';
  readonly callee: string;
  readonly open: number;
  positional: number;
  anyNamed: boolean;
  argName: string | undefined;
  sinceSep: number;
  sinceColon: number;
}

interface ScanState {
  readonly block: BlockNode | undefined;
  readonly inBody: boolean;
  readonly header: readonly Token[];
  readonly item: readonly Token[];
  readonly stack: readonly Frame[];
}

/** Replays the tokens before the cursor, tracking the block, the current item and the open brackets. */
function scan(tokens: readonly Token[], blockNode: BlockNode | undefined, startInBody: boolean): ScanState {
  let block = blockNode;
  let inBody = startInBody;
  let header: Token[] = [];
  let item: Token[] = [];
  let stack: Frame[] = [];
  let prev: Token | undefined;
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    // A line break ends an unclosed bracket unless the line before ended in `(`, `[`, `,` or `:` (as the parser does).
    if (top && t.lineStart && prev && prev.kind !== 'lparen' && prev.kind !== 'lbracket' && prev.kind !== 'comma' && prev.kind !== 'colon') stack = [];
    if (t.kind === 'eof') {
      // The cursor's own position: it only decides whether a new item (or header) starts here.
      if (stack.length === 0 && t.lineStart) {
        if (inBody) item = [];
        else if (header.length > 0) {
          block = undefined;
          header = [];
        }
      }
      break;
    }
    if (!inBody && stack.length === 0 && t.kind === 'lbrace' && block) {
      inBody = true;
      item = [];
    } else if (!inBody && stack.length === 0 && t.lineStart && header.length > 0) {
      // A header without `{` followed by a new line: a new top-level item starts.
      block = undefined;
      header = [t];
    } else if (t.kind === 'rbrace' && inBody) {
      inBody = false;
      block = undefined;
      header = [];
      stack = [];
      item = [];
    } else if (stack.length === 0) {
      if (inBody && (t.kind === 'semicolon' || t.lineStart)) item = [];
      if (t.kind !== 'semicolon') (inBody ? item : header).push(t);
    }
    const cur = stack[stack.length - 1];
    if (t.kind === 'lparen' || t.kind === 'lbracket') {
      if (cur) bump(cur);
      stack.push({ kind: t.kind === 'lparen' ? 'call' : 'list', callee: prev?.kind === 'ident' ? prev.text : '', open: t.span.start, positional: 0, anyNamed: false, argName: undefined, sinceSep: 0, sinceColon: 0 });
    } else if ((t.kind === 'rparen' && cur?.kind === 'call') || (t.kind === 'rbracket' && cur?.kind === 'list')) {
      stack.pop();
      const outer = stack[stack.length - 1];
      if (outer) bump(outer);
    } else if (cur && t.kind === 'comma') {
      if (cur.argName === undefined) cur.positional++;
      else cur.anyNamed = true;
      cur.argName = undefined;
      cur.sinceSep = 0;
      cur.sinceColon = 0;
    } else if (cur && t.kind === 'colon' && cur.kind === 'call' && cur.sinceSep === 1 && prev?.kind === 'ident') {
      cur.argName = prev.text;
      cur.sinceColon = 0;
    } else if (cur) {
      bump(cur);
    }
    prev = t;
  }
  return { block: inBody || header.length > 0 ? block : undefined, inBody, header, item, stack };
}

function bump(f: Frame): void {
  f.sinceSep++;
  if (f.argName !== undefined) f.sinceColon++;
}

interface Chain {
  readonly rootType: ParamType | undefined;
  readonly rootParam: ParamSpec | undefined;
  readonly topType: ParamType | undefined;
  readonly topParam: ParamSpec | undefined;
  readonly calls: CallInfo[];
}

/** Follows the expected type from the item's attribute (or the block's label) through each open bracket. */
function resolveChain(a: Analysis, s: ScanState): Chain {
  const spec = s.block ? a.catalog.block(s.block.keyword.name) : undefined;
  let rootType: ParamType | undefined;
  let rootParam: ParamSpec | undefined;
  if (!s.inBody) {
    if (spec?.label.kind === 'technique') rootType = { kind: 'technique', of: [spec.label.of] };
  } else if (s.item[0]?.kind === 'ident' && s.item[1]?.kind === 'eq') {
    rootParam = spec?.attributes.find((p) => p.name === s.item[0]!.text);
    rootType = rootParam?.type;
  } else if (spec?.statements) {
    rootType = { kind: 'technique', of: [spec.statements] };
  }
  let type = rootType;
  let param = rootParam;
  const calls: CallInfo[] = [];
  for (const f of s.stack) {
    if (f.kind === 'list') {
      type = type ? elementType(type) : undefined;
      continue;
    }
    const entry = entryFor(a.catalog, f.callee, type);
    calls.push({ callee: f.callee, entry, open: f.open, argName: f.argName, positional: f.positional, onlyPositional: !f.anyNamed && f.argName === undefined });
    param = entry ? (f.argName !== undefined ? entry.params.find((p) => p.name === f.argName) : positionalParam(entry, f.positional)) : undefined;
    type = param?.type;
  }
  return { rootType, rootParam, topType: type, topParam: param, calls };
}

function shift(t: Token, by: number): Token {
  return { ...t, span: { start: t.span.start + by, end: t.span.end + by } };
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function wordEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
  return i;
}

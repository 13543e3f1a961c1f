// The error-tolerant recursive-descent parser. `parse` never throws: it always returns a tree,
// with `missing` and `error` nodes where the text is broken, and one diagnostic per problem.
// Recovery points are block headers and attribute starts (`name =` at the start of a line), so a
// typo inside one attribute does not cascade into the rest of the file.

import { CODES } from './codes';
import { diagnostic, type Diagnostic } from './diagnostic';
import { lex, unquote, type Token, type TokenKind } from './lexer';
import type { ArgNode, BlockNode, CallNode, FileNode, Ident, Item, ListNode, Value } from './syntax';
import type { Span } from './text';

/**
 * How deeply lists and calls may nest. Deeper text becomes one `error` node with one diagnostic,
 * so that the parser and every stage after it (checker, formatter, editor features), which
 * recurse over values, see trees of bounded depth. Real recipes nest a few levels.
 */
export const MAX_NESTING = 64;

export interface ParseResult {
  readonly tree: FileNode;
  readonly errors: readonly Diagnostic[];
}

export function parse(text: string): ParseResult {
  const lexed = lex(text);
  const p = new Parser(lexed.tokens, text);
  const blocks = p.file();
  const tree: FileNode = { kind: 'file', span: { start: 0, end: text.length }, blocks, comments: lexed.comments };
  return { tree, errors: [...lexed.errors, ...p.errors].sort((a, b) => a.span.start - b.span.start) };
}

class Parser {
  readonly errors: Diagnostic[] = [];
  private pos = 0;
  /** Lists and calls open around the current token. */
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  file(): BlockNode[] {
    const blocks: BlockNode[] = [];
    while (!this.at('eof')) {
      const t = this.peek();
      if (t.kind === 'ident') {
        blocks.push(this.block());
      } else if (t.kind === 'rbrace') {
        this.bump();
        this.error(CODES.syntax, t.span, "unmatched '}': no block is open here");
      } else {
        // Skip to the next line that starts with a name; report the skipped text once.
        const start = t.span.start;
        let end = t.span.end;
        this.bump();
        while (!this.at('eof') && !(this.peek().lineStart && this.peek().kind === 'ident') && !this.looksLikeBlockStart(this.pos)) end = this.bump().span.end;
        // Error tokens were reported by the lexer already.
        if (t.kind !== 'error' && t.kind !== 'string') {
          const found = this.text.slice(start, Math.min(end, start + 20)).split(/[\r\n]/)[0];
          this.error(CODES.syntax, { start, end }, `expected a block such as 'train { … }', found '${found}'`);
        }
      }
    }
    return blocks;
  }

  private block(): BlockNode {
    const keyword = this.ident();
    let label: Value | undefined;
    const next = this.peek();
    if (!next.lineStart && (next.kind === 'ident' || next.kind === 'string' || next.kind === 'number' || next.kind === 'duration' || next.kind === 'percent' || next.kind === 'ratio' || next.kind === 'lbracket')) {
      label = this.value();
    }
    const headerEnd = label ? label.span.end : keyword.span.end;
    let open: Span | undefined;
    if (this.at('lbrace')) {
      open = this.bump().span;
    } else {
      const t = this.peek();
      this.error(CODES.syntax, { start: headerEnd, end: headerEnd }, `expected '{' after '${this.text.slice(keyword.span.start, headerEnd)}'`, t);
      // Without a body on the following lines, the block is just a header.
      if (t.kind === 'eof' || this.looksLikeBlockStart(this.pos) || !t.lineStart) {
        if (!t.lineStart && t.kind !== 'eof' && t.kind !== 'rbrace') this.skipLine();
        return { kind: 'block', span: { start: keyword.span.start, end: headerEnd }, keyword, ...(label ? { label } : {}), items: [] };
      }
    }
    const items: Item[] = [];
    let close: Span | undefined;
    let lastLine = -1;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || (t.lineStart && this.looksLikeBlockStart(this.pos) && items.length + (open ? 1 : 0) > 0)) {
        this.unclosed(keyword, open ?? { start: headerEnd, end: headerEnd }, t);
        break;
      }
      if (t.kind === 'rbrace') {
        close = this.bump().span;
        break;
      }
      if (t.kind === 'semicolon') {
        this.bump();
        lastLine = -1;
        continue;
      }
      if (!t.lineStart && lastLine === this.pos - 1 && items.length > 0) {
        this.error(CODES.missingSeparator, t.span, 'expected a line break or \';\' between two items');
      }
      const before = this.pos;
      items.push(this.item());
      lastLine = this.pos - 1;
      this.trailing();
      if (this.pos === before) this.bump();
    }
    const end = close?.end ?? items[items.length - 1]?.span.end ?? open?.end ?? headerEnd;
    return {
      kind: 'block',
      span: { start: keyword.span.start, end },
      keyword,
      ...(label ? { label } : {}),
      ...(open ? { open } : {}),
      ...(close ? { close } : {}),
      items,
    };
  }

  private item(): Item {
    const t = this.peek();
    if (this.attributeAhead()) {
      const name = this.dottedName();
      const eq = this.bump();
      const value = this.valueAfter(eq.span, 'attribute');
      return { kind: 'attribute', span: { start: name.span.start, end: Math.max(value.span.end, eq.span.end) }, name, value };
    }
    if (t.kind === 'ident' && this.peekAt(1).kind === 'colon' && !this.peekAt(2).lineStart) {
      const name = this.ident();
      const colon = this.bump();
      const value = this.valueAfter(colon.span, 'statement');
      return { kind: 'statement', span: { start: name.span.start, end: Math.max(value.span.end, colon.span.end) }, name, value };
    }
    const value = this.value();
    return { kind: 'statement', span: value.span, value };
  }

  /** Tokens left on the line after an item: one diagnostic, then skip them. */
  private trailing(): void {
    const t = this.peek();
    if (t.lineStart || t.kind === 'rbrace' || t.kind === 'semicolon' || t.kind === 'eof') return;
    if (this.attributeAhead() || (t.kind === 'ident' && this.peekAt(1).kind === 'lparen')) return; // a second item; reported as missing separator
    const start = t.span.start;
    const end = this.skipLine();
    // An error token was reported by the lexer already: one typo, one diagnostic.
    if (t.kind === 'error') return;
    this.error(CODES.syntax, { start, end }, `unexpected '${this.text.slice(start, Math.min(end, start + 24))}' after the value`);
  }

  /** A value after `=` or `:`; a line break followed by a new item means the value is missing. */
  private valueAfter(after: Span, what: 'attribute' | 'statement'): Value {
    const t = this.peek();
    const endsHere =
      t.kind === 'eof' ||
      t.kind === 'rbrace' ||
      t.kind === 'semicolon' ||
      (t.lineStart && (this.attributeAhead() || (t.kind === 'ident' && this.peekAt(1).kind === 'colon') || this.looksLikeBlockStart(this.pos)));
    if (endsHere) {
      const at = { start: after.end, end: after.end };
      this.error(CODES.syntax, at, what === 'attribute' ? "expected a value after '='" : "expected a layer after ':'");
      return { kind: 'missing', span: at };
    }
    return this.value();
  }

  /** Parses one value. Line breaks inside brackets are handled by `sequence`. */
  private value(): Value {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.bump();
        return { kind: 'number', span: t.span, value: Number(t.text), text: t.text };
      case 'percent':
        this.bump();
        return { kind: 'percent', span: t.span, value: Number(t.text.slice(0, -1)) / 100, text: t.text };
      case 'duration': {
        this.bump();
        const m = /^(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)([A-Za-z_][A-Za-z0-9_]*)$/.exec(t.text);
        return { kind: 'duration', span: t.span, value: Number(m?.[1] ?? NaN), unit: m?.[2] ?? '', text: t.text };
      }
      case 'ratio': {
        this.bump();
        const [n, m] = t.text.split(':').map(Number);
        return { kind: 'ratio', span: t.span, n: n ?? 0, m: m ?? 0, text: t.text };
      }
      case 'string':
        this.bump();
        return { kind: 'string', span: t.span, value: unquote(t.text) };
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          this.bump();
          return { kind: 'bool', span: t.span, value: t.text === 'true' };
        }
        const callee = this.ident();
        if (this.at('lparen') && !this.peek().lineStart) return this.depth >= MAX_NESTING ? this.tooDeep(callee.span.start) : this.call(callee);
        return callee;
      }
      case 'lbracket':
        return this.depth >= MAX_NESTING ? this.tooDeep(t.span.start) : this.list();
      case 'rbrace':
      case 'rparen':
      case 'rbracket':
      case 'comma':
      case 'semicolon':
      case 'eof': {
        const at = this.prevEnd();
        this.error(CODES.syntax, { start: at, end: at }, 'expected a value', t);
        return { kind: 'missing', span: { start: at, end: at } };
      }
      default: {
        this.bump();
        if (t.kind !== 'error') this.error(CODES.syntax, t.span, `expected a value, found '${t.text}'`);
        return { kind: 'error', span: t.span, text: t.text };
      }
    }
  }

  private call(callee: Ident): CallNode {
    const open = this.bump().span;
    const args: ArgNode[] = [];
    this.depth++;
    const close = this.sequence('rparen', ')', open, () => {
      const t = this.peek();
      if (t.kind === 'ident' && this.peekAt(1).kind === 'colon') {
        const name = this.ident();
        const colon = this.bump();
        const nt = this.peek();
        const value: Value =
          nt.kind === 'comma' || nt.kind === 'rparen'
            ? (this.error(CODES.syntax, { start: colon.span.end, end: colon.span.end }, `expected a value for '${name.name}'`), { kind: 'missing', span: { start: colon.span.end, end: colon.span.end } })
            : this.value();
        args.push({ kind: 'arg', span: { start: name.span.start, end: Math.max(value.span.end, colon.span.end) }, name, value });
      } else {
        const value = this.value();
        args.push({ kind: 'arg', span: value.span, value });
      }
    });
    this.depth--;
    const end = close?.end ?? args[args.length - 1]?.span.end ?? open.end;
    return { kind: 'call', span: { start: callee.span.start, end }, callee, open, args, ...(close ? { close } : {}) };
  }

  private list(): ListNode {
    const open = this.bump().span;
    const items: Value[] = [];
    this.depth++;
    const close = this.sequence('rbracket', ']', open, () => items.push(this.value()));
    this.depth--;
    const end = close?.end ?? items[items.length - 1]?.span.end ?? open.end;
    return { kind: 'list', span: { start: open.start, end }, items, ...(close ? { close } : {}) };
  }

  /**
   * A list or call at `start` (the '[' or the callee) nested past `MAX_NESTING`: its tokens up to
   * the matching closer, without recursion, become one error node. It stops early where the
   * enclosing sequence would (the end of the file, a '}', a new attribute or block), so the
   * brackets left open there are reported as unclosed.
   */
  private tooDeep(start: number): Value {
    let open = 0;
    let end = start;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'rbrace') break;
      if (open > 0 && t.lineStart && ((t.kind === 'ident' && this.peekAt(1).kind === 'eq') || this.looksLikeBlockStart(this.pos))) break;
      this.bump();
      end = t.span.end;
      if (t.kind === 'lparen' || t.kind === 'lbracket') open++;
      else if ((t.kind === 'rparen' || t.kind === 'rbracket') && --open <= 0) break;
    }
    this.error(CODES.syntax, { start, end }, `nesting deeper than ${MAX_NESTING} levels: lists and calls may nest at most ${MAX_NESTING} deep`);
    return { kind: 'error', span: { start, end }, text: this.text.slice(start, end) };
  }

  /** Comma-separated elements up to `closer`; returns the closer's span, or undefined when unclosed. */
  private sequence(closer: TokenKind, closeText: string, open: Span, element: () => void): Span | undefined {
    let reportedComma = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === closer) return this.bump().span;
      if (t.kind === 'eof' || t.kind === 'rbrace' || (t.lineStart && this.endsSequence())) {
        const at = this.prevEnd();
        this.error(CODES.unclosed, open, `'${this.text.slice(open.start, open.end)}' is not closed: expected '${closeText}'`, undefined, [
          { title: `Insert '${closeText}'`, edits: [{ span: { start: at, end: at }, newText: closeText }], preferred: true },
        ]);
        return undefined;
      }
      if (t.kind === 'comma') {
        this.bump();
        this.error(CODES.syntax, t.span, `expected a value before ','`);
        continue;
      }
      const before = this.pos;
      element();
      if (this.pos === before) this.bump();
      const after = this.peek();
      if (after.kind === 'comma') {
        this.bump();
      } else if (!reportedComma && after.kind !== closer && after.kind !== 'eof' && after.kind !== 'rbrace' && !(after.lineStart && this.endsSequence())) {
        reportedComma = true;
        this.error(CODES.syntax, { start: after.span.start, end: after.span.start }, `expected ',' or '${closeText}'`);
      }
    }
  }

  /**
   * At a line start inside brackets: does this line begin a new item rather than continue the
   * sequence? A sequence continues on the next line only after '(', '[', ',' or ':'.
   */
  private endsSequence(): boolean {
    const prev = this.tokens[this.pos - 1]?.kind;
    if (prev !== 'lparen' && prev !== 'lbracket' && prev !== 'comma' && prev !== 'colon') return true;
    return this.attributeAhead() || this.looksLikeBlockStart(this.pos);
  }

  /** `name =` or a dotted `a.b.c =` (sweep paths) at the current token. */
  private attributeAhead(): boolean {
    if (!this.at('ident')) return false;
    let k = 1;
    while (this.peekAt(k).kind === 'dot' && this.peekAt(k + 1).kind === 'ident') k += 2;
    return this.peekAt(k).kind === 'eq';
  }

  /** A name, joined with its dotted segments into one `Ident` (`train.optimizer.lr`); see `pathSegments`. */
  private dottedName(): Ident {
    const first = this.ident();
    let end = first.span.end;
    while (this.at('dot') && this.peekAt(1).kind === 'ident') {
      this.bump();
      end = this.bump().span.end;
    }
    return end === first.span.end ? first : { kind: 'ident', span: { start: first.span.start, end }, name: this.text.slice(first.span.start, end) };
  }

  /** `ident [label] {` on one line. */
  private looksLikeBlockStart(p: number): boolean {
    const first = this.tokens[p];
    if (!first || first.kind !== 'ident') return false;
    let i = p + 1;
    const tok = (k: number) => this.tokens[k];
    const sameLine = (k: number) => tok(k) !== undefined && !tok(k)!.lineStart;
    if (sameLine(i) && tok(i)!.kind === 'lbrace') return true;
    if (!sameLine(i)) return false;
    const label = tok(i)!;
    if (label.kind === 'string') return sameLine(i + 1) && tok(i + 1)!.kind === 'lbrace';
    if (label.kind !== 'ident') return false;
    i++;
    if (sameLine(i) && tok(i)!.kind === 'lbrace') return true;
    if (!(sameLine(i) && tok(i)!.kind === 'lparen')) return false;
    let depth = 0;
    for (; sameLine(i); i++) {
      const k = tok(i)!.kind;
      if (k === 'lparen') depth++;
      else if (k === 'rparen' && --depth === 0) return sameLine(i + 1) && tok(i + 1)!.kind === 'lbrace';
    }
    return false;
  }

  private unclosed(keyword: Ident, open: Span, at: Token): void {
    // Insert the brace at the end of the last line before the token that ended the block.
    let insertAt = at.kind === 'eof' ? this.text.length : at.span.start;
    while (insertAt > 0 && /\s/.test(this.text[insertAt - 1] ?? '')) insertAt--;
    this.error(CODES.unclosed, open, `the '${keyword.name}' block is not closed: expected '}'`, undefined, [
      { title: "Insert '}'", edits: [{ span: { start: insertAt, end: insertAt }, newText: '\n}' }], preferred: true },
    ]);
  }

  private skipLine(): number {
    let end = this.peek().span.end;
    while (!this.at('eof') && !this.peek().lineStart && !this.at('rbrace')) end = this.bump().span.end;
    return end;
  }

  private ident(): Ident {
    const t = this.bump();
    return { kind: 'ident', span: t.span, name: t.text };
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peekAt(k: number): Token {
    return this.tokens[this.pos + k] ?? this.tokens[this.tokens.length - 1]!;
  }

  private at(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }

  private bump(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private prevEnd(): number {
    return this.tokens[this.pos - 1]?.span.end ?? 0;
  }

  private error(code: string, span: Span, message: string, found?: Token, fixes?: Diagnostic['fixes']): void {
    const suffix = found && found.kind !== 'eof' && !message.includes('found') ? `, found '${found.text}'` : found?.kind === 'eof' ? ', found the end of the file' : '';
    // One error per offset: a second complaint at the same place is noise.
    if (this.errors.some((e) => e.span.start === span.start && e.code === code)) return;
    this.errors.push(diagnostic(code, 'error', span, message + suffix, fixes ? { fixes } : {}));
  }
}

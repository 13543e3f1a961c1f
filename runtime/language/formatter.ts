// The formatter: one canonical layout for a recipe, printed from the syntax tree and its comments.
//
// Layout: two-space indentation; one blank line between top-level blocks; blank lines inside a
// block kept (at most one in a row); `name = value`; `name: value` in calls and named layers;
// `, ` between arguments and list items; no spaces inside brackets; literals exactly as written.
// A call or list written over several lines stays multi-line, one element per line, with no
// trailing comma. Own-line comments keep their place; trailing comments stay at the end of their
// line. A file with syntax errors is returned unchanged, and so is any output that would not
// parse back to the same tree (a safety net: the formatter never destroys text).

import type { Comment } from './lexer';
import { parse } from './parser';
import type { ArgNode, BlockNode, FileNode, Item, Value } from './syntax';

export function format(text: string): string {
  const { tree, errors } = parse(text);
  if (errors.length > 0) return text;
  const out = new Printer(text, tree.comments).file(tree);
  const again = parse(out);
  if (again.errors.length > 0 || JSON.stringify(treeShape(again.tree)) !== JSON.stringify(treeShape(tree))) return text;
  return out;
}

/**
 * The tree without positions: what formatting must preserve. Spans (and the `open`/`close`
 * bracket spans) are dropped, and comments compare by text (trailing blanks trimmed) and placement.
 */
export function treeShape(tree: FileNode): unknown {
  return strip({ ...tree, comments: tree.comments.map((c) => ({ text: c.text.trimEnd(), ownLine: c.ownLine })) });
}

const POSITION_KEYS = new Set(['span', 'open', 'close']);

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!POSITION_KEYS.has(k)) out[k] = strip(x);
  return out;
}

const INDENT = '  ';
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Prints tokens line by line. Source tokens carry their offsets so that comments lying before
 * them are flushed first; punctuation the tree does not keep (`=`, `:`, `,`) is synthetic.
 */
class Printer {
  private readonly lines: string[] = [];
  private line = '';
  private lineIndent = 0;
  private indent = 0;
  private nextComment = 0;
  /** Source end of the last token or comment printed. */
  private lastSrc = 0;
  private pendingSpace = false;
  /** True after a comment broke an item in two: the rest is indented one level deeper. */
  private continuation = false;
  /** The next line starts right after an opening bracket: no blank line there. */
  private afterOpen = true;
  /** The next line at top level follows a block: it gets a blank line. */
  private afterBlock = false;

  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
  ) {}

  file(f: FileNode): string {
    for (const b of f.blocks) {
      this.block(b);
      this.newline();
      this.afterBlock = true;
    }
    this.flushBefore(Number.POSITIVE_INFINITY);
    this.newline();
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }

  private block(b: BlockNode): void {
    this.token(b.keyword.name, b.keyword.span.start, b.keyword.span.end);
    if (b.label) {
      this.space();
      this.value(b.label);
    }
    // Blocks without braces only occur with syntax errors, which never reach the printer.
    if (!b.open || !b.close) return;
    this.space();
    this.token('{', b.open.start, b.open.end);
    if (b.items.length === 0 && !this.hasCommentBefore(b.close.start)) {
      this.token('}', b.close.start, b.close.end);
      return;
    }
    this.open();
    for (const item of b.items) {
      this.item(item);
      this.newline();
    }
    this.close('}', b.close.start, b.close.end);
  }

  private item(item: Item): void {
    if (item.kind === 'attribute') {
      this.token(item.name.name, item.name.span.start, item.name.span.end);
      this.space();
      this.punct('=');
      this.space();
    } else if (item.name) {
      this.token(item.name.name, item.name.span.start, item.name.span.end);
      this.punct(':');
      this.space();
    }
    this.value(item.value);
  }

  private value(v: Value): void {
    switch (v.kind) {
      case 'number':
      case 'percent':
      case 'duration':
      case 'ratio':
        return this.token(v.text, v.span.start, v.span.end);
      case 'string':
      case 'error':
        return this.token(this.text.slice(v.span.start, v.span.end), v.span.start, v.span.end);
      case 'bool':
        return this.token(v.value ? 'true' : 'false', v.span.start, v.span.end);
      case 'ident':
        return this.token(v.name, v.span.start, v.span.end);
      case 'missing':
        return;
      case 'list':
        return this.sequence('[', ']', v.span.start, v.close?.start, v.items, (x) => this.value(x));
      case 'call':
        this.token(v.callee.name, v.callee.span.start, v.callee.span.end);
        return this.sequence('(', ')', v.open.start, v.close?.start, v.args, (a) => this.arg(a));
    }
  }

  private arg(a: ArgNode): void {
    if (a.name) {
      this.token(a.name.name, a.name.span.start, a.name.span.end);
      this.punct(':');
      this.space();
    }
    this.value(a.value);
  }

  /** `(a, b)` on one line, or one element per line when the source spread it over several. */
  private sequence<T>(openText: string, closeText: string, openAt: number, closeAt: number | undefined, elems: readonly T[], print: (e: T) => void): void {
    this.token(openText, openAt, openAt + 1);
    const end = closeAt ?? openAt + 1;
    const multiline = /[\r\n]/.test(this.text.slice(openAt, end));
    if (!multiline || (elems.length === 0 && !this.hasCommentBefore(end))) {
      elems.forEach((e, i) => {
        if (i > 0) {
          this.punct(',');
          this.space();
        }
        print(e);
      });
      if (closeAt !== undefined) this.token(closeText, closeAt, closeAt + 1);
      return;
    }
    this.open();
    elems.forEach((e, i) => {
      print(e);
      if (i < elems.length - 1) this.punct(',');
      this.newline();
    });
    this.close(closeText, end, closeAt === undefined ? end : closeAt + 1);
  }

  private open(): void {
    this.newline();
    this.indent++;
    this.afterOpen = true;
  }

  /** Comments before the closer stay inside, at the inner indentation. */
  private close(closeText: string, at: number, end: number): void {
    this.flushBefore(at);
    this.newline();
    this.indent--;
    this.afterOpen = true;
    this.token(closeText, at, end);
  }

  private token(s: string, at: number, end: number): void {
    this.flushBefore(at);
    if (this.line === '') this.startLine(at);
    else if (this.pendingSpace) this.line += ' ';
    this.line += s;
    this.pendingSpace = false;
    this.lastSrc = end;
  }

  private punct(s: string): void {
    if (this.line === '') this.startLine(this.lastSrc);
    else if (this.pendingSpace) this.line += ' ';
    this.line += s;
    this.pendingSpace = false;
  }

  private space(): void {
    this.pendingSpace = true;
  }

  /** Ends the current line, taking along a trailing comment that sat at the end of it in the source. */
  private newline(): void {
    const c = this.comments[this.nextComment];
    if (c && !c.ownLine && /^[ \t\f\v,;]*$/.test(this.text.slice(this.lastSrc, c.span.start))) {
      this.nextComment++;
      this.appendTrailing(c);
    }
    this.commit();
    this.continuation = false;
  }

  private flushBefore(offset: number): void {
    for (let c = this.comments[this.nextComment]; c && c.span.start < offset; c = this.comments[this.nextComment]) {
      this.nextComment++;
      if (c.ownLine) {
        if (this.line !== '') {
          this.commit();
          this.continuation = true;
        }
        this.startLine(c.span.start);
        this.line = c.text.trimEnd();
        this.lastSrc = c.span.end;
        this.commit();
      } else {
        if (this.line !== '') this.continuation = true;
        this.appendTrailing(c);
        this.commit();
      }
    }
  }

  private appendTrailing(c: Comment): void {
    const text = c.text.trimEnd();
    if (this.line !== '') this.line += ' ' + text;
    else {
      // NOTE: a trailing comment whose line was already ended joins the last printed line.
      const last = this.lines.length - 1;
      if (last >= 0 && this.lines[last] !== '') this.lines[last] += ' ' + text;
      else {
        this.startLine(c.span.start);
        this.line = text;
      }
    }
    this.lastSrc = c.span.end;
  }

  private startLine(at: number): void {
    const level = this.indent + (this.continuation ? 1 : 0);
    const prev = this.lines[this.lines.length - 1];
    if (prev !== undefined && prev !== '' && !this.continuation) {
      const forced = this.afterBlock && level === 0;
      const kept = !this.afterOpen && (this.text.slice(this.lastSrc, Math.max(this.lastSrc, at)).match(LINE_BREAK)?.length ?? 0) >= 2;
      if (forced || kept) this.lines.push('');
    }
    this.afterOpen = false;
    this.afterBlock = false;
    this.lineIndent = level;
    this.pendingSpace = false;
  }

  private commit(): void {
    if (this.line === '') return;
    this.lines.push(INDENT.repeat(this.lineIndent) + this.line);
    this.line = '';
  }

  private hasCommentBefore(offset: number): boolean {
    const c = this.comments[this.nextComment];
    return c !== undefined && c.span.start < offset;
  }
}

// Offsets, spans and the conversion to line/column positions.

/** A half-open range of UTF-16 offsets into the document text: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A zero-based line and UTF-16 column, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A replacement of the text in `span` by `newText`. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function contains(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Converts offsets to positions and back; built once per document version. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.lineStarts[lo] ?? 0) };
  }

  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line] ?? 0;
    const next = this.lineStarts[pos.line + 1];
    const lineEnd = next === undefined ? this.text.length : this.stripEol(next);
    return Math.min(start + Math.max(0, pos.character), lineEnd);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  private stripEol(nextStart: number): number {
    let e = nextStart;
    if (this.text.charCodeAt(e - 1) === 10) e--;
    if (this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/**
 * `s` with the characters that would act on a terminal or an editor rather than show written as
 * escapes: C0 and C1 controls and DEL as `\x1b`, the line breaks and tab as `\n`, `\r`, `\t`, and the
 * line separators and bidirectional overrides as `\u202e`. Messages quote source text through
 * it, so a binary file cannot ring the bell or recolour the terminal. Applying it twice changes
 * nothing.
 */
export function printable(s: string): string {
  if (!UNPRINTABLE.test(s)) return s;
  // NOTE: a global regex keeps `lastIndex` between calls, so each call makes its own.
  return s.replace(new RegExp(UNPRINTABLE.source, 'g'), (c) => {
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// NOTE: C1 controls (0x80–0x9f) matter too: 0x9b alone starts an escape sequence on many terminals.
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// Line-aware access to the document text, for building quick fixes that insert or delete whole
// lines with the surrounding indentation. The syntax tree holds spans only, so fixes need the text.

import { LineIndex, type Span } from '../language';

export class Source {
  /** Built on the first `line()` call: most checks never need line numbers. */
  private index: LineIndex | undefined;

  constructor(readonly text: string) {}

  /** The 1-based line that holds `offset`, as people count lines (for messages read without the text). */
  line(offset: number): number {
    this.index ??= new LineIndex(this.text);
    return this.index.position(offset).line + 1;
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    let i = Math.max(0, Math.min(offset, this.text.length));
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** The offset just after the line break ending the line that holds `offset` (or the end of the text). */
  nextLineStart(offset: number): number {
    let i = Math.max(0, Math.min(offset, this.text.length));
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    if (this.text[i] === '\r') i++;
    if (this.text[i] === '\n') i++;
    return i;
  }

  /** The leading whitespace of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    let i = start;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text.slice(start, i);
  }

  /** True when only whitespace precedes `offset` on its line. */
  startsLine(offset: number): boolean {
    return this.text.slice(this.lineStart(offset), offset).trim() === '';
  }

  /**
   * The whole lines covered by `span`, line break included, when nothing else shares them;
   * otherwise just `span`. Deleting it removes a line without leaving a blank one behind.
   */
  lines(s: Span): Span {
    const start = this.lineStart(s.start);
    const end = this.nextLineStart(s.end);
    const before = this.text.slice(start, s.start).trim();
    const after = this.text.slice(s.end, end).trim();
    if (before === '' && (after === '' || after.startsWith('#'))) return { start, end };
    return s;
  }
}

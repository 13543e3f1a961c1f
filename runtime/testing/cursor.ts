// Fixtures with markers, for editor-feature tests: `$0` marks the cursor and `<|…|>` marks
// ranges (rust-analyzer and Langium style). `parseFixture` strips the markers and returns the
// clean text with the cursor offset and the marked spans; `fixture` also analyzes the text.
// Knows the analysis and text positions only, so any feature's tests can use it.

import { analyze, type Analysis } from '../analysis';
import { LineIndex, type Position, type Span } from '../language';

export interface Fixture {
  /** The text without markers. */
  readonly text: string;
  /** The offset of `$0`, if the fixture has one. */
  readonly cursor: number | undefined;
  /** The `<|…|>` ranges, in text order, as spans of the clean text. */
  readonly ranges: readonly Span[];
}

export interface AnalyzedFixture extends Fixture {
  readonly analysis: Analysis;
  /** The cursor as a line/character position; throws when the fixture has no `$0`. */
  readonly position: Position;
  /** The marked ranges as line/character ranges. */
  readonly lspRanges: readonly { readonly start: Position; readonly end: Position }[];
}

/** Strips the markers of a fixture. Markers may nest: `<|a<|b|>|>`. */
export function parseFixture(marked: string): Fixture {
  let text = '';
  let cursor: number | undefined;
  const open: number[] = [];
  const ranges: Span[] = [];
  for (let i = 0; i < marked.length; ) {
    if (marked.startsWith('$0', i)) {
      if (cursor !== undefined) throw new Error('fixture has two $0 markers');
      cursor = text.length;
      i += 2;
    } else if (marked.startsWith('<|', i)) {
      open.push(text.length);
      i += 2;
    } else if (marked.startsWith('|>', i) && open.length > 0) {
      ranges.push({ start: open.pop()!, end: text.length });
      i += 2;
    } else {
      text += marked[i];
      i++;
    }
  }
  if (open.length > 0) throw new Error('fixture has an unclosed <| marker');
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text, cursor, ranges };
}

/** Parses the markers and analyzes the clean text. */
export function fixture(marked: string): AnalyzedFixture {
  const f = parseFixture(trimIndent(marked));
  const analysis = analyze(f.text);
  return {
    ...f,
    analysis,
    get position(): Position {
      if (f.cursor === undefined) throw new Error('fixture has no $0 cursor');
      return analysis.lines.position(f.cursor);
    },
    lspRanges: f.ranges.map((r) => ({ start: analysis.lines.position(r.start), end: analysis.lines.position(r.end) })),
  };
}

/**
 * Removes the common indentation and the first and last blank lines of a template literal, so
 * fixtures can be written indented inside tests and still mean unindented text.
 */
export function trimIndent(s: string): string {
  const lines = s.split('\n');
  if (lines.length > 1 && lines[0]!.trim() === '') lines.shift();
  if (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n') + '\n';
}

/** Applies LSP-style edits (line/character ranges) to a text, for checking fixes, renames and formatting. */
export function applyLspEdits(text: string, edits: readonly { readonly range: { readonly start: Position; readonly end: Position }; readonly newText: string }[]): string {
  const a = new LineIndex(text);
  const spans = edits.map((e) => ({ start: a.offset(e.range.start), end: a.offset(e.range.end), newText: e.newText }));
  spans.sort((x, y) => y.start - x.start || y.end - x.end);
  let out = text;
  for (const e of spans) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

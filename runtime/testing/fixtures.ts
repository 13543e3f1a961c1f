// Fixtures with inline expected diagnostics, rust-analyzer style. A marker line is a comment
// under the line it describes:
//
//   optimizer = sam(rho: -1, base: sgd())
// #                      ^^ error M019: rho must be
//
// The carets give the columns of the span on the nearest preceding line that is not a marker
// line, followed by the severity, the code and a substring of the message. Several marker lines
// may follow one line. A single `^` matches an empty span at its column as well as a one-character
// span there (both are written that way). A span that runs onto later lines adds `(to +K:C)`
// after the code: it ends K non-marker lines below, at 0-based column C. Carets written directly
// after the `#` (no space) are read one column to the left, so spans at columns 0 and 1 can be
// written: `#^^^^^` under `trian {` marks columns 0–4, ` #^` marks column 1. Marker lines are
// ordinary comments, so the fixture is itself a valid input with the same offsets.

import { LineIndex, type Diagnostic, type Severity, type Span } from '../language';

export interface ExpectedDiagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly span: Span;
  /** A substring the actual message must contain. */
  readonly message: string;
  /** 1-based line of the marker, for failure messages. */
  readonly markerLine: number;
}

const MARKER = /^\s*#(\s*)(\^+)\s+(error|warning|info)\s+(M\d{3})(?:\s+\(to \+(\d+):(\d+)\))?:\s?(.*)$/;

export function isMarkerLine(line: string): boolean {
  return MARKER.test(line);
}

/** The expected diagnostics written in a fixture's marker lines. */
export function parseMarkers(text: string): ExpectedDiagnostic[] {
  const lines = splitLines(text);
  const out: ExpectedDiagnostic[] = [];
  let target: number | undefined;
  lines.forEach((line, i) => {
    const m = MARKER.exec(line.text);
    if (!m) {
      target = i;
      return;
    }
    const [, gap, carets = '^', severity, code = '', down, col, message = ''] = m;
    const base = target === undefined ? undefined : lines[target];
    if (!base) return;
    const start = base.start + line.text.indexOf('^') - (gap === '' ? 1 : 0);
    let end = start + carets.length;
    if (down !== undefined && col !== undefined) {
      const endLine = contentLines(lines).filter((k) => k > (target ?? 0))[Number(down) - 1];
      end = (endLine === undefined ? base.start : (lines[endLine]?.start ?? 0)) + Number(col);
    }
    out.push({ severity: severity as Severity, code, span: { start, end }, message: message.trim(), markerLine: i + 1 });
  });
  return out;
}

/** Differences between expected and actual diagnostics, one readable line each; empty when they agree. */
export function compareDiagnostics(text: string, expected: readonly ExpectedDiagnostic[], actual: readonly Diagnostic[]): string[] {
  const lines = new LineIndex(text);
  const where = (s: Span) => {
    const p = lines.position(s.start);
    return `${p.line + 1}:${p.character + 1} [${s.start}, ${s.end})`;
  };
  const left = [...actual];
  const problems: string[] = [];
  for (const e of expected) {
    const i = left.findIndex((a) => a.severity === e.severity && a.code === e.code && spanMatches(e, a.span) && a.message.includes(e.message));
    if (i >= 0) left.splice(i, 1);
    else {
      const near = actual.filter((a) => a.code === e.code).map((a) => `${where(a.span)} ${a.severity} "${a.message}"`);
      problems.push(`missing (marker line ${e.markerLine}): ${e.severity} ${e.code} at ${where(e.span)} containing "${e.message}"${near.length ? `; same code found at ${near.join(' | ')}` : ''}`);
    }
  }
  for (const a of left) problems.push(`unexpected: ${a.severity} ${a.code} at ${where(a.span)}: ${a.message}`);
  return problems;
}

/** The fixture rewritten with marker lines describing `actual` (for `UPDATE_EXPECT=1`). */
export function renderMarkers(text: string, actual: readonly Diagnostic[]): string {
  const lines = splitLines(text);
  const content = contentLines(lines);
  const index = new LineIndex(text);
  const byLine = new Map<number, string[]>();
  const sorted = [...actual].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (const d of sorted) {
    const start = index.position(d.span.start);
    const end = index.position(d.span.end);
    const line = lines[start.line];
    if (!line) continue;
    const lineLength = line.text.length;
    let carets = Math.max(1, d.span.end - d.span.start);
    let to = '';
    if (end.line > start.line) {
      carets = Math.max(1, lineLength - start.character);
      const down = content.filter((k) => k > start.line && k <= end.line).length;
      to = ` (to +${down}:${end.character})`;
    }
    // The first 40 characters, extended to the end of the word so names are not cut in half.
    // A did-you-mean suggestion is kept whole: it is what most fixtures are about.
    const cut = Math.max(/^.{40}\S*/s.exec(d.message)?.[0].length ?? 0, (/did you mean '[^']*'\?/.exec(d.message)?.index ?? -1) >= 0 ? /^.*?did you mean '[^']*'\?/s.exec(d.message)![0].length : 0);
    const msg = d.message.slice(0, Math.max(cut, 40));
    const lead = start.character >= 2 ? `#${' '.repeat(start.character - 1)}` : start.character === 1 ? ' #' : '#';
    const exact = `${lead}${'^'.repeat(carets)} ${d.severity} ${d.code}${to}: ${msg}`.trimEnd();
    byLine.set(start.line, [...(byLine.get(start.line) ?? []), exact]);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (MARKER.test(line.text)) return;
    out.push(line.text + line.eol);
    for (const m of byLine.get(i) ?? []) out.push(`${m}${line.eol || '\n'}`);
  });
  return out.join('');
}

interface Line {
  readonly text: string;
  readonly start: number;
  readonly eol: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), start, eol: m[0] });
    start = m.index + m[0].length;
  }
  out.push({ text: text.slice(start), start, eol: '' });
  return out;
}

function contentLines(lines: readonly Line[]): number[] {
  return lines.flatMap((l, i) => (MARKER.test(l.text) ? [] : [i]));
}

function spanMatches(e: ExpectedDiagnostic, s: Span): boolean {
  if (s.start !== e.span.start) return false;
  if (s.end === e.span.end) return true;
  // A single caret stands for an empty span too.
  return e.span.end - e.span.start === 1 && s.end === s.start;
}

// Conversions between the language core's values (offsets, spans, diagnostics) and LSP's
// (line/character positions, ranges, LSP diagnostics). The only place that knows both shapes.

import * as lsp from 'vscode-languageserver';
import type { Diagnostic, Fix, LineIndex, Span } from '../runtime/language';

/** What an LSP diagnostic carries in `data`: the fixes, with their edits already in LSP ranges. */
export interface DiagnosticData {
  readonly fixes: readonly LspFix[];
}

export interface LspFix {
  readonly title: string;
  readonly edits: readonly lsp.TextEdit[];
  readonly preferred: boolean;
}

export function toPosition(lines: LineIndex, offset: number): lsp.Position {
  const p = lines.position(offset);
  return { line: p.line, character: p.character };
}

export function toOffset(lines: LineIndex, pos: lsp.Position): number {
  return lines.offset(pos);
}

export function toRange(lines: LineIndex, s: Span): lsp.Range {
  return { start: toPosition(lines, s.start), end: toPosition(lines, s.end) };
}

export function toSpan(lines: LineIndex, r: lsp.Range): Span {
  return { start: toOffset(lines, r.start), end: toOffset(lines, r.end) };
}

export function toTextEdit(lines: LineIndex, span: Span, newText: string): lsp.TextEdit {
  return { range: toRange(lines, span), newText };
}

export function toLspFix(lines: LineIndex, fix: Fix): LspFix {
  return { title: fix.title, edits: fix.edits.map((e) => toTextEdit(lines, e.span, e.newText)), preferred: fix.preferred === true };
}

export function toLspDiagnostic(lines: LineIndex, uri: string, d: Diagnostic): lsp.Diagnostic {
  const out: lsp.Diagnostic = {
    range: toRange(lines, d.span),
    severity: toSeverity(d.severity),
    code: d.code,
    source: 'minima',
    message: d.message,
  };
  if (d.tags?.includes('unnecessary')) out.tags = [lsp.DiagnosticTag.Unnecessary];
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  }
  if (d.fixes && d.fixes.length > 0) {
    const data: DiagnosticData = { fixes: d.fixes.map((f) => toLspFix(lines, f)) };
    out.data = data;
  }
  return out;
}

export function toSeverity(s: Diagnostic['severity']): lsp.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return lsp.DiagnosticSeverity.Error;
    case 'warning':
      return lsp.DiagnosticSeverity.Warning;
    case 'info':
      return lsp.DiagnosticSeverity.Information;
  }
}

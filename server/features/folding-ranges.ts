// Folding: blocks, calls and lists that span lines, and runs of comment lines.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { walk, type Span } from '../../runtime/language';

export function foldingRanges(a: Analysis): lsp.FoldingRange[] {
  const out: lsp.FoldingRange[] = [];
  for (const b of a.tree.blocks) {
    walk(b, (n) => {
      if (n.kind === 'block') push(a, out, n.span, n.close);
      else if (n.kind === 'call') push(a, out, n.span, n.close);
      else if (n.kind === 'list') push(a, out, n.span, n.close);
    });
  }
  let run: { start: number; end: number } | undefined;
  for (const c of a.tree.comments) {
    const line = a.lines.position(c.span.start).line;
    if (c.ownLine && run && line === run.end + 1) run.end = line;
    else {
      if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: lsp.FoldingRangeKind.Comment });
      run = c.ownLine ? { start: line, end: line } : undefined;
    }
  }
  if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: lsp.FoldingRangeKind.Comment });
  return out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}

/** Folds from the opening line to the line before the closer, so the closer stays visible. */
function push(a: Analysis, out: lsp.FoldingRange[], span: Span, close: Span | undefined): void {
  const startLine = a.lines.position(span.start).line;
  const endLine = close ? a.lines.position(close.start).line - 1 : a.lines.position(span.end).line;
  if (endLine > startLine) out.push({ startLine, endLine });
}

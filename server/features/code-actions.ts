// Code actions: one quick fix per fix attached to a diagnostic under the range (did-you-mean,
// missing parameter, N:M vs sparsity, duplicates, missing '}', …), and a "fix all" source action
// that applies every preferred fix at once.

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import type { Diagnostic, Span, TextEdit } from '../../runtime/language';
import { toLspDiagnostic, toSpan, toTextEdit } from '../convert';

export const FIX_ALL_KIND = `${lsp.CodeActionKind.SourceFixAll}.minima`;

/** The kinds `codeActions` produces, for the server's capabilities. */
export const CODE_ACTION_KINDS: readonly string[] = [lsp.CodeActionKind.QuickFix, FIX_ALL_KIND];

export function codeActions(a: Analysis, uri: string, range: lsp.Range, context: lsp.CodeActionContext): lsp.CodeAction[] {
  const out: lsp.CodeAction[] = [];
  if (wants(context, lsp.CodeActionKind.QuickFix)) {
    const span = toSpan(a.lines, range);
    for (const d of a.diagnostics) {
      if (!d.fixes || d.fixes.length === 0 || !touches(d.span, span)) continue;
      const lspDiag = matching(a, uri, d, context.diagnostics);
      for (const fix of d.fixes) {
        out.push({
          title: fix.title,
          kind: lsp.CodeActionKind.QuickFix,
          diagnostics: [lspDiag],
          ...(fix.preferred ? { isPreferred: true } : {}),
          edit: workspaceEdit(a, uri, fix.edits),
        });
      }
    }
  }
  if (context.only && wants(context, FIX_ALL_KIND)) {
    const edits = preferredEdits(a.diagnostics);
    if (edits.length > 0) out.push({ title: 'Fix all auto-fixable problems', kind: FIX_ALL_KIND, edit: workspaceEdit(a, uri, edits) });
  }
  return out;
}

/** Does the request accept actions of `kind`? (`only: ['source']` accepts `source.fixAll.minima`.) */
function wants(context: lsp.CodeActionContext, kind: string): boolean {
  return !context.only || context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** The client's copy of the diagnostic when it sent one (editors link actions to diagnostics by identity), else a fresh one. */
function matching(a: Analysis, uri: string, d: Diagnostic, sent: readonly lsp.Diagnostic[]): lsp.Diagnostic {
  const fresh = toLspDiagnostic(a.lines, uri, d);
  return sent.find((s) => s.code === fresh.code && s.message === fresh.message && sameRange(s.range, fresh.range)) ?? fresh;
}

/** The preferred fixes of all diagnostics, skipping any whose edits overlap an earlier one's. */
function preferredEdits(diags: readonly Diagnostic[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const d of diags) {
    const fix = d.fixes?.find((f) => f.preferred);
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => e.span.start < t.span.end && t.span.start < e.span.end) || taken.some((t) => t.span.start === e.span.start && t.span.end === e.span.end))) continue;
    taken.push(...fix.edits);
  }
  return taken;
}

function workspaceEdit(a: Analysis, uri: string, edits: readonly TextEdit[]): lsp.WorkspaceEdit {
  return { changes: { [uri]: edits.map((e) => toTextEdit(a.lines, e.span, e.newText)) } };
}

function touches(s: Span, r: Span): boolean {
  return s.start <= r.end && r.start <= s.end;
}

function sameRange(x: lsp.Range, y: lsp.Range): boolean {
  return x.start.line === y.start.line && x.start.character === y.start.character && x.end.line === y.end.line && x.end.character === y.end.character;
}

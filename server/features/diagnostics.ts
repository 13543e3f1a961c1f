// Diagnostics: the analysis' parse and check diagnostics, converted for LSP.

import type * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { toLspDiagnostic } from '../convert';

export function diagnostics(a: Analysis, uri: string): lsp.Diagnostic[] {
  return a.diagnostics.map((d) => toLspDiagnostic(a.lines, uri, d));
}

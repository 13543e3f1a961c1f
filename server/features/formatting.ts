// Formatting: the language core's formatter, applied as one edit over the whole document.

import type * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { format } from '../../runtime/language';
import { toRange } from '../convert';

/**
 * The formatter has one canonical layout (two-space indentation), so `options` (tab size, spaces) are
 * not consulted: a recipe looks the same in every editor.
 */
export function formatting(a: Analysis, options: lsp.FormattingOptions): lsp.TextEdit[] {
  void options;
  const formatted = format(a.text);
  if (formatted === a.text) return [];
  return [{ range: toRange(a.lines, { start: 0, end: a.text.length }), newText: formatted }];
}

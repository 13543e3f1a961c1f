// Signature help inside a call: the technique's parameters with their defaults, and the one under
// the cursor (by the argument's name, or by its position among positional arguments).

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { cursorContext } from './cursor-context';
import { paramLabel, paramMarkdown, techniqueMarkdown } from './markdown';

export function signatureHelp(a: Analysis, pos: lsp.Position): lsp.SignatureHelp | undefined {
  const { calls } = cursorContext(a, a.lines.offset(pos));
  const call = [...calls].reverse().find((c) => c.entry !== undefined);
  const entry = call?.entry;
  if (!call || !entry) return undefined;
  // Parameter labels are [start, end) offsets into the signature label, so they stay unambiguous.
  let label = `${entry.name}(`;
  const parameters: lsp.ParameterInformation[] = entry.params.map((p, i) => {
    if (i > 0) label += ', ';
    const start = label.length;
    label += paramLabel(p);
    return { label: [start, label.length] as [number, number], documentation: { kind: lsp.MarkupKind.Markdown, value: paramMarkdown(p, entry.name) } };
  });
  label += ')';
  // After a named argument, a bare value binds to no parameter (named arguments come last).
  const positional = call.onlyPositional ? entry.params.filter((p) => p.positional)[call.positional] : undefined;
  const active = call.argName !== undefined ? entry.params.findIndex((p) => p.name === call.argName) : positional ? entry.params.indexOf(positional) : -1;
  const signature: lsp.SignatureInformation = { label, documentation: { kind: lsp.MarkupKind.Markdown, value: techniqueMarkdown(entry) }, parameters };
  // When the argument under the cursor binds to no parameter, null (LSP 3.18) highlights none rather than the first.
  signature.activeParameter = active >= 0 ? active : null;
  return { signatures: [signature], activeSignature: 0, activeParameter: signature.activeParameter };
}

// Go to definition, find references and rename, for layers (the only names a recipe defines).
// Blocks and techniques have no definition inside the file; they appear in document symbols.

import type * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import type { LayerSymbol } from '../../runtime/checker';
import { toRange } from '../convert';
import { definitionSpan, layerAt } from './layers';

export function definition(a: Analysis, uri: string, pos: lsp.Position): lsp.Location[] {
  const hit = layerAt(a, a.lines.offset(pos));
  if (!hit) return [];
  return [{ uri, range: toRange(a.lines, definitionSpan(a, hit.layer)) }];
}

export function references(a: Analysis, uri: string, pos: lsp.Position, includeDeclaration: boolean): lsp.Location[] {
  const hit = layerAt(a, a.lines.offset(pos));
  if (!hit) return [];
  const spans = [...(includeDeclaration ? [definitionSpan(a, hit.layer)] : []), ...hit.layer.refs];
  return spans.map((s) => ({ uri, range: toRange(a.lines, s) }));
}

export function prepareRename(a: Analysis, pos: lsp.Position): { range: lsp.Range; placeholder: string } | undefined {
  const hit = layerAt(a, a.lines.offset(pos));
  if (!hit) return undefined;
  return { range: toRange(a.lines, hit.span), placeholder: hit.layer.name };
}

/**
 * Renames a layer: its explicit name and every reference. An auto-named layer (`dense_1`) gets an
 * explicit name inserted before its call (`newname: dense(…)`). Returns undefined when there is no
 * layer at `pos` or `newName` is not acceptable (see `renameProblem`); the server answers that with
 * an error carrying `renameProblem`'s message.
 */
export function rename(a: Analysis, uri: string, pos: lsp.Position, newName: string): lsp.WorkspaceEdit | undefined {
  const hit = layerAt(a, a.lines.offset(pos));
  if (!hit || renameProblem(a, hit.layer, newName) !== undefined) return undefined;
  const layer = hit.layer;
  const edits: lsp.TextEdit[] = layer.nameSpan
    ? [{ range: toRange(a.lines, layer.nameSpan), newText: newName }]
    : [{ range: toRange(a.lines, { start: layer.callSpan.start, end: layer.callSpan.start }), newText: `${newName}: ` }];
  for (const r of layer.refs) edits.push({ range: toRange(a.lines, r), newText: newName });
  return { changes: { [uri]: edits } };
}

/** Why `newName` cannot name the layer at `pos`, or undefined when it can. */
export function renameError(a: Analysis, pos: lsp.Position, newName: string): string | undefined {
  const hit = layerAt(a, a.lines.offset(pos));
  return hit ? renameProblem(a, hit.layer, newName) : 'there is no layer here to rename';
}

function renameProblem(a: Analysis, layer: LayerSymbol, newName: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return `'${newName}' is not a valid layer name: use letters, digits and '_', not starting with a digit`;
  if (newName === 'true' || newName === 'false') return `'${newName}' is a boolean literal, not a valid layer name`;
  if (newName !== layer.name && a.semantics.layers.some((l) => l.name === newName)) return `a layer named '${newName}' already exists`;
  return undefined;
}

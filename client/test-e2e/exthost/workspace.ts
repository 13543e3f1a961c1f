// The test workspace: a temp copy of the fixtures that the launcher made (see run.mjs), opened
// as the only workspace folder.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function workspaceDir(): string {
  const dir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!dir) throw new Error('no workspace folder is open');
  return dir;
}

/** Opens `rel` (relative to the workspace) in an editor, so the language client syncs it. */
export async function openRecipe(rel: string): Promise<vscode.TextDocument> {
  const file = path.join(workspaceDir(), rel);
  if (!fs.existsSync(file)) throw new Error(`fixture missing from the test workspace: ${rel}`);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  if (doc.languageId !== 'minima') throw new Error(`${rel} opened as '${doc.languageId}', not minima`);
  return doc;
}

/** The 0-based line of the first line containing `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string): number {
  const i = doc.getText().split(/\r?\n/).findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not found in ${doc.uri.fsPath}`);
  return i;
}

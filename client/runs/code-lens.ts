// `▶ Run | ⚡ Quick run (1 epoch)` above the first block of a recipe.

import * as vscode from 'vscode';

export function recipeCodeLenses(): vscode.CodeLensProvider {
  return {
    provideCodeLenses(doc) {
      // NOTE: the lens sits on the first non-comment line; the server owns parsing, and a line is all a lens needs.
      const line = firstCodeLine(doc);
      const range = new vscode.Range(line, 0, line, 0);
      return [
        new vscode.CodeLens(range, { title: '▶ Run', command: 'minima.run', arguments: [doc.uri] }),
        new vscode.CodeLens(range, { title: '⚡ Quick run (1 epoch)', command: 'minima.quickRun', arguments: [doc.uri] }),
      ];
    },
  };
}

function firstCodeLine(doc: vscode.TextDocument): number {
  for (let i = 0; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text.trim();
    if (t !== '' && !t.startsWith('#')) return i;
  }
  return 0;
}

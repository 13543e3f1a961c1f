// `▶ Run | ⚡ Quick run (1 epoch)` above the first block of a recipe, and `▶ Sweep` above its
// sweep block; the `minima.sweep` command runs `minima sweep <file>` in a terminal (the live
// progress, the table and Ctrl-C as on the command line), with the trials' run folders under
// .minima/sweeps/ next to the recipe.

import * as vscode from 'vscode';
import { onPath, sweepBlockLine, sweepTerminal } from './sweep-command';

export function recipeCodeLenses(): vscode.CodeLensProvider {
  return {
    provideCodeLenses(doc) {
      // NOTE: the lens sits on the first non-comment line; the server owns parsing, and a line is all a lens needs.
      const line = firstCodeLine(doc);
      const range = new vscode.Range(line, 0, line, 0);
      const lenses = [
        new vscode.CodeLens(range, { title: '▶ Run', command: 'minima.run', arguments: [doc.uri] }),
        new vscode.CodeLens(range, { title: '⚡ Quick run (1 epoch)', command: 'minima.quickRun', arguments: [doc.uri] }),
      ];
      const sweep = sweepBlockLine(Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text));
      if (sweep !== undefined) lenses.push(new vscode.CodeLens(new vscode.Range(sweep, 0, sweep, 0), { title: '▶ Sweep', command: 'minima.sweep', arguments: [doc.uri] }));
      return lenses;
    },
  };
}

/** `minima.sweep`: saves the recipe, then runs `minima sweep` on it in a new terminal. */
export function registerSweepCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('minima.sweep', async (arg?: unknown) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file' || !uri.fsPath.endsWith('.minima')) return void vscode.window.showInformationMessage('Minima: open a recipe (.minima) with a sweep block to sweep it.');
    if (!vscode.workspace.isTrusted) return void vscode.window.showWarningMessage('Minima: sweeps run the recipe\'s code and data; trust this workspace to run them.');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
    const t = sweepTerminal(uri.fsPath, { extensionDir: context.extensionPath, node: process.execPath, nodeIsElectron: 'electron' in process.versions, ...(vscode.workspace.getWorkspaceFolder(uri) ? { workspaceDir: vscode.workspace.getWorkspaceFolder(uri)!.uri.fsPath } : {}) });
    if (t.shellPath === 'minima' && !onPath('minima')) {
      return void vscode.window.showErrorMessage('Minima: sweeps run the minima command, which is not installed here: `npm install --save-dev minima` in the workspace (or `npm install -g minima`), then ▶ Sweep again.');
    }
    const terminal = vscode.window.createTerminal({ name: t.name, shellPath: t.shellPath, shellArgs: [...t.shellArgs], cwd: t.cwd, env: { ...t.env } });
    terminal.show();
  });
}

function firstCodeLine(doc: vscode.TextDocument): number {
  for (let i = 0; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text.trim();
    if (t !== '' && !t.startsWith('#')) return i;
  }
  return 0;
}

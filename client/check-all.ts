// `Minima: Check All Recipes`: every `.minima` file of the workspace is checked by the language
// server (`minima/checkFiles`), which publishes the diagnostics of files that are not open, so
// they appear in the Problems view; the client only finds the files and sums up the answer.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECK_FILES_REQUEST, type CheckFilesParams, type CheckFilesResult } from '../server/protocol';

export function registerCheckAll(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('minima.checkAll', async (): Promise<CheckFilesResult> => {
      const files = await vscode.workspace.findFiles('**/*.minima', '**/{node_modules,.minima}/**');
      const params: CheckFilesParams = { uris: files.map((f) => f.toString()) };
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Minima: checking ${files.length} recipe(s)` },
        () => client.sendRequest<CheckFilesResult>(CHECK_FILES_REQUEST, params),
      );
      const errors = result.files.reduce((n, f) => n + f.errors, 0);
      const bad = result.files.filter((f) => f.errors > 0).length;
      const unreadable = result.files.filter((f) => f.unreadable !== undefined);
      const tail = unreadable.length > 0 ? ` ${unreadable.length} could not be read (${unreadable.map((f) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))}: ${f.unreadable}`).join(', ')}).` : '';
      if (errors > 0) {
        void vscode.window.showWarningMessage(`Minima: ${errors} error(s) in ${bad} of ${files.length} recipe(s).${tail}`, 'Show Problems').then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
      } else {
        void vscode.window.showInformationMessage(`Minima: ${files.length} recipe(s) check clean.${tail}`);
      }
      return result;
    }),
  );
}

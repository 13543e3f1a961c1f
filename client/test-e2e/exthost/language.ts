// Language features through the real editor: the language client in the extension host talks to
// the bundled server (dist/server.js); these cases see exactly what a user's editor sees.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor, type Suite } from './harness';
import { openRecipe, lineOf, workspaceDir } from './workspace';

export const languageSuite: Suite = {
  name: 'language',
  cases: [
    {
      name: 'an invalid recipe gets M011 on the misspelled attribute',
      fn: async () => {
        const doc = await openRecipe('invalid/attributes-unknown.minima');
        const errors = await waitFor('diagnostics of attributes-unknown.minima', () => {
          const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
          return d.length > 0 ? d : undefined;
        });
        const line = lineOf(doc, 'optimiser = ');
        const m011 = errors.filter((d) => codeOf(d) === 'M011');
        assert.deepEqual(m011.map((d) => d.range.start.line), [line, lineOf(doc, 'colour = ')]);
        const first = m011[0]!;
        assert.equal(doc.getText(first.range), 'optimiser');
        assert.match(first.message, /did you mean 'optimizer'/);
      },
    },
    {
      name: 'a recipe with a sweep block gets a ▶ Sweep code lens on it, bound to minima.sweep; one without gets none',
      fn: async () => {
        const doc = await openRecipe('sweeps/digits-grid.minima');
        const lenses = await waitFor('the code lenses of digits-grid.minima', async () => {
          const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
          return l && l.some((x) => x.command?.title === '▶ Sweep') ? l : undefined;
        });
        const sweep = lenses.filter((x) => x.command?.title === '▶ Sweep');
        assert.equal(sweep.length, 1);
        assert.equal(sweep[0]!.range.start.line, lineOf(doc, 'sweep grid {'));
        assert.equal(sweep[0]!.command?.command, 'minima.sweep');
        assert.ok((await vscode.commands.getCommands(true)).includes('minima.sweep'), 'minima.sweep is registered');
        const plain = await openRecipe('examples/digits-sam.minima');
        const other = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plain.uri)) ?? [];
        assert.ok(other.some((x) => x.command?.title.startsWith('▶ Run')), 'the run lenses are there');
        assert.equal(other.filter((x) => x.command?.title === '▶ Sweep').length, 0);
      },
    },
    {
      name: 'hover on the model keyword describes the block and its estimates',
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        const at = new vscode.Position(lineOf(doc, 'model mlp {'), 2);
        const text = await waitFor('a hover on `model`', async () => {
          const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
          return t === '' ? undefined : t;
        });
        assert.match(text, /\*\*model\*\* block/);
        assert.match(text, /parameters/);
      },
    },
    {
      name: 'hover on a technique name documents it',
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        const line = lineOf(doc, 'optimizer = sam(');
        const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('sam(') + 1);
        const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at));
        assert.match(text, /sam/i);
        assert.match(text, /rho/);
      },
    },
    {
      name: 'completion after `calibrate =` offers the calibration methods',
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        const line = lineOf(doc, 'calibrate = ');
        const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('= ') + 2);
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
        const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        for (const want of ['minmax', 'percentile', 'mse']) assert.ok(labels.includes(want), `${want} missing from ${JSON.stringify(labels)}`);
      },
    },
    {
      name: 'completion rows carry a one-line description and a short plain detail',
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        const line = lineOf(doc, 'optimizer = sam(');
        const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('sam(') + 3);
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
        const sgd = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'sgd');
        assert.ok(sgd && typeof sgd.label === 'object', 'sgd arrives with label details');
        assert.match(sgd.label.description ?? '', /^Stochastic gradient descent with optional/);
        assert.equal(sgd.detail, 'optimizer');
      },
    },
    {
      name: "a block's defaults are one ⟨defaults: …⟩ hint, which the editor does not cut",
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        const line = lineOf(doc, 'data digits {');
        const hints = await waitFor('inlay hints of digits-sam.minima', async () => {
          const h = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
          return h && h.length > 0 ? h : undefined;
        });
        const labels = hints.filter((h) => h.position.line === line).map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
        assert.ok(labels.includes('⟨defaults: shuffle = true, standardize = none, augment = []⟩'), JSON.stringify(labels));
        // VS Code would otherwise shorten a line's hints to 43 characters, mid-value.
        assert.equal(vscode.workspace.getConfiguration('editor', doc).get('inlayHints.maximumLength'), 0);
      },
    },
    {
      name: 'the reference example checks without errors',
      fn: async () => {
        const doc = await openRecipe('examples/digits-sam.minima');
        // The hover above proved the server has this document; give its diagnostics a moment to land.
        await new Promise((r) => setTimeout(r, 1000));
        const errors = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
        assert.deepEqual(errors.map((d) => `${codeOf(d)} ${d.range.start.line}: ${d.message}`), []);
      },
    },
    {
      name: 'Check All Recipes puts the errors of an unopened recipe in the Problems view',
      fn: async () => {
        const unopened = vscode.Uri.file(path.join(workspaceDir(), 'invalid', 'attributes-duplicate.minima'));
        assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()), 'the fixture must not be open');
        const result = await vscode.commands.executeCommand<{ files: { uri: string; errors: number }[] }>('minima.checkAll');
        const byName = new Map(result.files.map((f) => [path.basename(vscode.Uri.parse(f.uri).fsPath), f.errors]));
        assert.equal(byName.get('digits-sam.minima'), 0);
        assert.ok((byName.get('attributes-duplicate.minima') ?? 0) > 0, JSON.stringify([...byName]));
        const problems = await waitFor('diagnostics of the unopened recipe', () => {
          const d = vscode.languages.getDiagnostics(unopened);
          return d.length > 0 ? d : undefined;
        });
        const second = fs.readFileSync(unopened.fsPath, 'utf8').split('\n').findIndex((l) => l.includes('epochs = 20'));
        assert.deepEqual(problems.map((d) => [codeOf(d), d.range.start.line]), [['M015', second]]);
      },
    },
  ],
};

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

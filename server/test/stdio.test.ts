// The wiring, end to end: the compiled server runs as a child process over stdio and answers a
// client the way an editor talks to it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { CompletionItem, CompletionList, Hover, InitializeResult } from 'vscode-languageserver';

const URI = 'file:///stdio-test.minima';
const RECIPE = 'data digits {\n}\nmodel mlp {\n  dense(10)\n}\ntrain {\n  epochs = 3\n  optimizer = adamm()\n}\n';

test('stdio: initialize, diagnostics on open and after a change, completion, hover, shutdown', { timeout: 15_000 }, async () => {
  const child = spawn(process.execPath, [join(__dirname, '..', 'main.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  /** Resolves with the `n`-th diagnostics notification (1-based) once it has arrived. */
  const nth = async (n: number): Promise<PublishDiagnosticsParams> => {
    while (published.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return published[n - 1]!;
  };
  conn.listen();
  try {
    const init: InitializeResult = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok(init.capabilities.completionProvider);
    assert.ok(init.capabilities.semanticTokensProvider);
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'minima', version: 1, text: RECIPE } });

    const diags = await nth(1);
    assert.equal(diags.uri, URI);
    assert.equal(diags.version, 1);
    assert.deepEqual(
      diags.diagnostics.map((d) => [d.code, d.range.start.line, d.source]),
      [['M012', 7, 'minima']],
    );

    const completion: CompletionItem[] | CompletionList | null = await conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 7, character: 14 } });
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    assert.ok(items.some((i) => i.label === 'adam'), 'completion offers optimizers');

    const hover: Hover | null = await conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 6, character: 3 } });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents && hover.contents.value.includes('**epochs**'));

    // An incremental edit that fixes the typo: diagnostics follow after the debounce, once per version.
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 7, character: 14 }, end: { line: 7, character: 19 } }, text: 'adam' }],
    });
    const fixed = await nth(2);
    assert.equal(fixed.version, 2);
    assert.deepEqual(fixed.diagnostics, []);

    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
    assert.deepEqual(published.map((p) => p.version), [1, 2]);
  } finally {
    conn.dispose();
    child.kill();
  }
});

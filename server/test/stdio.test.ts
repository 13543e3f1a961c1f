// The wiring, end to end: the compiled server runs as a child process over stdio and answers a
// client the way an editor talks to it; after malformed framing it logs why and answers the next
// request; it exits when the client goes away.

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

/** The server over stdio, its stderr so far, its exit code, and the responses it sent, by id. */
function startRaw() {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(__dirname, '..', 'main.js'), '--stdio']);
  const stderr: string[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const answered = new Map<number, (m: unknown) => void>();
  const reader = new StreamMessageReader(child.stdout);
  reader.listen((m) => {
    const id = (m as { id?: unknown }).id;
    if (typeof id === 'number') answered.get(id)?.(m);
  });
  const write = (message: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const send = (id: number, method: string, params: unknown = {}) => write({ id, method, params });
  const notify = (method: string) => write({ method });
  /** The response to request `id`, or a failure after `ms` (the server would hang otherwise). */
  const answer = (id: number, ms: number) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to request ${id} within ${ms} ms; stderr: ${stderr.join('')}`)), ms);
      answered.set(id, (m) => (clearTimeout(timer), resolve(m)));
    });
  return { child, stderr, exited, send, notify, answer, reader };
}

// [name, what the client writes first; the reason the server must log]
const malformed: ReadonlyArray<[string, string, RegExp]> = [
  ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', /malformed message framing: the header has no Content-Length/],
  ['Content-Length: abc', 'Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', /malformed message framing: Content-Length 'abc' is not a number of bytes/],
  ['a Content-Length too large', 'Content-Length: 5000\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', /malformed message framing: no more bytes came for a body of 5000 bytes/],
  ['a body that is not JSON', 'Content-Length: 5\r\n\r\n{oops', /discarded a message: its body of 5 byte\(s\) is not JSON/],
];
for (const [name, bad, reason] of malformed) {
  test(`stdio: after ${name}, the server logs why and answers the next request`, { timeout: 15_000 }, async () => {
    const s = startRaw();
    try {
      s.child.stdin.write(bad);
      const t0 = Date.now();
      s.send(2, 'initialize', { processId: null, rootUri: null, capabilities: {} });
      const init = (await s.answer(2, 5000)) as { result?: InitializeResult };
      assert.ok(init.result?.capabilities.hoverProvider, JSON.stringify(init));
      assert.ok(Date.now() - t0 < 5000);
      assert.match(s.stderr.join(''), reason);
      s.send(3, 'shutdown');
      await s.answer(3, 5000);
      s.notify('exit');
      assert.equal(await s.exited, 0);
    } finally {
      s.reader.dispose();
      s.child.kill();
    }
  });
}

test('stdio: a client that goes away without shutdown makes the server exit with 1', { timeout: 15_000 }, async () => {
  const s = startRaw();
  try {
    s.send(1, 'initialize', { processId: null, rootUri: null, capabilities: {} });
    await s.answer(1, 5000);
    s.child.stdin.end();
    const code = await Promise.race([s.exited, new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5000).unref())]);
    assert.equal(code, 1);
  } finally {
    s.reader.dispose();
    s.child.kill();
  }
});

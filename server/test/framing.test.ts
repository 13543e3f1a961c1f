// The base protocol's framing: well-formed frames in any chunking, and every kind of malformed
// frame reported, then skipped up to the next header, so the messages after it are read.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFrameParser, type FrameEvent } from '../framing';

const body = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: {} });
const frame = (text: string, header = `Content-Length: ${Buffer.byteLength(text)}`) => `${header}\r\n\r\n${text}`;
const shown = (events: readonly FrameEvent[]) =>
  events.map((e) => (e.kind === 'message' ? `message ${e.body.toString('utf8')}` : e.kind === 'resynced' ? `resynced ${e.skipped}` : `malformed ${e.reason}`));

/** Feeds `chunks` one by one (and a stall when asked) and returns what the parser made of them. */
function parse(chunks: readonly (string | 'STALL')[], limits?: { maxHeaderBytes: number; maxBodyBytes: number }): string[] {
  const p = createFrameParser(limits);
  return shown(chunks.flatMap((c) => (c === 'STALL' ? p.stalled() : p.push(Buffer.from(c, 'utf8')))));
}

// [name, chunks, expected events; a malformed reason is matched as a regular expression]
const cases: ReadonlyArray<[string, (string | 'STALL')[], string[]]> = [
  ['one frame', [frame(body(1))], [`message ${body(1)}`]],
  ['two frames in one chunk', [frame(body(1)) + frame(body(2))], [`message ${body(1)}`, `message ${body(2)}`]],
  ['a frame byte by byte', [...frame(body(1))], [`message ${body(1)}`]],
  ['Content-Type first, lower-case content-length', [frame(body(1), `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: ${body(1).length}`)], [`message ${body(1)}`]],
  ['a pretty body with CRLF inside is one message', [frame('{\r\n  "id": 1\r\n}')], ['message {\r\n  "id": 1\r\n}']],
  ['a body that quotes a header is one message', [frame('{"text":"Content-Length: 5\\r\\n"}')], ['message {"text":"Content-Length: 5\\r\\n"}']],
  ['multi-byte characters count as bytes', [frame('{"t":"é✓"}')], ['message {"t":"é✓"}']],
  // The two cases of the report, with the client's next request after them.
  ['no Content-Length', ['Content-Type: foo\r\n\r\n{}', frame(body(2))], ['malformed the header has no Content-Length', 'resynced 23', `message ${body(2)}`]],
  ['Content-Length: abc', ['Content-Length: abc\r\n\r\n{}' + frame(body(2))], ["malformed Content-Length 'abc' is not a number", 'resynced 25', `message ${body(2)}`]],
  ['a negative length', ['Content-Length: -4\r\n\r\n{}', frame(body(2))], ["malformed Content-Length '-4' is not a number", 'resynced 24', `message ${body(2)}`]],
  ['digits and letters', ['Content-Length: 12abc\r\n\r\n' + frame(body(2))], ["malformed Content-Length '12abc'", 'resynced 25', `message ${body(2)}`]],
  ['two lengths that disagree', ['Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}' + frame(body(2))], ['malformed two Content-Length headers \\(2 and 3\\)', 'resynced 42', `message ${body(2)}`]],
  ['a line without a colon', ['hello world\r\n\r\n' + frame(body(2))], ["malformed the header line 'hello world' is not 'Name: value'", 'resynced 15', `message ${body(2)}`]],
  ['junk stuck to the front of a header', ['xyz' + frame(body(2))], ["malformed the header has no Content-Length: 'xyzContent-Length: \\d+'", 'resynced 3', `message ${body(2)}`]],
  ['a header that never ends', ['X'.repeat(300), frame(body(2))], ['malformed no end of header \\(a blank line\\) within 256 bytes', 'resynced 300', `message ${body(2)}`]],
  ['a length over the limit', [frame('{}', 'Content-Length: 99999') + frame(body(2))], ['malformed Content-Length 99999 is over the limit', 'resynced 27', `message ${body(2)}`]],
  // A Content-Length too large swallows the next message: the sender waits for an answer, so the stall says so.
  ['a length too large, then the sender waits', [frame('{}', 'Content-Length: 900') + frame(body(2)), 'STALL'], ["malformed no more bytes came for a body of 900 bytes \\(\\d+ came\\), and they hold the next message's header at byte 2", 'resynced 2', `message ${body(2)}`]],
  ['a length too large, filled by the next messages', [frame('{}', 'Content-Length: 60') + frame(body(2)) + frame(body(3))], ["malformed the body of 60 bytes holds the next message's header at byte 2", 'resynced 2', `message ${body(2)}`, `message ${body(3)}`]],
  ['a slow sender is no stall', [frame(body(1)).slice(0, 30), 'STALL', frame(body(1)).slice(30)], [`message ${body(1)}`]],
  ['garbage split across chunks, then a header split across chunks', ['Content-Length: x\r\n\r\n', 'garbage ' + frame(body(2)).slice(0, 9), frame(body(2)).slice(9)], ["malformed Content-Length 'x'", 'resynced 29', `message ${body(2)}`]],
];
for (const [name, chunks, expected] of cases) {
  test(`framing: ${name}`, () => {
    const got = parse(chunks, { maxHeaderBytes: 256, maxBodyBytes: 1000 });
    assert.equal(got.length, expected.length, `got ${JSON.stringify(got)}`);
    got.forEach((g, i) => (expected[i]!.startsWith('malformed') ? assert.match(g, new RegExp(`^${expected[i]}`)) : assert.equal(g, expected[i])));
  });
}

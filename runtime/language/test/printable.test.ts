// Messages quote source text; control characters in it are shown as escapes, never sent to the
// terminal or the editor as they are.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostic, parse, printable } from '..';

const CASES: [string, string][] = [
  ['plain text, é and → stay', 'plain text, é and → stay'],
  ['\x1b[31m', '\\x1b[31m'],
  ['\x07\x00\x7f', '\\x07\\x00\\x7f'],
  ['a\nb\rc\td', 'a\\nb\\rc\\td'],
  ['\u009b1m', '\\x9b1m'],
  ['\u202eevil\u2066', '\\u202eevil\\u2066'],
  ['\u2028', '\\u2028'],
  ['already \\x1b', 'already \\x1b'],
];

for (const [input, expected] of CASES) {
  test(`printable(${JSON.stringify(input)})`, () => {
    assert.equal(printable(input), expected);
    assert.equal(printable(expected), expected, 'applying it twice changes nothing');
  });
}

const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('lexer and parser messages quote control bytes as escapes', () => {
  const text = 'train {\n  epochs = \x1b[31m\x07\n}\n\x00\x01 zz\nrecipe "\x1b[5m" "x\x07" {}\n';
  const { errors } = parse(text);
  assert.ok(errors.length > 0);
  for (const e of errors) assert.doesNotMatch(e.message, CONTROL, JSON.stringify(e.message));
  const messages = errors.map((e) => e.message);
  assert.ok(messages.includes("unexpected character '\\x1b'"), JSON.stringify(messages));
  assert.ok(messages.includes("unexpected characters '\\x00\\x01'"), JSON.stringify(messages));
  assert.ok(messages.includes('expected \'{\' after \'recipe "\\x1b[5m"\', found \'"x\\x07"\''), JSON.stringify(messages));
});

test('diagnostic() escapes its message, related messages and fix titles', () => {
  const d = diagnostic('M004', 'error', { start: 0, end: 1 }, 'found \x1b', {
    related: [{ span: { start: 0, end: 1 }, message: 'here \x07' }],
    fixes: [{ title: 'Write "\x1b"', edits: [{ span: { start: 0, end: 1 }, newText: '\x1b' }] }],
  });
  assert.equal(d.message, 'found \\x1b');
  assert.equal(d.related?.[0]?.message, 'here \\x07');
  assert.equal(d.fixes?.[0]?.title, 'Write "\\x1b"');
  // The edit is text for the document, not a message: it stays as written.
  assert.equal(d.fixes?.[0]?.edits[0]?.newText, '\x1b');
});

// Deeply nested text: analyze(), the formatter and every editor feature must answer for
// 10,000 levels of '[', '(', '{' and mixed nesting, closed or not, within the fuzz harness's
// limits (no exception, no call over 1 s, valid ranges). The parser stops nesting at
// MAX_NESTING with one diagnostic, so nothing after it recurses without bound.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument, newStats } from '../../bench/fuzz-driver';
import { analyze } from '../../runtime/analysis';
import { MAX_NESTING } from '../../runtime/language';

const DEPTH = 10_000;

const CASES: [string, string][] = [
  ['[ unclosed', `train {\n  epochs = ${'['.repeat(DEPTH)}\n}\n`],
  ['[ closed', `train {\n  epochs = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n}\n`],
  ['( unclosed', `model {\n  dense: ${'f('.repeat(DEPTH)}\n}\n`],
  ['( closed', `train {\n  optimizer = ${'sam(base: '.repeat(DEPTH)}sgd${')'.repeat(DEPTH)}\n}\n`],
  ['{ unclosed', '{'.repeat(DEPTH)],
  ['{ after a header', `train ${'{'.repeat(DEPTH)}\n`],
  ['mixed unclosed', `model {\n  dense: ${'f([{'.repeat(DEPTH / 2)}\n}\n`],
  ['mixed closed', `data {\n  x = ${'f(['.repeat(DEPTH / 2)}${'])'.repeat(DEPTH / 2)}\n  y = 1\n}\n`],
  ['a label', `model ${'['.repeat(DEPTH)} {\n}\n`],
  ['no newline, no block', '(['.repeat(DEPTH)],
];

// Just inside the limit the parser builds the whole tree, and every later stage walks it.
const AT_LIMIT: [string, string][] = [
  ['[ closed', `train {\n  epochs = ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}\n}\n`],
  ['optimizers', `train {\n  optimizer = ${'sam(base: '.repeat(MAX_NESTING)}sgd${')'.repeat(MAX_NESTING)}\n}\n`],
  ['a layer', `model {\n  dense(${'f(['.repeat(MAX_NESTING / 2 - 1)}1${'])'.repeat(MAX_NESTING / 2 - 1)})\n}\n`],
];

for (const [name, text] of [...CASES.map(([n, t]): [string, string] => [`${DEPTH} levels, ${n}`, t]), ...AT_LIMIT.map(([n, t]): [string, string] => [`${MAX_NESTING} levels, ${n}`, t])]) {
  test(`nesting (${name}): analyze() and every feature answer`, () => {
    const n = text.length;
    const positions: [number, number][] = [[0, n], [Math.floor(n / 2), 0], [n, Math.floor(n / 3)], [20, n - 1]];
    const problem = checkDocument(text, positions, newStats());
    assert.equal(problem, undefined, problem && `${problem.handler}: ${problem.problem}`);
  });
}

test(`nesting deeper than ${MAX_NESTING} is one diagnostic at the first level too deep`, () => {
  const open = `train {\n  epochs = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n}\n`;
  const deep = analyze(open).diagnostics.filter((d) => d.message.startsWith('nesting deeper'));
  assert.equal(deep.length, 1);
  assert.equal(deep[0]?.span.start, open.indexOf('[') + MAX_NESTING);
  assert.equal(deep[0]?.message, `nesting deeper than ${MAX_NESTING} levels: lists and calls may nest at most ${MAX_NESTING} deep`);
  // Exactly at the limit it parses, and nothing is reported about depth.
  const atLimit = `train {\n  epochs = ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}\n}\n`;
  assert.ok(!analyze(atLimit).diagnostics.some((d) => d.message.startsWith('nesting deeper')));
});

// Parser and lexer tests: each case is a recipe fragment and the diagnostics the parser must
// report, written `code@line:col message` (1-based), plus tree checks for the constructs
// the formatter and the checker rely on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, LineIndex, parse, pathSegments, type StatementNode } from '..';

function check(input: string, expected: readonly string[]): void {
  const { errors } = parse(input);
  const lines = new LineIndex(input);
  const actual = errors.map((e) => {
    const p = lines.position(e.span.start);
    return `${e.code}@${p.line + 1}:${p.character + 1} ${e.message}`;
  });
  assert.deepEqual(actual, expected, JSON.stringify(input));
}

const CASES: [string, string[]][] = [
  ['train {\n  epochs = 3\n}', []],
  ['train {\n  epochs = \n  lr = 2\n}', ["M004@2:11 expected a value after '='"]],
  ['train {\n  epochs = 3 lr = 2\n}', ["M006@2:14 expected a line break or ';' between two items"]],
  ['train {\n  epochs = 3; lr = 2\n}', []],
  ['train {\n  opt = sam(rho: 0.05\n}', ["M005@2:12 '(' is not closed: expected ')'"]],
  ['train {\n  opt = sam(rho: 0.05,\n    base: sgd)\n}', []],
  ['train {\n  opt = sam(\n    rho: 0.05\n  )\n}', []],
  ['train {\n  xs = [a, b,]\n}', []],
  ['train {\n  xs = [a b]\n}', ["M004@2:11 expected ',' or ']'"]],
  ['train {\n  x = 2eps\n}', ["M003@2:8 unknown unit 'eps': durations are written with 'ep' (epochs) or 'step' (optimizer steps); did you mean 'ep'?"]],
  ['train {\n  s = "abc\n}', ['M002@2:7 unterminated string: add a closing \'"\'']],
  ['train {\n  x = @@\n}', ["M001@2:7 unexpected characters '@@'"]],
  ['train {\n  epochs = 3\n', ["M005@1:7 the 'train' block is not closed: expected '}'"]],
  ['train {\n  epochs = 3\ndata digits {\n}', ["M005@1:7 the 'train' block is not closed: expected '}'"]],
  ['}', ["M004@1:1 unmatched '}': no block is open here"]],
  ['= 3', ["M004@1:1 expected a block such as 'train { … }', found '= 3'"]],
  ['model mlp {\n  fc1: dense(3)\n  fc2:\n  dense(2)\n}', ["M004@3:6 unexpected ':' after the value"]],
  ['train {\n  x = f(a: 1, 2)\n}', []],
  ['train {\n  x = f(,)\n}', ["M004@2:9 expected a value before ','"]],
  ['train {\n  x = -.5\n  y = 1e-3\n  z = 12.5%\n  w = 1e5ep\n  r = 2:4\n}', []],
  ['recipe "a" "b" {}', ['M004@1:11 expected \'{\' after \'recipe "a"\', found \'"b"\'', "M004@1:17 unmatched '}': no block is open here"]],
  ['train\n{\n  x = 1\n}', []],
  // A stray character after a value is reported once, by the lexer.
  ['train {\n  x = 1.\n}', ["M001@2:8 unexpected character '.'"]],
  // Past MAX_NESTING (64) levels the rest of the value is one error node with one diagnostic.
  [`train {\n  x = ${'['.repeat(65)}${']'.repeat(65)}\n}`, ['M004@2:71 nesting deeper than 64 levels: lists and calls may nest at most 64 deep']],
  [`train {\n  x = ${'f('.repeat(70)}\n  y = 1\n}`, [
    ...Array.from({ length: 64 }, (_, i) => `M005@2:${8 + 2 * i} '(' is not closed: expected ')'`),
    'M004@2:135 nesting deeper than 64 levels: lists and calls may nest at most 64 deep',
  ]],
];

for (const [input, expected] of CASES) {
  test(`parse ${JSON.stringify(input)}`, () => check(input, expected));
}

test('literals keep their text and value', () => {
  const { tree } = parse('train {\n  a = 1e-3\n  b = 80%\n  c = 500step\n  d = 2:4\n  e = "x\\"y"\n  f = true\n}');
  const values = tree.blocks[0]?.items.map((i) => i.value);
  assert.deepEqual(
    values?.map((v) => ({ kind: v.kind, ...('text' in v ? { text: v.text } : {}), ...('value' in v ? { value: v.value } : {}), ...('n' in v ? { n: v.n, m: v.m } : {}), ...('unit' in v ? { unit: v.unit } : {}) })),
    [
      { kind: 'number', text: '1e-3', value: 0.001 },
      { kind: 'percent', text: '80%', value: 0.8 },
      { kind: 'duration', text: '500step', value: 500, unit: 'step' },
      { kind: 'ratio', text: '2:4', n: 2, m: 4 },
      { kind: 'string', value: 'x"y' },
      { kind: 'bool', value: true },
    ],
  );
});

test('named and unnamed layer statements', () => {
  const { tree, errors } = parse('model mlp {\n  fc1: dense(128, act: relu)\n  dense(10)\n}');
  assert.deepEqual(errors, []);
  const [named, unnamed] = (tree.blocks[0]?.items ?? []) as StatementNode[];
  assert.equal(named?.kind, 'statement');
  assert.equal(named?.name?.name, 'fc1');
  assert.equal(named?.value.kind === 'call' ? named.value.args.map((a) => a.name?.name ?? '_').join(',') : '', '_,act');
  assert.equal(unnamed?.name, undefined);
});

test('parse never throws on arbitrary text', () => {
  for (const text of ['', '{', '(((', '"', '#', 'a b c {', '[[[', ':::', '\r\n\r', 'model x(\n', 'x = y = z']) {
    const { tree } = parse(text);
    assert.equal(tree.span.end, text.length);
  }
});

test('a dotted attribute name is one name with its segments; a stray dot is still an error', () => {
  const text = 'sweep grid {\n  train.optimizer.lr = [0.1]\n}\n';
  const { tree, errors } = parse(text);
  assert.deepEqual(errors, []);
  const item = tree.blocks[0]!.items[0]!;
  assert.equal(item.kind, 'attribute');
  if (item.kind !== 'attribute') return;
  assert.equal(item.name.name, 'train.optimizer.lr');
  assert.deepEqual(pathSegments(item.name).map((s) => text.slice(s.span.start, s.span.end)), ['train', 'optimizer', 'lr']);
  assert.equal(format(text), text);
  assert.ok(parse('train {\n  a. b = 1\n}\n').errors.length > 0);
});

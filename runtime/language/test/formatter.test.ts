// Formatter tests: golden pairs in test-fixtures/format (`x.in.minima` → `x.out.minima`; run with
// UPDATE_EXPECT=1 to rewrite the outputs), then properties over every recipe fixture: formatting
// is idempotent and preserves the syntax tree (modulo spans) and the comments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { filesUnder, fixtureRecipes, updateExpect } from '../../testing/files';
import { format, parse, treeShape } from '..';

const FORMAT_DIR = 'test-fixtures/format';

function checkGolden(inputPath: string): void {
  const outPath = inputPath.replace(/\.in\.minima$/, '.out.minima');
  const input = fs.readFileSync(inputPath, 'utf8');
  const actual = format(input);
  if (updateExpect()) fs.writeFileSync(outPath, actual);
  assert.ok(fs.existsSync(outPath), `${outPath} is missing; run with UPDATE_EXPECT=1 to create it`);
  assert.equal(actual, fs.readFileSync(outPath, 'utf8'), `format(${inputPath}) differs from ${outPath}`);
}

for (const input of filesUnder(FORMAT_DIR, '.in.minima')) {
  test(`format golden: ${input}`, () => checkGolden(input));
}

for (const file of fixtureRecipes()) {
  test(`format properties: ${file}`, () => {
    const text = fs.readFileSync(file, 'utf8');
    const once = format(text);
    assert.equal(format(once), once, 'format is not idempotent');
    const before = parse(text);
    if (before.errors.length > 0) {
      assert.equal(once, text, 'a file with syntax errors must come back unchanged');
      return;
    }
    const after = parse(once);
    assert.deepEqual(after.errors, [], 'formatted text has syntax errors');
    assert.deepEqual(treeShape(after.tree), treeShape(before.tree), 'formatting changed the tree');
  });
}

test('the reference example is already formatted', () => {
  const text = fs.readFileSync('test-fixtures/recipes/examples/digits-sam.minima', 'utf8');
  assert.equal(format(text), text);
});

test('format edge cases', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['\n\n\n', ''],
    ['# only a comment', '# only a comment\n'],
    ['train{epochs=1}', 'train {\n  epochs = 1\n}\n'],
    ['data digits {}\n\n\n\nmodel mlp {}', 'data digits {}\n\nmodel mlp {}\n'],
    ['model mlp {\n  a: dense(1); b: dense(2)\n}', 'model mlp {\n  a: dense(1)\n  b: dense(2)\n}\n'],
    ['model onnx( "m.onnx" ) {\n}', 'model onnx("m.onnx") {}\n'],
    ['train {\n  epochs = 1 # one   \n}', 'train {\n  epochs = 1 # one\n}\n'],
  ];
  for (const [input, expected] of cases) assert.equal(format(input), expected, JSON.stringify(input));
});

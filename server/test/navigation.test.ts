import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLspEdits, fixture } from '../../runtime/testing/cursor';
import { definition, prepareRename, references, rename, renameError } from '../features';

const URI = 'file:///r.minima';

/** Definition at `$0` is the one `<|…|>` range (or nothing when none is marked). */
function checkDefinition(marked: string): void {
  const f = fixture(marked);
  assert.deepEqual(definition(f.analysis, URI, f.position), f.lspRanges.map((range) => ({ uri: URI, range })));
}

/** References at `$0` (with the declaration) are exactly the `<|…|>` ranges, in text order. */
function checkReferences(marked: string): void {
  const f = fixture(marked);
  const found = references(f.analysis, URI, f.position, true).map((l) => l.range);
  const key = (r: { start: { line: number; character: number } }) => r.start.line * 1e4 + r.start.character;
  assert.deepEqual(found.sort((x, y) => key(x) - key(y)), [...f.lspRanges]);
}

function checkRename(marked: string, newName: string, after: string): void {
  const f = fixture(marked);
  const edit = rename(f.analysis, URI, f.position, newName);
  assert.ok(edit, renameError(f.analysis, f.position, newName));
  assert.equal(applyLspEdits(f.text, edit.changes?.[URI] ?? []), fixture(after).text);
}

const MODEL = 'data digits {\n}\nmodel mlp {\n  fc1: dense(16)\n  dense(10)\n}\n';

test('definition: from a reference to an explicit name', () => checkDefinition('model mlp {\n  <|fc1|>: dense(16)\n}\nprune {\n  layers = [f$0c1]\n}\n'));
test('definition: from a reference to an auto-named layer', () => checkDefinition('model mlp {\n  <|dense|>(16)\n  dense(10)\n}\nprune {\n  layers = [dense_1$0]\n}\n'));
test('definition: nothing on a technique name', () => checkDefinition('model mlp {\n  dense(16)\n}\ntrain {\n  optimizer = ad$0am()\n}\n'));
test('references: from the definition', () => checkReferences(MODEL.replace('fc1:', '<|f$0c1|>:') + 'prune {\n  layers = [<|fc1|>]\n}\nquantize {\n  layers = [<|fc1|>, dense_2]\n}\n'));
test('references: from a reference of an auto-named layer', () => checkReferences('model mlp {\n  dense(16)\n  <|dense|>(10)\n}\nprune {\n  layers = [<|dense_2|>]\n}\nquantize {\n  layers = [<|dense$0_2|>]\n}\n'));

test('rename: an explicit name and its references', () =>
  checkRename(MODEL + 'prune {\n  layers = [fc1$0]\n}\n', 'hidden', 'data digits {\n}\nmodel mlp {\n  hidden: dense(16)\n  dense(10)\n}\nprune {\n  layers = [hidden]\n}\n'));

test('rename: an auto-named layer gets an explicit name', () =>
  checkRename(MODEL + 'prune {\n  layers = [dense_$02]\n}\n', 'out', 'data digits {\n}\nmodel mlp {\n  fc1: dense(16)\n  out: dense(10)\n}\nprune {\n  layers = [out]\n}\n'));

test('rename: prepare gives the name under the cursor', () => {
  const f = fixture(MODEL + 'prune {\n  layers = [<|dense$0_2|>]\n}\n');
  assert.deepEqual(prepareRename(f.analysis, f.position), { range: f.lspRanges[0], placeholder: 'dense_2' });
  const g = fixture(MODEL + 'train {\n  optimizer = ad$0am()\n}\n');
  assert.equal(prepareRename(g.analysis, g.position), undefined);
});

test('rename: invalid or clashing names are refused with a reason', () => {
  const f = fixture(MODEL + 'prune {\n  layers = [fc1$0]\n}\n');
  for (const [name, reason] of [
    ['2fast', /not a valid layer name/],
    ['a-b', /not a valid layer name/],
    ['dense_2', /already exists/],
    ['true', /boolean/],
  ] as const) {
    assert.equal(rename(f.analysis, URI, f.position, name), undefined, name);
    assert.match(renameError(f.analysis, f.position, name) ?? '', reason);
  }
});

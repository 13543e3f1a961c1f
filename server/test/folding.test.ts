import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { foldingRanges } from '../features';

/** Folding ranges as `start-end[:kind]` strings. */
function check(marked: string, expect: readonly string[]): void {
  const f = fixture(marked);
  assert.deepEqual(
    foldingRanges(f.analysis).map((r) => `${r.startLine}-${r.endLine}${r.kind ? `:${r.kind}` : ''}`),
    expect,
  );
}

test('folding: blocks keep their closing brace visible', () => check('train {\n  epochs = 3\n  loss = mse\n}\n', ['0-2']));
test('folding: one-line blocks do not fold', () => check('train { epochs = 3 }\n', []));
test('folding: multi-line calls and lists', () =>
  check('train {\n  optimizer = sam(\n    rho: 0.1,\n    base: adam()\n  )\n  regularizers = [\n    mixup()\n  ]\n}\n', ['0-7', '1-3', '5-6']));
test('folding: comment runs', () => check('# one\n# two\n# three\ntrain {\n  # lone\n  epochs = 3\n}\n', ['0-2:comment', '3-5']));
test('folding: an unclosed block folds to its last item', () => check('train {\n  epochs = 3\n  loss = mse\n', ['0-2']));

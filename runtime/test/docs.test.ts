// Docs derived from code stay in sync: docs/diagnostics.md (from the diagnostic codes) and the
// block reference in docs/language.md (from the block specs). UPDATE_EXPECT=1 rewrites them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { blockTablesMarkdown, diagnosticsMarkdown, replaceGenerated } from '../testing/docs';
import { updateExpect } from '../testing/files';

function sync(file: string, expected: string): void {
  if (updateExpect()) fs.writeFileSync(file, expected);
  const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  assert.equal(actual, expected, `${file} is out of date: run the tests with UPDATE_EXPECT=1`);
}

test('docs/diagnostics.md lists every diagnostic code', () => {
  sync('docs/diagnostics.md', diagnosticsMarkdown());
});

test('docs/language.md holds the current block reference', () => {
  const file = 'docs/language.md';
  const doc = fs.readFileSync(file, 'utf8');
  sync(file, replaceGenerated(doc, 'blocks', blockTablesMarkdown()));
});

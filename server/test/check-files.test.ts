// `minima/checkFiles`: unopened recipes are read and analyzed, their diagnostics published; open
// documents are counted from the editor's text and left to the usual publishing; unreadable files
// are reported, not thrown.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { analyze } from '../../runtime/analysis';
import { checkFiles } from '../check-files';

const FIXTURES = path.join('test-fixtures', 'recipes');

test('checkFiles reads unopened recipes from disk and publishes their diagnostics', () => {
  const bad = pathToFileURL(path.resolve(FIXTURES, 'invalid', 'attributes-duplicate.minima')).toString();
  const good = pathToFileURL(path.resolve(FIXTURES, 'examples', 'digits-sam.minima')).toString();
  const published = new Map<string, Diagnostic[]>();
  const result = checkFiles({ uris: [bad, good] }, { openAnalysis: () => undefined, publish: (uri, d) => published.set(uri, d) });
  assert.deepEqual(result.files.map((f) => [f.uri, f.errors]), [[bad, 1], [good, 0]]);
  assert.deepEqual(published.get(bad)?.map((d) => d.code), ['M015']);
  assert.deepEqual(published.get(good), []);
});

test('an open document is checked from its editor text and not published again', () => {
  const uri = 'file:///open.minima';
  const published: string[] = [];
  const result = checkFiles(
    { uris: [uri] },
    {
      openAnalysis: (u) => (u === uri ? analyze('train {\n  optimizer = adamm()\n}\n') : undefined),
      publish: (u) => published.push(u),
      read: () => assert.fail('an open document must not be read from disk'),
    },
  );
  assert.ok((result.files[0]?.errors ?? 0) > 0);
  assert.deepEqual(published, []);
});

test('an unreadable file is reported with its error code', () => {
  const missing = pathToFileURL(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minima-check-')), 'gone.minima')).toString();
  const result = checkFiles({ uris: [missing] }, { openAnalysis: () => undefined, publish: () => assert.fail('nothing to publish') });
  assert.deepEqual(result.files, [{ uri: missing, errors: 0, warnings: 0, unreadable: 'ENOENT' }]);
});

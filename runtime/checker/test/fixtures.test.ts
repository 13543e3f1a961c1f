// Runs every recipe fixture: valid ones and the examples must produce no diagnostic at all;
// invalid ones must produce exactly the diagnostics their marker lines describe.
// `UPDATE_EXPECT=1` rewrites the marker lines of the invalid fixtures from the actual output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../analysis';
import { compareDiagnostics, parseMarkers, renderMarkers } from '../../testing/fixtures';

const ROOT = join(process.cwd(), 'test-fixtures', 'recipes');
const list = (dir: string) => readdirSync(join(ROOT, dir), { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.minima')).map((f) => f.name).sort().map((f) => join(ROOT, dir, f));

for (const dir of ['valid', 'examples']) {
  for (const file of list(dir)) {
    test(`${dir}/${file.split(/[\\/]/).pop()} checks clean`, () => {
      const a = analyze(readFileSync(file, 'utf8'));
      assert.deepEqual(a.diagnostics.map((d) => `${d.severity} ${d.code} @${d.span.start}: ${d.message}`), []);
      assert.ok(a.recipe, 'a clean recipe yields a plan');
    });
  }
}

for (const file of list('invalid')) {
  test(`invalid/${file.split(/[\\/]/).pop()}`, () => {
    const text = readFileSync(file, 'utf8');
    const a = analyze(text);
    if (process.env['UPDATE_EXPECT'] === '1') {
      writeFileSync(file, renderMarkers(text, a.diagnostics));
      return;
    }
    const expected = parseMarkers(text);
    assert.ok(expected.length > 0, 'an invalid fixture states at least one expected diagnostic');
    assert.deepEqual(compareDiagnostics(text, expected, a.diagnostics), []);
    if (a.diagnostics.some((d) => d.severity === 'error')) assert.equal(a.recipe, undefined, 'no plan for a recipe with errors');
    const len = text.length;
    for (const d of a.diagnostics) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= len, `span inside the document: ${d.code}`);
  });
}

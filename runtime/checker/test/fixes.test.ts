// Every quick fix the checker offers on the invalid fixtures must remove the diagnostic it is
// attached to: applying its edits and re-checking leaves fewer diagnostics with that code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../analysis';
import { applyEdits } from '../../language';

const DIR = join(process.cwd(), 'test-fixtures', 'recipes', 'invalid');

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.minima')).sort()) {
  test(`quick fixes in invalid/${name}`, () => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const before = analyze(text).diagnostics;
    const count = (ds: readonly { code: string }[], code: string) => ds.filter((d) => d.code === code).length;
    for (const d of before) {
      for (const fix of d.fixes ?? []) {
        const fixed = applyEdits(text, fix.edits);
        const after = analyze(fixed).diagnostics;
        assert.ok(count(after, d.code) < count(before, d.code), `"${fix.title}" for ${d.code} "${d.message}" leaves it in place:\n${fixed}`);
      }
    }
  });
}

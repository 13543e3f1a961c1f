// Snapshot fixtures: each `test-fixtures/lsp/<feature>/<name>.minima` (with a `$0` cursor where the
// feature needs one) is run through the feature, rendered as text and compared with
// `<name>.expected` beside it. `UPDATE_EXPECT=1` rewrites the expectations; review the diff.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, type AnalyzedFixture } from '../../runtime/testing/cursor';
import { completion, hover, inlayHints, signatureHelp } from '../features';

const ROOT = join(process.cwd(), 'test-fixtures', 'lsp');
const UPDATE = process.env['UPDATE_EXPECT'] === '1';

const RENDER: Readonly<Record<string, (f: AnalyzedFixture) => string>> = {
  completion: (f) =>
    completion(f.analysis, f.position)
      .map((i) => `${i.label}${i.detail ? ` — ${i.detail}` : ''}${i.labelDetails?.description ? ` | ${i.labelDetails.description}` : ''}`)
      .join('\n'),
  hover: (f) => {
    const h = hover(f.analysis, f.position);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '(none)';
  },
  'signature-help': (f) => {
    const help = signatureHelp(f.analysis, f.position);
    const sig = help?.signatures[0];
    if (!help || !sig) return '(none)';
    const p = typeof help.activeParameter === 'number' ? sig.parameters?.[help.activeParameter]?.label : undefined;
    return `${sig.label}\nactive: ${Array.isArray(p) ? sig.label.slice(p[0], p[1]) : '(none)'}`;
  },
  'inlay-hints': (f) => {
    const end = f.analysis.lines.position(f.text.length);
    let out = f.text;
    for (const h of inlayHints(f.analysis, { start: { line: 0, character: 0 }, end }).reverse()) {
      const at = f.analysis.lines.offset(h.position);
      out = out.slice(0, at) + `${h.paddingLeft ? ' ' : ''}⟦${typeof h.label === 'string' ? h.label : h.label.map((l) => l.value).join('')}⟧` + out.slice(at);
    }
    return out.trimEnd();
  },
};

for (const [feature, render] of Object.entries(RENDER)) {
  const dir = join(ROOT, feature);
  const files = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.minima')).sort() : [];
  test(`snapshots: ${feature} has fixtures`, () => assert.ok(files.length > 0, dir));
  for (const name of files) {
    test(`snapshots: ${feature}/${name}`, () => {
      const actual = render(fixture(readFileSync(join(dir, name), 'utf8'))) + '\n';
      const expectedPath = join(dir, name.replace(/\.minima$/, '.expected'));
      if (UPDATE) writeFileSync(expectedPath, actual);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath}: run with UPDATE_EXPECT=1`);
      assert.equal(actual, readFileSync(expectedPath, 'utf8'));
    });
  }
}

// docs/catalog.md is generated from the catalog; this test keeps the committed page in step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../index';
import { renderCatalogMarkdown } from '../docs';

const PAGE = join(process.cwd(), 'docs', 'catalog.md');

test('docs/catalog.md matches the catalog', () => {
  const expected = renderCatalogMarkdown(CATALOG);
  if (process.env['UPDATE_EXPECT'] === '1') {
    writeFileSync(PAGE, expected);
    return;
  }
  const actual = existsSync(PAGE) ? readFileSync(PAGE, 'utf8') : '';
  assert.ok(actual === expected, 'docs/catalog.md is out of date: run the catalog tests with UPDATE_EXPECT=1 to refresh it');
});

test('the page has a section for every entry, with its parameters and rules', () => {
  const page = renderCatalogMarkdown(CATALOG);
  for (const e of CATALOG.entries) {
    const start = page.indexOf(`### \`${e.name}\`\n\n*${e.summary}*`);
    assert.ok(start >= 0, `no section for ${e.kind} ${e.name}`);
    const section = page.slice(start, page.indexOf('\n### ', start + 1) === -1 ? undefined : page.indexOf('\n### ', start + 1));
    for (const p of e.params) assert.ok(section.includes(`| \`${p.name}\``), `${e.name}: parameter ${p.name}`);
    for (const r of e.rules ?? []) assert.ok(section.includes(r.message), `${e.name}: rule ${r.message}`);
    if (e.paper !== undefined) assert.ok(section.includes(e.paper.title), `${e.name}: paper`);
  }
});

// Architecture invariants, checked on the import statements of every TypeScript file: each layer
// imports only the layers below it, and the core knows nothing about IO, LSP, vscode or onnxruntime.
// Tests (files under a `test/` folder) may do IO and are exempt from the purity rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesUnder } from '../testing/files';

interface Import {
  readonly file: string;
  readonly spec: string;
  /** Repository-relative path for relative imports (without extension); undefined for packages. */
  readonly target?: string;
}

const SOURCE_ROOTS = ['runtime', 'server', 'client', 'bench'];

function sources(): string[] {
  return SOURCE_ROOTS.flatMap((r) => filesUnder(r, '.ts')).filter((f) => !f.endsWith('.d.ts'));
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  // Comments could mention `import … from '…'`; strip them first (strings rarely do).
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec === undefined) continue;
    const target = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.dirname(file).split(path.sep).join('/'), spec)) : undefined;
    out.push({ file, spec, ...(target !== undefined ? { target } : {}) });
  }
  return out;
}

const isTest = (f: string) => f.split(path.sep).includes('test');
const under = (p: string | undefined, dir: string) => p !== undefined && (p === dir || p.startsWith(dir + '/'));
const inDir = (f: string, dir: string) => under(f.split(path.sep).join('/'), dir);
const all = () => sources().flatMap(importsOf);

interface Rule {
  readonly name: string;
  /** Files the rule applies to. */
  readonly applies: (file: string) => boolean;
  /** True when the import breaks the rule. */
  readonly forbids: (i: Import) => boolean;
}

const PURE_CORE = (dir: string, allowed: readonly string[]): Rule => ({
  name: `${dir} imports only ${[dir, ...allowed].join(', ')} and no packages or node modules`,
  applies: (f) => inDir(f, dir) && !isTest(f),
  forbids: (i) => (i.target === undefined ? true : ![dir, ...allowed].some((d) => under(i.target, d))),
});

const EDITOR_PACKAGES = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|vscode-jsonrpc)(\/|$)/;

const RULES: readonly Rule[] = [
  PURE_CORE('runtime/language', []),
  PURE_CORE('runtime/catalog', ['runtime/language']),
  PURE_CORE('runtime/checker', ['runtime/language', 'runtime/catalog']),
  {
    name: 'runtime never imports server/, client/ or editor packages',
    applies: (f) => inDir(f, 'runtime'),
    forbids: (i) => under(i.target, 'server') || under(i.target, 'client') || EDITOR_PACKAGES.test(i.spec),
  },
  {
    // NOTE: the engine (runtime/engine) is the one place that will run onnxruntime.
    name: 'runtime imports onnxruntime only in runtime/engine',
    applies: (f) => inDir(f, 'runtime') && !inDir(f, 'runtime/engine'),
    forbids: (i) => /^onnxruntime/.test(i.spec),
  },
  {
    name: 'server never imports client/, vscode or onnxruntime',
    applies: (f) => inDir(f, 'server'),
    forbids: (i) => under(i.target, 'client') || /^vscode(\/|$)/.test(i.spec) || /^onnxruntime/.test(i.spec),
  },
  {
    name: 'client talks LSP: it never imports the parser or the checker',
    applies: (f) => inDir(f, 'client'),
    forbids: (i) => under(i.target, 'runtime/language') || under(i.target, 'runtime/checker') || /^vscode-languageserver(\/|$)/.test(i.spec),
  },
];

for (const rule of RULES) {
  test(`layering: ${rule.name}`, () => {
    const bad = all().filter((i) => rule.applies(i.file) && rule.forbids(i));
    assert.deepEqual(
      bad.map((i) => `${i.file.split(path.sep).join('/')} imports '${i.spec}'`),
      [],
    );
  });
}

test('layering: the import scanner sees the imports it should', () => {
  // Guards the rules above against a scanner that silently finds nothing.
  const analysis = importsOf(path.join('runtime', 'analysis', 'index.ts')).map((i) => i.target);
  assert.ok(analysis.includes('runtime/language') && analysis.includes('runtime/checker'), JSON.stringify(analysis));
  assert.ok(all().length > 50);
});

for (const dir of ['runtime/language', 'runtime/catalog', 'runtime/checker']) {
  test(`layering: ${dir}/index.ts opens with its invariant`, () => {
    const text = fs.readFileSync(path.join(...dir.split('/'), 'index.ts'), 'utf8');
    const header = /^(?:\/\/.*\n)+/.exec(text)?.[0] ?? '';
    assert.match(header, /Knows/, `${dir}/index.ts must open with a comment stating what the layer knows`);
    assert.match(header, /nothing about/, `${dir}/index.ts must state what the layer does not know`);
    assert.match(header, /LSP/);
  });
}

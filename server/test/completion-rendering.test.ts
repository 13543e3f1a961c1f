// How completion items read in an editor: one plain line per row (`labelDetails.description`), a
// short plain `detail` (VS Code breaks it at any character once it wraps), documentation whose
// words wrap normally with parameters as a list, and call snippets that read as finished calls
// beside the inlay hints of the defaults they leave out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { CATALOG } from '../../runtime/catalog';
import { fixture } from '../../runtime/testing/cursor';
import { completion, inlayHints } from '../features';
import { DETAIL_MAX, blockMarkdown, paramDetail, paramMarkdown, techniqueMarkdown } from '../features/markdown';

const HEAD = 'data digits {\n}\nmodel mlp {\n  dense(16)\n  dense(10)\n}\n';

/** Cursor positions in every completion context: block keywords, attributes, values, arguments, layer names. */
const POSITIONS: readonly string[] = [
  '$0',
  'data $0',
  'model $0',
  'model cnn {\n  $0\n}',
  ...CATALOG.blocks.map((b) => `${HEAD}${b.name === 'data' || b.name === 'model' ? '' : `${b.name} {\n  $0\n}\n`}`).filter((t) => t.includes('$0')),
  'data digits {\n  $0\n}',
  'data digits {\n  standardize = $0\n}',
  'data digits {\n  augment = [$0]\n}',
  'data digits {\n  shuffle = $0\n}',
  `${HEAD}train {\n  optimizer = $0\n}`,
  `${HEAD}train {\n  schedule = $0\n}`,
  `${HEAD}train {\n  loss = $0\n}`,
  `${HEAD}train {\n  regularizers = $0\n}`,
  ...CATALOG.ofKind(['optimizer', 'wrapper', 'schedule']).map((e) => `${HEAD}train {\n  ${e.kind === 'schedule' ? 'schedule' : 'optimizer'} = ${e.name}($0)\n}`),
  `${HEAD}prune {\n  layers = [$0]\n}`,
  `${HEAD}prune {\n  method = $0\n}`,
  `${HEAD}report {\n  metrics = [loss, $0]\n}`,
  `${HEAD}train {\n  optimizer = sam(base: sgd)\n}\nsweep grid {\n  $0\n}`,
];

function itemsAt(marked: string): CompletionItem[] {
  const f = fixture(marked);
  return completion(f.analysis, f.position);
}

const ALL = POSITIONS.flatMap((p) => itemsAt(p).map((item) => ({ at: p, item })));

test('completion rendering: the positions cover every context', () => {
  assert.ok(ALL.length > 200, `only ${ALL.length} items`);
  for (const p of POSITIONS) assert.ok(itemsAt(p).length > 0, `no items at\n${p}`);
});

test('completion rendering: every row has a one-line plain description', () => {
  for (const { at, item } of ALL) {
    const d = item.labelDetails?.description;
    assert.ok(d && d.length > 0, `'${item.label}' has no description at\n${at}`);
    assert.ok(!/[\n`\\]|\*\*/.test(d), `'${item.label}': the description is not one plain line: ${JSON.stringify(d)}`);
    assert.ok(!d.endsWith('.'), `'${item.label}': a row description is a phrase, without its period: ${d}`);
  }
});

test('completion rendering: details are short plain text, so the details pane never breaks them mid-word', () => {
  // VS Code shows `detail` above the documentation with `word-break: break-all` once it wraps:
  // "Stochastic gradient descent with op|tional …". A detail within DETAIL_MAX never wraps.
  for (const { at, item } of ALL) {
    const d = item.detail;
    if (d === undefined) continue;
    assert.ok(d.length <= DETAIL_MAX, `'${item.label}': detail longer than ${DETAIL_MAX}: ${JSON.stringify(d)} at\n${at}`);
    assert.ok(!/[\n`\\]|\*\*/.test(d), `'${item.label}': detail is not plain text: ${JSON.stringify(d)}`);
  }
});

test('completion rendering: documentation has parameter lists, no tables, and nothing that breaks a word', () => {
  for (const { item } of ALL) {
    const doc = item.documentation;
    if (doc === undefined) continue;
    assertWrapsAtWords(typeof doc === 'string' ? doc : doc.value, item.label);
  }
});

test('completion rendering: every catalog entry and block renders wrappable Markdown with parameters as a list', () => {
  for (const e of CATALOG.entries) {
    const doc = techniqueMarkdown(e);
    assertWrapsAtWords(doc, e.name);
    if (e.params.length > 0) {
      assert.match(doc, /\*\*Parameters\*\*\n\n- `/, `${e.name}: parameters are a list`);
      for (const p of e.params) assert.ok(doc.includes(`\n- \`${p.name}\` · `), `${e.name}: ${p.name} has its own list item`);
    }
    for (const p of e.params) {
      assertWrapsAtWords(paramMarkdown(p, e.name), `${e.name}.${p.name}`);
      const d = paramDetail(p);
      assert.ok(d.length <= DETAIL_MAX && !/[`\\\n]/.test(d), `${e.name}.${p.name}: detail ${JSON.stringify(d)}`);
    }
  }
  for (const b of CATALOG.blocks) {
    const doc = blockMarkdown(b);
    assertWrapsAtWords(doc, b.name);
    if (b.attributes.length > 0) assert.match(doc, /\*\*Attributes\*\*\n\n- `/, `${b.name}: attributes are a list`);
  }
});

test('completion rendering: the sgd row and its details pane, as the review saw them', () => {
  const sgd = itemsAt(`${HEAD}train {\n  optimizer = $0\n}`).find((i) => i.label === 'sgd');
  assert.equal(sgd?.detail, 'optimizer');
  assert.equal(sgd?.labelDetails?.description, 'Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay');
  const doc = (sgd?.documentation as MarkupContent).value;
  assert.ok(doc.includes('\n- `momentum` · number · default `0` — Momentum factor μ.'), doc);
  assert.ok(doc.includes('\n- `weight_decay` · number · default `0` — L2 penalty λ added to the gradient.'), doc);
});

test('completion rendering: accepting sam inserts a finished call that reads well with the inlay hints', () => {
  const sam = itemsAt(`${HEAD}train {\n  optimizer = $0\n}`).find((i) => i.label === 'sam');
  const snippet = sam?.textEdit && 'newText' in sam.textEdit ? sam.textEdit.newText : '';
  assert.equal(snippet, 'sam(base: ${1:sgd(lr: 0.1)}, rho: ${2:0.05})');
  const inserted = expand(snippet);
  const f = fixture(`${HEAD}train {\n  epochs = 1\n  optimizer = ${inserted}\n}\n`);
  assert.deepEqual(f.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const line = f.text.split('\n').findIndex((l) => l.includes('optimizer ='));
  assert.equal(withHints(f, line), '  optimizer = sam(base: sgd(lr: 0.1⟦, momentum: 0, dampening: 0, nesterov: false, +1 more⟧), rho: 0.05⟦, adaptive: false⟧)');
});

test('completion rendering: before an existing `(` a technique inserts its name only', () => {
  const sam = itemsAt(`${HEAD}train {\n  optimizer = sa$0(rho: 0.1, base: sgd())\n}`).find((i) => i.label === 'sam');
  assert.equal(sam?.textEdit && 'newText' in sam.textEdit ? sam.textEdit.newText : undefined, 'sam');
  assert.equal(sam?.insertTextFormat, undefined);
});

test('completion rendering: every optimizer and wrapper snippet, as inserted, checks without errors', () => {
  // SAM-ON perturbs normalization parameters only, so the model has one.
  const head = HEAD.replace('dense(16)', 'dense(16, norm: layer)');
  const items = itemsAt(`${head}train {\n  optimizer = $0\n}`).filter((i) => i.kind === 3);
  assert.ok(items.length >= CATALOG.ofKind(['optimizer', 'wrapper']).length);
  for (const item of items) {
    const text = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : item.label;
    const f = fixture(`${head}train {\n  epochs = 1\n  optimizer = ${expand(text)}\n}\n`);
    const errors = f.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    // A positional placeholder (`sgdp(lr)`) is the name of what to write, not a value.
    if (/\$\{\d+:[a-z_]+\}/.test(text) && !/: \$\{/.test(text)) continue;
    assert.deepEqual(errors, [], `${item.label}: ${text}`);
  }
});

test('completion rendering: snippet placeholders never leave a named argument empty', () => {
  for (const { item } of ALL) {
    if (item.insertTextFormat !== 2) continue;
    const text = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : '';
    assert.ok(!/\w: \$\d|\w: \$\{\d+\}/.test(text), `'${item.label}' leaves an argument empty: ${text}`);
  }
});

/** The markdown wraps only at spaces: no soft hyphens or invisible joiners, no tables, no line break inside a word. */
function assertWrapsAtWords(md: string, what: string): void {
  assert.ok(!/[\u00ad\u200b-\u200d\u2060\ufeff\u00a0]/.test(md), `${what}: invisible or non-breaking characters in ${JSON.stringify(md)}`);
  assert.ok(!/^\|.*\|\s*$/m.test(md), `${what}: a Markdown table (its cells squeeze to one word per line): ${md}`);
  assert.ok(!/[A-Za-z]-?\n[a-z]/.test(md.replace(/```[\s\S]*?```/g, '')), `${what}: a line break inside a word: ${md}`);
}

/** The text a snippet inserts when every placeholder is accepted as it is. */
function expand(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 10 && /\$\{\d+:[^{}]*\}/.test(out); i++) out = out.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return out.replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

/** Line `line` of the fixture with its inlay hints rendered as `⟦label⟧`. */
function withHints(f: ReturnType<typeof fixture>, line: number): string {
  const lines = f.text.split('\n');
  const hints = inlayHints(f.analysis, { start: { line, character: 0 }, end: { line, character: lines[line]!.length } }).filter((h) => h.position.line === line);
  let out = lines[line]!;
  for (const h of [...hints].reverse()) {
    const label = typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
    out = out.slice(0, h.position.character) + `${h.paddingLeft ? ' ' : ''}⟦${label}⟧` + out.slice(h.position.character);
  }
  return out;
}

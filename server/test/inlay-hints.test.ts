import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { inlayHints } from '../features';

/** Renders the hints into the text as `⟦label⟧` (with a space before when padded) and compares. */
function check(text: string, expect: string, only?: (line: number) => boolean): void {
  const f = fixture(text);
  const end = f.analysis.lines.position(f.text.length);
  const hints = inlayHints(f.analysis, { start: { line: 0, character: 0 }, end }).filter((h) => !only || only(h.position.line));
  let out = f.text;
  for (const h of [...hints].reverse()) {
    const at = f.analysis.lines.offset(h.position);
    const label = typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
    out = out.slice(0, at) + `${h.paddingLeft ? ' ' : ''}⟦${label}⟧` + out.slice(at);
  }
  assert.equal(out, fixture(expect).text);
}

const HEAD = 'data digits {\n  split = 80%\n  batch = 64\n  shuffle = true\n  standardize = none\n}\n';

test('inlay hints: the defaults of a call, the rest counted as `+N more`', () =>
  check(
    HEAD + 'train {\n  optimizer = adamp(lr: 1e-3)\n}\n',
    HEAD + 'train {\n  optimizer = adamp(lr: 1e-3⟦, beta1: 0.9, beta2: 0.999, eps: 1e-8, +4 more⟧)\n}\n',
    (line) => line === 7,
  ));

test('inlay hints: an empty call and a bare technique name', () =>
  check(HEAD + 'train {\n  schedule = cosine()\n  loss = cross_entropy\n}\n', HEAD + 'train {\n  schedule = cosine(⟦warmup: 0ep, min_lr: 0⟧)\n  loss = cross_entropy⟦(smoothing: 0)⟧\n}\n', (line) => line > 6));

test('inlay hints: positional arguments count as written', () =>
  check(HEAD + 'model mlp {\n  dense(10, act: relu, norm: none)\n}\n', HEAD + 'model mlp {\n  dense(10, act: relu, norm: none⟦, bias: true⟧) ⟦→ [10]⟧\n}\n', (line) => line === 7));

test("inlay hints: a block's unwritten attributes, all of them, as one annotation at the end of its opening line", () =>
  check('quantize {\n  bits = 4\n}\n', 'quantize { ⟦⟨defaults: method = ptq, per_channel = true, symmetric = true, calibrate = minmax⟩⟧\n  bits = 4\n}\n'));

test("inlay hints: a block's defaults go to the end of the line, after what follows the brace", () =>
  check('recipe "r" { seed = 1 }\ntrain { epochs = 3 optimizer = sgd(lr: 0.1) }\n', 'recipe "r" { seed = 1 }\ntrain { epochs = 3 optimizer = sgd(lr: 0.1⟦, momentum: 0, dampening: 0, nesterov: false, +1 more⟧) } ⟦⟨defaults: loss = cross_entropy, schedule = constant, regularizers = []⟩⟧\n', (line) => line === 1));

test('inlay hints: layer output shapes', () =>
  check(
    HEAD + 'model cnn {\n  conv2d(4, kernel: 3, act: relu, norm: none, pad: 1, stride: 1, groups: 1, bias: true)\n  flatten\n  fc: dense(10, act: identity, norm: none, bias: false)\n  init = he(mode: fan_in, distribution: normal)\n}\n',
    HEAD + 'model cnn {\n  conv2d(4, kernel: 3, act: relu, norm: none, pad: 1, stride: 1, groups: 1, bias: true) ⟦→ [4, 8, 8]⟧\n  flatten ⟦→ [256]⟧\n  fc: dense(10, act: identity, norm: none, bias: false) ⟦→ [10]⟧\n  init = he(mode: fan_in, distribution: normal)\n}\n',
    (line) => line > 6,
  ));

test('inlay hints: only inside the requested range', () => {
  const f = fixture(HEAD + 'train {\n  optimizer = adamp(lr: 1e-3)\n}\n');
  assert.deepEqual(inlayHints(f.analysis, { start: { line: 0, character: 0 }, end: { line: 5, character: 1 } }).map((h) => h.position.line), [0, 0]);
});

test('inlay hints: every default is a label part with its documentation; `+N more` lists the rest in full', () => {
  const f = fixture(HEAD + 'train {\n  optimizer = adamp(lr: 1e-3)\n}\n');
  const end = f.analysis.lines.position(f.text.length);
  const hints = inlayHints(f.analysis, { start: { line: 0, character: 0 }, end });
  const call = hints.find((h) => h.position.line === 7);
  assert.ok(call && Array.isArray(call.label), 'a hint with label parts in the call');
  const documented = call.label.filter((p) => p.tooltip !== undefined).map((p) => p.value);
  assert.deepEqual(documented, ['beta1: 0.9', 'beta2: 0.999', 'eps: 1e-8', '+4 more']);
  const more = call.label.find((p) => p.value === '+4 more')?.tooltip;
  const text = typeof more === 'string' ? more : more?.value ?? '';
  for (const name of ['weight_decay', 'delta', 'wd_ratio', 'nesterov']) assert.match(text, new RegExp(`\`${name}: `), `${name} is listed in the tooltip of +4 more`);
  const block = hints.find((h) => h.position.line === 6);
  assert.ok(block && Array.isArray(block.label), 'the train block has defaults');
  const loss = block.label.find((p) => p.value === 'loss = cross_entropy');
  const tip = typeof loss?.tooltip === 'string' ? loss.tooltip : loss?.tooltip?.value ?? '';
  assert.match(tip, /\*\*loss\*\* — attribute of `train`/);
});

test('inlay hints: no label is shortened, whatever the catalog holds', () => {
  // Every value is shown as `showValue` writes it; the only elision is the counted `+N more`.
  const f = fixture(HEAD + 'model mlp {\n  dense(10)\n}\ntrain {\n  optimizer = sam(base: adamw())\n  schedule = cosine()\n}\nprune {\n  sparsity = 50%\n}\nreport {\n}\n');
  const end = f.analysis.lines.position(f.text.length);
  for (const h of inlayHints(f.analysis, { start: { line: 0, character: 0 }, end })) {
    const parts = typeof h.label === 'string' ? [{ value: h.label }] : h.label;
    for (const p of parts) assert.ok(!p.value.includes('…'), `a hint part is shortened: ${p.value}`);
  }
});

test('inlay hints: the extension lifts VS Code\'s per-line cap for recipes, which would cut a hint mid-value', () => {
  // VS Code shortens the hints of one line to `editor.inlayHints.maximumLength` characters (43 by
  // default) with `…`, wherever that falls; the defaults of one block are longer than that.
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { contributes?: { configurationDefaults?: Record<string, Record<string, unknown>> } };
  assert.equal(pkg.contributes?.configurationDefaults?.['[minima]']?.['editor.inlayHints.maximumLength'], 0);
});

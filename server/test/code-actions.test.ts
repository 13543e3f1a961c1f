import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLspEdits, fixture } from '../../runtime/testing/cursor';
import { codeActions, diagnostics } from '../features';
import type { CodeAction } from 'vscode-languageserver';

const URI = 'file:///r.minima';

const HEAD = 'data digits {\n}\nmodel mlp {\n  dense(16)\n  dense(10)\n}\n';

/** Requests actions for the `<|…|>` range, applies the one titled `title` and compares the text. */
function check(marked: string, title: string, after: string, preferred: boolean): void {
  const f = fixture(marked);
  const range = f.lspRanges[0]!;
  const sent = diagnostics(f.analysis, URI);
  const actions = codeActions(f.analysis, URI, range, { diagnostics: sent.filter((d) => d.range.start.line <= range.end.line && range.start.line <= d.range.end.line) });
  const action = actions.find((x) => x.title === title);
  assert.ok(action, `no action '${title}' among [${actions.map((x) => x.title).join(', ')}]`);
  assert.equal(action.kind, 'quickfix');
  assert.equal(action.isPreferred === true, preferred, 'isPreferred');
  assert.ok(action.diagnostics && action.diagnostics.length === 1, 'the action names its diagnostic');
  assert.ok(sent.includes(action.diagnostics[0]!), "the action reuses the client's diagnostic object");
  assert.equal(applyLspEdits(f.text, action.edit?.changes?.[URI] ?? []), after);
}

test('code action: did you mean', () =>
  check(HEAD + 'train {\n  epochs = 3\n  optimizer = <|adan|>()\n}\n', "Change to 'adam'", HEAD + 'train {\n  epochs = 3\n  optimizer = adam()\n}\n', true));

test('code action: equally close candidates are separate quick fixes, none preferred', () => {
  // `adamq` is one edit from `adam`, `adamw` and `adamp`: each is offered, and the user chooses.
  const marked = HEAD + 'train {\n  epochs = 3\n  optimizer = <|adamq|>()\n}\n';
  const f = fixture(marked);
  const sent = diagnostics(f.analysis, URI);
  const d = sent.find((x) => x.code === 'M012');
  assert.ok(d, 'an unknown-name diagnostic');
  assert.match(String(d.message), /did you mean 'adam', 'adamw' or 'adamp'\?$/);
  const actions = codeActions(f.analysis, URI, f.lspRanges[0]!, { diagnostics: [d] });
  assert.deepEqual(actions.map((x) => x.title), ["Change to 'adam'", "Change to 'adamw'", "Change to 'adamp'"]);
  for (const name of ['adam', 'adamw', 'adamp']) {
    check(marked, `Change to '${name}'`, HEAD + `train {\n  epochs = 3\n  optimizer = ${name}()\n}\n`, false);
  }
});

test('code action: insert a missing required parameter', () =>
  check(HEAD + 'train {\n  epochs = 3\n  optimizer = <|sam|>(rho: 0.1)\n}\n', 'Add base: sgd(lr: 0.1)', HEAD + 'train {\n  epochs = 3\n  optimizer = sam(rho: 0.1, base: sgd(lr: 0.1))\n}\n', true));

test('code action: fix an N:M pattern and sparsity mismatch', () =>
  check(HEAD + 'train {\n  epochs = 3\n  optimizer = adam()\n}\nprune {\n  pattern = 2:4\n  sparsity = <|75%|>\n}\n', 'Set sparsity to 50%', HEAD + 'train {\n  epochs = 3\n  optimizer = adam()\n}\nprune {\n  pattern = 2:4\n  sparsity = 50%\n}\n', true));

test('code action: remove a duplicate attribute', () =>
  check(HEAD + 'train {\n  epochs = 3\n  <|epochs = 4|>\n  optimizer = adam()\n}\n', 'Remove the second epochs', HEAD + 'train {\n  epochs = 3\n  optimizer = adam()\n}\n', false));

test("code action: insert a missing '}'", () =>
  check(HEAD + 'train <|{|>\n  epochs = 3\n  optimizer = adam()\n', "Insert '}'", HEAD + 'train {\n  epochs = 3\n  optimizer = adam()\n}\n', true));

test('code action: none away from diagnostics', () => {
  const f = fixture(HEAD + '<|train|> {\n  epochs = 3\n  optimizer = adam()\n}\n');
  assert.deepEqual(codeActions(f.analysis, URI, f.lspRanges[0]!, { diagnostics: [] }), []);
});

test('code action: fix all applies every preferred fix', () => {
  // `adamq` has three equally close candidates, so fix-all leaves it for the user to choose.
  const f = fixture(HEAD + '<||>train {\n  epochs = 3\n  optimizer = sam(base: adamq(), rhoo: 0.1)\n  loss = cross_entropi\n}\n');
  const actions: CodeAction[] = codeActions(f.analysis, URI, f.lspRanges[0]!, { diagnostics: [], only: ['source.fixAll'] });
  assert.equal(actions.length, 1);
  assert.equal(actions[0]?.kind, 'source.fixAll.minima');
  assert.equal(applyLspEdits(f.text, actions[0]?.edit?.changes?.[URI] ?? []), HEAD + 'train {\n  epochs = 3\n  optimizer = sam(base: adamq(), rho: 0.1)\n  loss = cross_entropy\n}\n');
});

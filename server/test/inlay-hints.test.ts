import assert from 'node:assert/strict';
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

test('inlay hints: the defaults of a call, capped with …', () =>
  check(
    HEAD + 'train {\n  optimizer = adamp(lr: 1e-3)\n}\n',
    HEAD + 'train {\n  optimizer = adamp(lr: 1e-3⟦, beta1: 0.9, beta2: 0.999, eps: 1e-8, …⟧)\n}\n',
    (line) => line === 7,
  ));

test('inlay hints: an empty call and a bare technique name', () =>
  check(HEAD + 'train {\n  schedule = cosine()\n  loss = cross_entropy\n}\n', HEAD + 'train {\n  schedule = cosine(⟦warmup: 0ep, min_lr: 0⟧)\n  loss = cross_entropy⟦(smoothing: 0)⟧\n}\n', (line) => line > 6));

test('inlay hints: positional arguments count as written', () =>
  check(HEAD + 'model mlp {\n  dense(10, act: relu, norm: none)\n}\n', HEAD + 'model mlp {\n  dense(10, act: relu, norm: none⟦, bias: true⟧) ⟦→ [10]⟧\n}\n', (line) => line === 7));

test("inlay hints: a block's unwritten attributes after its brace", () =>
  check('quantize {\n  bits = 4\n}\n', 'quantize { ⟦method = ptq, per_channel = true, symmetric = true, …⟧\n  bits = 4\n}\n'));

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

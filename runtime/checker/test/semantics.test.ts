// The side tables editor features read: what each node resolves to, the type each value was
// checked against, and the layer symbols with their references.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../analysis';
import { CATALOG } from '../../catalog';
import { parse, pathAt, type SyntaxNode } from '../../language';
import { check } from '..';

const TEXT = `data digits {
  batch = 32
  standardize = zscore
}

model mlp {
  fc1: dense(64, act: relu, norm: layer)
  dense(10)
}

train {
  epochs = 5
  optimizer = sam(rho: 0.1, base: adamp(lr: 1e-3))
}

prune {
  layers = [fc1]
}

quantize {
  layers = [fc1, dense_2]
}
`;

/** The innermost node at the first occurrence of `needle` (offset + `within` characters into it). */
function nodeAt(a: ReturnType<typeof analyze>, needle: string, nth = 0, within = 0): SyntaxNode {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = a.text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const path = pathAt(a.tree, at + within);
  return path[path.length - 1]!;
}

test('resolutions cover blocks, attributes, techniques, parameters, enum members and layers', () => {
  const a = analyze(TEXT);
  assert.deepEqual(a.diagnostics, []);
  const r = (needle: string, nth = 0) => a.semantics.resolutions.get(nodeAt(a, needle, nth));
  assert.equal(r('train')?.kind, 'block');
  const attr = r('batch');
  assert.ok(attr?.kind === 'attribute' && attr.param.name === 'batch' && attr.block.name === 'data');
  const sam = r('sam');
  assert.ok(sam?.kind === 'technique' && sam.entry.name === 'sam');
  const rho = r('rho');
  assert.ok(rho?.kind === 'param' && rho.entry.name === 'sam' && rho.param.name === 'rho');
  const base = r('adamp');
  assert.ok(base?.kind === 'technique' && base.entry.kind === 'optimizer');
  const zscore = r('zscore');
  assert.ok(zscore?.kind === 'enum' && zscore.member.name === 'zscore' && zscore.param.name === 'standardize');
  const norm = r('layer)');
  assert.ok(norm?.kind === 'technique' && norm.entry.kind === 'norm');
  const def = r('fc1');
  assert.ok(def?.kind === 'layer' && def.definition && def.layer.name === 'fc1');
  const ref = r('fc1', 1);
  assert.ok(ref?.kind === 'layer' && !ref.definition && ref.layer.name === 'fc1');
  const auto = r('dense_2');
  assert.ok(auto?.kind === 'layer' && auto.layer.name === 'dense_2' && !auto.layer.explicit);
  const callee = r('dense(10)');
  assert.ok(callee?.kind === 'technique' && callee.entry.name === 'dense');
});

test('expected types are recorded for every visited value, list items and arguments included', () => {
  const a = analyze(TEXT);
  const spec = (needle: string, nth = 0) => {
    let node: SyntaxNode | undefined = nodeAt(a, needle, nth);
    // The value node may be a parent of the innermost node (a call's callee is inside the call).
    const path = pathAt(a.tree, a.text.indexOf(needle));
    for (let i = path.length - 1; i >= 0 && !a.semantics.expected.has(node!); i--) node = path[i];
    return node ? a.semantics.expected.get(node) : undefined;
  };
  assert.equal(spec('32')?.name, 'batch');
  assert.equal(spec('0.1')?.name, 'rho');
  assert.equal(spec('1e-3')?.name, 'lr');
  assert.equal(spec('adamp')?.name, 'base');
  assert.equal(spec('sam')?.name, 'optimizer');
  assert.equal(spec('digits')?.name, 'data');
  const item = a.semantics.expected.get(nodeAt(a, 'fc1', 1));
  assert.equal(item?.type.kind, 'layer', 'a list item is checked against the item type');
});

test('layer symbols list every reference', () => {
  const a = analyze(TEXT);
  const [fc1, dense2] = a.semantics.layers;
  assert.equal(fc1?.name, 'fc1');
  assert.equal(fc1?.explicit, true);
  assert.deepEqual(fc1?.nameSpan, nodeAt(a, 'fc1').span);
  const refs = [1, 2].map((n) => nodeAt(a, 'fc1', n).span);
  assert.deepEqual(fc1?.refs, refs);
  assert.equal(dense2?.name, 'dense_2');
  assert.equal(dense2?.refs.length, 1);
  assert.deepEqual(dense2?.plan?.output, [10]);
  assert.equal(a.text.slice(dense2!.callSpan.start, dense2!.callSpan.end), 'dense(10)');
});

test('check never throws and keeps spans inside the document, for every prefix of a recipe', () => {
  for (let end = 0; end <= TEXT.length; end++) {
    const text = TEXT.slice(0, end);
    const a = analyze(text);
    for (const d of a.diagnostics) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${d.code} at ${end}`);
  }
});

test('check never throws when any single line is removed', () => {
  const lines = TEXT.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
    const a = analyze(text);
    for (const d of a.diagnostics) assert.ok(d.span.end <= text.length);
  }
});

test('without the text, spans are still kept inside the document', () => {
  const text = TEXT.replace('epochs = 5', 'epochs = 0');
  const r = check(parse(text).tree, CATALOG);
  const d = r.diagnostics.find((x) => x.code === 'M019');
  assert.ok(d);
  assert.equal(text.slice(d.span.start, d.span.end), '0');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { documentSymbols } from '../features';
import type { DocumentSymbol } from 'vscode-languageserver';

/** Renders the outline as lines: blocks by name, their children indented as `name (detail)`. */
function render(symbols: readonly DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...(s.children ?? []).map((c) => `  ${c.name} (${c.detail ?? ''})`)]);
}

test('document symbols: blocks with attributes and layers', () => {
  const f = fixture(`
    recipe "x" {
      seed = 1
    }
    data digits {
      batch = 32
    }
    model mlp {
      fc1: dense(16, act: relu)
      dense(10)
    }
  `);
  assert.deepEqual(render(documentSymbols(f.analysis)), ['recipe "x"', '  seed (1)', 'data digits', '  batch (32)', 'model mlp', '  fc1 (dense(16, act: relu) → [16])', '  dense_2 (dense(10) → [10])']);
});

test('document symbols: exact ranges', () => {
  const f = fixture('<|<|train|> {\n  <|<|epochs|> = 3|>\n}|>\n');
  const [train] = documentSymbols(f.analysis);
  const [block, keyword, attr, name] = f.lspRanges;
  assert.deepEqual(train?.range, block);
  assert.deepEqual(train?.selectionRange, keyword);
  assert.deepEqual(train?.children?.[0]?.range, attr);
  assert.deepEqual(train?.children?.[0]?.selectionRange, name);
});

test('document symbols: broken text still gives an outline', () => {
  const f = fixture('train {\n  epochs = \n  optimizer = adam(\nmodel mlp {\n  dense(3)\n');
  assert.deepEqual(documentSymbols(f.analysis).map((s) => s.name), ['train', 'model mlp']);
});

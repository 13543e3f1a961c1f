import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../features';

/** Decodes the relative encoding back to `text:type[.modifier]` strings, in order. */
function decode(text: string): string[] {
  const f = fixture(text);
  const data = semanticTokens(f.analysis).data;
  const lines = f.text.split('\n');
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    const name = SEMANTIC_TOKENS_LEGEND.tokenTypes[type];
    const mod = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, k) => mods & (1 << k));
    out.push(`${lines[line]!.slice(char, char + len)}:${name}${mod.map((m) => `.${m}`).join('')}`);
  }
  return out;
}

test('semantic tokens: every kind of name and literal', () => {
  assert.deepEqual(
    decode('# hi\ndata digits {\n  standardize = zscore\n  shuffle = true\n}\nmodel mlp {\n  fc1: dense(8, act: relu)\n}\nprune {\n  layers = [fc1]\n  pattern = 2:4\n  from = 2ep\n}\nreport {\n  export = "m.onnx"\n}\n'),
    [
      '# hi:comment',
      'data:keyword',
      'digits:function',
      'standardize:property',
      'zscore:enumMember',
      'shuffle:property',
      'true:keyword',
      'model:keyword',
      'mlp:function',
      'fc1:variable.declaration',
      'dense:function',
      '8:number',
      'act:parameter',
      'relu:function',
      'prune:keyword',
      'layers:property',
      'fc1:variable',
      'pattern:property',
      '2:4:number',
      'from:property',
      '2ep:number',
      'report:keyword',
      'export:property',
      '"m.onnx":string',
    ],
  );
});

test('semantic tokens: broken text still classifies what it can', () => {
  assert.deepEqual(decode('train {\n  optimizer = adam(lr: \n'), ['train:keyword', 'optimizer:property', 'adam:function', 'lr:parameter']);
});

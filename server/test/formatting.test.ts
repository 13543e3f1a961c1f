import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLspEdits, fixture } from '../../runtime/testing/cursor';
import { formatting } from '../features';

const OPTIONS = { tabSize: 2, insertSpaces: true };

test('formatting: one edit that gives the canonical layout', () => {
  const f = fixture('train{\nepochs=3\n    optimizer=adam( lr:1e-3 )}\n');
  const edits = formatting(f.analysis, OPTIONS);
  assert.equal(edits.length, 1);
  assert.equal(applyLspEdits(f.text, edits), 'train {\n  epochs = 3\n  optimizer = adam(lr: 1e-3)\n}\n');
});

test('formatting: no edit when the text is already formatted', () => {
  const f = fixture('train {\n  epochs = 3\n}\n');
  assert.deepEqual(formatting(f.analysis, OPTIONS), []);
});

test('formatting: no edit for text with syntax errors', () => {
  const f = fixture('train {\n  epochs = \n');
  assert.deepEqual(formatting(f.analysis, OPTIONS), []);
});

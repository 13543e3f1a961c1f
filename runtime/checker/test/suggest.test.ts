import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, MAX_SUGGESTIONS, suggestions } from '../suggest';

const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'adamp', 'sgdp', 'lion'];

test('suggestions: the one closest candidate', () => {
  assert.deepEqual(suggestions('adan', OPTIMIZERS), ['adam']);
  assert.deepEqual(suggestions('lino', OPTIMIZERS), ['lion']);
});

test('suggestions: every candidate at the smallest distance, in the order given', () => {
  assert.deepEqual(suggestions('adamq', OPTIMIZERS), ['adam', 'adamw', 'adamp']);
  assert.deepEqual(suggestions('adamq', ['adamp', 'adam']), ['adamp', 'adam']);
});

test('suggestions: a closer candidate hides farther ones', () => {
  // `adamw` is one edit away, `adam` two.
  assert.deepEqual(suggestions('adamww', ['adam', 'adamw']), ['adamw']);
  // A case slip beats any edit.
  assert.deepEqual(suggestions('Adam', OPTIMIZERS), ['adam']);
});

test('suggestions: none beyond the budget, none for the name itself, no duplicates', () => {
  assert.deepEqual(suggestions('xyz', OPTIMIZERS), []);
  assert.deepEqual(suggestions('adam', ['adam']), []);
  assert.deepEqual(suggestions('adamq', ['adam', 'adam']), ['adam']);
});

test('suggestions: at most MAX_SUGGESTIONS', () => {
  const many = ['ab', 'ac', 'ad', 'ae', 'af', 'ag', 'ah'];
  assert.deepEqual(suggestions('aa', many), many.slice(0, MAX_SUGGESTIONS));
});

test('didYouMean: one, two and three candidates', () => {
  assert.equal(didYouMean([]), '');
  assert.equal(didYouMean(undefined), '');
  assert.equal(didYouMean('adam'), "; did you mean 'adam'?");
  assert.equal(didYouMean(['adam', 'adamp']), "; did you mean 'adam' or 'adamp'?");
  assert.equal(didYouMean(['adam', 'adamw', 'adamp']), "; did you mean 'adam', 'adamw' or 'adamp'?");
});

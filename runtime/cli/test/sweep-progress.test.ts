// The sweep's terminal view: live lines for running trials under a bar on a terminal, redrawn in
// place; one line per ended trial everywhere.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endLine, SweepProgress } from '../sweep-progress';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), cwd: '/' }, out, err };
}

test('on a terminal, each running trial has a live line under the bar, and ended trials are printed above it', () => {
  const c = capture();
  const p = new SweepProgress(c.io, 3, 'val_accuracy', true);
  p.progress({ index: 0, id: 'aaaaaaaaaaaa', status: 'running' });
  p.progress({ index: 2, id: 'cccccccccccc', status: 'running', epoch: 2, epochs: 5, value: 0.8123 });
  assert.equal(p.render(), ['  trial 1 aaaaaaaaaaaa starting', '  trial 3 cccccccccccc epoch 2/5 val_accuracy 0.8123', `  [${'░'.repeat(24)}] 0/3 trials, 2 running`].join('\n'));
  p.end({ index: 0, id: 'aaaaaaaaaaaa', status: 'stopped', message: 'stopped early (rung 1)', value: 0.5 });
  assert.deepEqual(c.out, ['[1/3] trial 1 aaaaaaaaaaaa stopped early (rung 1) val_accuracy = 0.5000\n']);
  assert.match(p.render(), /\[█{8}░{16}\] 1\/3 trials, 1 running$/);
  // The live region is erased (cursor up over its lines, clear) before each redraw and at the end.
  assert.ok(c.err.some((s) => s === '\x1b[3A\x1b[J'), 'the three live lines are erased before the next draw');
  p.close();
  assert.match(c.err[c.err.length - 1]!, /^\x1b\[\d+A\x1b\[J$/);
});

test('elsewhere only ended trials are printed, one line each', () => {
  const c = capture();
  const p = new SweepProgress(c.io, 2, 'loss', false);
  p.progress({ index: 0, id: 'aaaaaaaaaaaa', status: 'running', epoch: 1, epochs: 2 });
  p.end({ index: 1, id: 'bbbbbbbbbbbb', status: 'failed', message: 'training diverged\x1b[31m' });
  p.close();
  assert.deepEqual(c.err, []);
  assert.deepEqual(c.out, ['[1/2] trial 2 bbbbbbbbbbbb failed: training diverged\\x1b[31m\n']);
  assert.equal(endLine({ index: 0, id: 'a', status: 'finished', value: 3 }, 'loss'), 'trial 1 a finished loss = 3');
});

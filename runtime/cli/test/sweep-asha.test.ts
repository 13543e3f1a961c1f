// ASHA's decisions: the rungs of a trial, the promotion rule as results arrive, and the rung table
// shared through files, on synthetic learning curves.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ashaContinues, ashaRungs, RungBoard } from '../sweep-asha';

test('rungs sit at min_epochs·η^k completed epochs, below the last epoch', () => {
  assert.deepEqual(ashaRungs(1, 3, 27), [1, 3, 9]);
  assert.deepEqual(ashaRungs(2, 3, 20), [2, 6, 18]);
  assert.deepEqual(ashaRungs(1, 2, 3), [1, 2]);
  assert.deepEqual(ashaRungs(1, 2, 1), []);
  assert.deepEqual(ashaRungs(4, 3, 4), [], 'a rung at the last epoch decides nothing');
  // A fractional η rounds to whole epochs without repeating a rung.
  assert.deepEqual(ashaRungs(1, 1.5, 6), [1, 2, 3, 5]);
});

test('a trial continues when it is among the best ⌊n/η⌋ (at least one) of the n at its rung', () => {
  assert.equal(ashaContinues(0.5, [], 'max', 3), true, 'the first trial at a rung always continues');
  assert.equal(ashaContinues(0.4, [0.5], 'max', 3), false);
  assert.equal(ashaContinues(0.6, [0.5], 'max', 3), true);
  assert.equal(ashaContinues(0.5, [0.5], 'max', 3), true, 'ties continue');
  // n = 6, η = 3: the best two continue.
  assert.equal(ashaContinues(0.8, [0.9, 0.1, 0.2, 0.3, 0.4], 'max', 3), true);
  assert.equal(ashaContinues(0.35, [0.9, 0.8, 0.2, 0.3, 0.4], 'max', 3), false);
  // goal = min: lower is better.
  assert.equal(ashaContinues(0.2, [0.3], 'min', 2), true);
  assert.equal(ashaContinues(0.4, [0.3], 'min', 2), false);
  // A diverged value never continues, and does not count as better than anyone.
  assert.equal(ashaContinues(Number.NaN, [], 'max', 3), false);
  assert.equal(ashaContinues(0.1, [Number.NaN], 'max', 2), true);
});

/** Synthetic curves: trial i's metric after epoch e approaches its ceiling c_i at its own rate. */
function curve(ceiling: number, rate: number): (epoch: number) => number {
  return (e) => ceiling * (1 - Math.exp(-rate * e));
}

test('on synthetic curves, asynchronous decisions match the rule applied to what had arrived, and the best curve survives', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-asha-'));
  const board = new RungBoard(dir);
  const settings = { minEpochs: 1, reduction: 3, metric: 'val_accuracy', goal: 'max' as const };
  const epochs = 27;
  const rungs = ashaRungs(1, 3, epochs);
  // Nine trials, ceilings spread, all learning at the same rate: the order at each rung is the ceilings' order.
  const ceilings = [0.5, 0.9, 0.3, 0.7, 0.95, 0.2, 0.6, 0.8, 0.4];
  const curves = ceilings.map((c) => curve(c, 0.3));
  // Every trial advances one epoch per tick; at a rung they arrive in index order, so a better
  // trial may come after worse ones (t1 after t0, t4 after t1) and a worse one after better ones.
  const alive = new Set(ceilings.map((_, i) => i));
  const stoppedAt = new Map<number, number>();
  const arrived = new Map<number, number[]>(rungs.map((r) => [r, []]));
  for (let e = 1; e <= epochs; e++) {
    for (const i of [...alive]) {
      if (!rungs.includes(e)) continue;
      const v = curves[i]!(e);
      const before = [...arrived.get(e)!];
      const keep = board.decide(e, `t${i}`, v, settings);
      // The same rule, computed here from what had arrived before this trial.
      const n = before.length + 1;
      assert.equal(keep, before.filter((x) => x > v).length < Math.max(1, Math.floor(n / 3)), `trial ${i} at rung ${e}`);
      arrived.get(e)!.push(v);
      if (!keep) {
        alive.delete(i);
        stoppedAt.set(i, e);
      }
    }
  }
  assert.ok(alive.has(4), 'the best curve (ceiling 0.95) is never stopped');
  assert.ok(stoppedAt.size >= 5, `most trials stop early (${stoppedAt.size} did)`);
  assert.equal(stoppedAt.get(5), 1, 'the worst curve, arriving after better ones, stops at the first rung');
  // The board holds every decision, readable by another process.
  const again = new RungBoard(dir).read(1);
  assert.equal(again.length, 9);
  assert.equal(again.find((x) => x.trial === 't5')?.continued, false);
  assert.equal(again.find((x) => x.trial === 't0')?.continued, true, 'the first to arrive continued');
});

test('a trial that reaches a rung again (an interrupted attempt) replaces its own entry; clear forgets the rungs', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minima-asha-')), 'rungs');
  const board = new RungBoard(dir);
  const s = { minEpochs: 1, reduction: 2, metric: 'loss', goal: 'min' as const };
  assert.equal(board.decide(1, 'a', 0.5, s), true);
  assert.equal(board.decide(1, 'b', 0.7, s), false);
  // b again with a better value: compared with a only, not with its own old entry.
  assert.equal(board.decide(1, 'b', 0.4, s), true);
  assert.deepEqual(board.read(1).map((e) => [e.trial, e.value]), [['a', 0.5], ['b', 0.4]]);
  // A torn file (a write in progress elsewhere) is no entry.
  fs.writeFileSync(path.join(dir, '1', 'c.json'), '{"trial": "c", "val');
  assert.equal(board.read(1).length, 2);
  board.decide(2, 'a', Number.NaN, s);
  assert.ok(Number.isNaN(board.read(2)[0]?.value), 'a diverged value is kept as NaN');
  assert.equal(board.read(2)[0]?.continued, false);
  board.clear();
  assert.deepEqual(board.read(1), []);
});

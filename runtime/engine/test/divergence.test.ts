// Divergence detection: non-finite losses and gradient norms at once, finite blow-ups after
// PATIENCE steps above BLOW_UP times the first loss, and no false alarm on noisy or spiky training.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { BLOW_UP, PATIENCE, createDivergenceWatch } from '../divergence';
import { runRecipe, type RunEvent } from '..';

const feed = (losses: readonly number[], grad = 1): (string | undefined)[] => {
  const w = createDivergenceWatch();
  return losses.map((l) => w.observe(l, grad));
};

test('a non-finite loss or gradient norm diverges at once', () => {
  assert.match(feed([2.3, NaN])[1] ?? '', /the loss became NaN/);
  assert.match(feed([2.3, Infinity])[1] ?? '', /the loss became Infinity/);
  assert.match(createDivergenceWatch().observe(2.3, Infinity) ?? '', /the gradient norm became Infinity/);
});

test('a finite blow-up diverges after PATIENCE steps above BLOW_UP times the first loss', () => {
  const big = 2.3 * BLOW_UP * 2;
  const out = feed([2.3, ...Array.from({ length: PATIENCE }, () => big)]);
  assert.deepEqual(out.slice(0, PATIENCE).map((m) => m === undefined), Array.from({ length: PATIENCE }, () => true));
  assert.match(out[PATIENCE] ?? '', /the loss blew up to .* \(10 steps above 1e\+4× its first value 2\.30\)/);
});

test('spikes that come back, and ordinary noisy training, are not divergence', () => {
  const big = 2.3 * BLOW_UP * 2;
  const spiky = [2.3, ...Array.from({ length: 50 }, (_, i) => (i % PATIENCE === PATIENCE - 1 ? 1 : big))];
  assert.ok(feed(spiky).every((m) => m === undefined));
  const noisy = Array.from({ length: 200 }, (_, i) => 2.3 * Math.exp(-i / 50) * (1 + 0.5 * Math.sin(i)));
  assert.ok(feed(noisy).every((m) => m === undefined));
  // A first loss near zero (a regression that starts fitted) is floored, so noise is not fatal.
  assert.ok(feed([1e-9, ...Array.from({ length: 30 }, () => 5)]).every((m) => m === undefined));
});

test('sgd(lr: 1e6) stops as diverged although its loss stays finite', async () => {
  const dir = path.join(process.cwd(), 'test-fixtures', 'runs');
  const text = fs.readFileSync(path.join(dir, 'blow-up.minima'), 'utf8');
  const a = analyze(text);
  assert.ok(a.recipe);
  const events: RunEvent[] = [];
  const r = await runRecipe(a.recipe, { backend: 'wasm', baseDir: dir, recipeText: text, onEvent: (e) => events.push(e) });
  assert.equal(r.status, 'failed');
  const last = events[events.length - 1];
  assert.ok(last?.type === 'failed' && last.reason === 'diverged', JSON.stringify(last));
  assert.match(last.message, /training diverged: the loss blew up to .* at epoch 1, step \d+ \(lr 1\.00e\+6\); try a smaller learning rate or grad_clip/);
  assert.ok(events.filter((e) => e.type === 'step').length < 30);
});

test('without a gradient norm (grad_norm not requested) only the loss is watched', () => {
  const w = createDivergenceWatch();
  assert.equal(w.observe(2.3), undefined);
  assert.equal(w.observe(2.1, undefined), undefined);
  assert.match(w.observe(NaN) ?? '', /the loss became NaN/);
  assert.match(createDivergenceWatch().observe(2.3, NaN) ?? '', /the gradient norm became NaN \(loss 2\.30\)/);
});

// With and without the gradient norm in the step (grad_norm requested or not), the diverging
// fixtures stop with the same message: a blow-up (sgd lr 1e6, the loss stays finite) and a loss
// that becomes non-finite (sgd lr 1e30: the weights overflow after the first update).
for (const [file, message] of [
  ['blow-up.minima', /^training diverged: the loss blew up to .* at epoch 1, step \d+ \(lr 1\.00e\+6\); try a smaller learning rate or grad_clip$/],
  ['diverge.minima', /^training diverged: the loss became (NaN|Infinity|-Infinity) at epoch 1, step 2 \(lr 1\.00e\+30\); try a smaller learning rate or grad_clip$/],
] as const) {
  test(`${file} stops as diverged with the same message whether grad_norm is requested or not`, async () => {
    const dir = path.join(process.cwd(), 'test-fixtures', 'runs');
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const ends: string[] = [];
    for (const t of [text, `${text}\nreport {\n  metrics = [loss, grad_norm]\n}\n`]) {
      const a = analyze(t);
      assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
      const events: RunEvent[] = [];
      const r = await runRecipe(a.recipe, { backend: 'wasm', baseDir: dir, recipeText: t, onEvent: (e) => events.push(e) });
      assert.equal(r.status, 'failed');
      const last = events[events.length - 1];
      assert.ok(last?.type === 'failed' && last.reason === 'diverged', JSON.stringify(last));
      assert.match(last.message, message);
      const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
      assert.ok(steps.every((s) => Number.isFinite(s.metrics['loss']) && ('grad_norm' in s.metrics) === (t !== text)));
      ends.push(`${last.message.replace(/-?\d+(\.\d+)?e[+-]\d+|NaN|-?Infinity/g, 'N')}`);
    }
    assert.equal(ends[0], ends[1]);
  });
}

test('a gradient that makes the weights non-finite at the last step stops the run as diverged, with or without grad_norm', async () => {
  // lr 1e39 is infinite in float32: the first update makes the weights ±Infinity or NaN while the
  // step's own loss (at the initial weights) is finite. With one step there is no next loss to see it.
  const text = (batch: number, report: string) => `data moons(samples: 40) {\n  batch = ${batch}\n}\n\nmodel mlp {\n  dense(4, act: relu)\n  dense(2)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 1e39)\n}\n${report}`;
  for (const report of ['', '\nreport {\n  metrics = [loss, grad_norm]\n}\n']) {
    for (const [batch, message] of [
      [32, /^training diverged: the weights became non-finite at epoch 1, step 1 \(lr 1\.00e\+39\); try a smaller learning rate or grad_clip$/],
      [16, /^training diverged: the loss became (NaN|Infinity|-Infinity) at epoch 1, step 2 \(lr 1\.00e\+39\); try a smaller learning rate or grad_clip$/],
    ] as const) {
      const t = text(batch, report);
      const a = analyze(t);
      assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
      const events: RunEvent[] = [];
      const r = await runRecipe(a.recipe, { backend: 'wasm', baseDir: process.cwd(), recipeText: t, onEvent: (e) => events.push(e) });
      const last = events[events.length - 1];
      assert.equal(r.status, 'failed', JSON.stringify(last));
      assert.ok(last?.type === 'failed' && last.reason === 'diverged', JSON.stringify(last));
      assert.match(last.message, message, `batch ${batch}${report ? ', grad_norm' : ''}`);
    }
  }
});

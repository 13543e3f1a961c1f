// Sweeps in the checker: expansion (grid, seeded random, nested paths), trial texts, and every
// trial's problems shown on the value that causes them. Recipes are inline: each test is one
// recipe in and the trials or diagnostics out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../analysis';
import { CATALOG } from '../../catalog';
import { parse } from '../../language';
import { planSweep, sweepablePaths, trialCount, type SweepPlan } from '../index';

const BASE = `recipe { seed = 7 }
data digits { batch = 32 }
model mlp {
  dense(16, act: relu)
  dense(10)
}
train {
  epochs = 4
  optimizer = sam(rho: 0.05, base: adam)
}
prune {
  from = 1ep
  to = 3ep
}
`;

function plan(sweep: string): SweepPlan {
  const text = BASE + sweep;
  const { plan, problems } = planSweep(parse(text).tree, text, CATALOG);
  assert.deepEqual(problems.map((p) => p.message), []);
  assert.ok(plan);
  return plan;
}

/** The diagnostics of the recipe with `sweep`, as `code "covered text" message`. */
function diagnostics(sweep: string): string[] {
  const text = BASE + sweep;
  return analyze(text).diagnostics.map((d) => `${d.code} ${JSON.stringify(text.slice(d.span.start, d.span.end))} ${d.message}`);
}

const values = (p: SweepPlan) => p.trials.map((t) => t.assignments.map((a) => `${a.path}=${a.text}`).join(' '));

test('a grid expands to the product of its lists, the last path varying fastest', () => {
  const p = plan('sweep grid {\n  train.optimizer.rho = [0.02, 0.1]\n  data.batch = [16, 32, 64]\n}\n');
  assert.equal(trialCount(p.spec), 6);
  assert.deepEqual(values(p), [
    'train.optimizer.rho=0.02 data.batch=16',
    'train.optimizer.rho=0.02 data.batch=32',
    'train.optimizer.rho=0.02 data.batch=64',
    'train.optimizer.rho=0.1 data.batch=16',
    'train.optimizer.rho=0.1 data.batch=32',
    'train.optimizer.rho=0.1 data.batch=64',
  ]);
});

test('a trial text replaces written values, inserts unwritten ones and drops the sweep block', () => {
  const p = plan('sweep grid {\n  train.optimizer.base.lr = [0.01]\n  train.optimizer.base.beta1 = [0.8]\n  train.grad_clip = [1.5]\n  data.batch = [16]\n}\n');
  const text = p.textOf(p.trials[0]!.assignments).text;
  assert.match(text, /optimizer = sam\(rho: 0\.05, base: adam\(lr: 0\.01, beta1: 0\.8\)\)/);
  assert.match(text, /data digits \{ batch = 16 \}/);
  assert.match(text, /\n {2}grad_clip = 1\.5\n\}/);
  assert.doesNotMatch(text, /sweep/);
  assert.deepEqual(analyze(text).diagnostics.filter((d) => d.severity === 'error'), []);
});

test('a random sweep is seeded by the recipe: the same recipe draws the same trials, another seed others', () => {
  const sweep = 'sweep random {\n  trials = 8\n  train.optimizer.base.lr = log_uniform(1e-4, 1e-1)\n  train.optimizer.rho = choice([0.02, 0.05, 0.1])\n  data.batch = uniform(8, 64)\n}\n';
  const a = values(plan(sweep));
  assert.equal(a.length, 8);
  assert.deepEqual(values(plan(sweep)), a);
  for (const t of plan(sweep).trials) {
    const [lr, rho, batch] = t.assignments.map((x) => Number(x.text));
    assert.ok(lr! >= 1e-4 && lr! <= 1e-1, `lr ${lr}`);
    assert.ok([0.02, 0.05, 0.1].includes(rho!));
    assert.ok(Number.isInteger(batch) && batch! >= 8 && batch! <= 64, `batch ${batch}`);
  }
  const text = BASE.replace('seed = 7', 'seed = 8') + sweep;
  const other = planSweep(parse(text).tree, text, CATALOG).plan;
  assert.notDeepEqual(values(other!), a);
});

test('paths must reach a value of the recipe', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  train.optimizer.lr = [0.1]\n  trian.epochs = [2]\n  quantize.bits = [4]\n  train.optimizer.base.lrr = [1]\n}\n'), [
    'M040 "lr" sam has no parameter \'lr\' (did you mean train.optimizer.base.lr?)',
    'M040 "trian" \'trian\' is not a block of this recipe; did you mean \'train\'?',
    'M040 "quantize" the recipe has no quantize block to sweep',
    'M040 "lrr" adam has no parameter \'lrr\'; did you mean \'lr\'?',
  ]);
});

test('a value that is illegal where it lands is reported on that value', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  train.optimizer.rho = [0.05, -1]\n  data.batch = [0, 16]\n}\n'), [
    'M019 "-1" rho must be ≥ 0, found -1',
    'M019 "0" batch must be ≥ 1, found 0',
  ]);
});

test('a swept value that breaks a rule elsewhere is reported on the value, naming the rule', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  train.epochs = [2, 4]\n}\n'), ['M025 "2" with train.epochs = 2: to = 3ep is after the end of training (epochs = 2)']);
});

test('a problem only a combination causes names the trial; one a value causes alone names the value', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  train.epochs = [3, 6]\n  prune.to = [3ep, 5ep]\n}\n'), [
    'M025 "5ep" trial 2 (train.epochs = 3, prune.to = 5ep): to = 5ep is after the end of training (epochs = 3)',
  ]);
  assert.deepEqual(diagnostics('sweep grid {\n  train.epochs = [3, 6]\n  prune.from = [1ep, 4ep]\n}\n'), [
    'M025 "4ep" with prune.from = 4ep: prune ends (to = 3ep) before it starts (from = 4ep); from must be before to',
  ]);
});

test('a random range is checked at both ends; distributions are checked against the catalog', () => {
  assert.deepEqual(diagnostics('sweep random {\n  trials = 3\n  train.optimizer.rho = uniform(-0.5, 0.5)\n  train.optimizer.base.lr = log_uniform(1e-4, 1)\n}\n'), ['M019 "-0.5" rho must be ≥ 0, found -0.5']);
  assert.deepEqual(diagnostics('sweep random {\n  trials = 3\n  train.optimizer.base.lr = log_uniform(0, 1)\n  train.optimizer.rho = uniform(0.5, 0.1)\n}\n'), [
    'M019 "0" low must be > 0, found 0',
    'M019 "0.1" high must be greater than low',
  ]);
});

test('values must fit the strategy, and a random sweep needs trials', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  train.epochs = uniform(1, 3)\n  data.batch = 16\n  train.optimizer.rho = []\n}\n'), [
    'M041 "uniform" uniform draws values for `sweep random`; a grid takes a list of values such as [0.03, 0.1]',
    'M041 "16" a swept path takes a list of values, such as [16, …]',
    'M041 "[]" the list of values to try is empty',
  ]);
  assert.deepEqual(diagnostics('sweep random {\n  data.batch = choice([16, 32])\n}\n'), ['M017 "sweep" a random sweep needs trials: trials = 16']);
});

test('the settings are typed like attributes; asha is checked', () => {
  assert.deepEqual(diagnostics('sweep grid {\n  data.batch = [16]\n  goal = maximize\n  early_stop = asha(min_epochs: 0, reduction: 3)\n  parallel = 0\n}\n'), [
    "M012 \"maximize\" unknown value 'maximize' for goal (expected one of max, min)",
    'M019 "0" min_epochs must be ≥ 1, found 0',
    'M019 "0" parallel must be ≥ 1, found 0',
  ]);
});

test('completion paths reach attributes and the parameters of written techniques', () => {
  const paths = sweepablePaths(parse(BASE).tree, CATALOG).map((p) => p.path);
  for (const p of ['data.batch', 'train.epochs', 'train.optimizer.rho', 'train.optimizer.base.lr', 'prune.pattern', 'recipe.seed']) assert.ok(paths.includes(p), p);
});

test('early_stop whose first rung is not before the end of training is a warning on it', () => {
  const warn = (sweep: string) => diagnostics(sweep).filter((d) => d.includes('early_stop never stops'));
  assert.deepEqual(warn('sweep grid {\n  train.optimizer.base.lr = [0.01, 0.1]\n  early_stop = asha(min_epochs: 4)\n}\n'), [
    'M041 "asha(min_epochs: 4)" early_stop never stops a trial: its first rung, after min_epochs = 4 epochs, is not before the end of training (train.epochs = 4); lower min_epochs',
  ]);
  assert.deepEqual(warn('sweep grid {\n  train.optimizer.base.lr = [0.01, 0.1]\n  early_stop = asha(min_epochs: 2)\n}\n'), []);
  // With a swept epochs, the longest trial counts.
  assert.deepEqual(warn('sweep grid {\n  train.epochs = [3, 4]\n  early_stop = asha(min_epochs: 3)\n}\n'), []);
  assert.equal(warn('sweep grid {\n  train.epochs = [3, 4]\n  early_stop = asha(min_epochs: 5)\n}\n').length, 1);
});

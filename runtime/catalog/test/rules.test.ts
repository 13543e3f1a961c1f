// Every error/warning rule of every entry, exercised: a table of argument sets on which each rule
// fires (and a few boundary sets on which it must not), checked against a minimal valid call that
// fires no rule at all. A rule without a firing case here fails the meta-test below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, conforms } from '../index';
import type { Rule, TechniqueEntry } from '../index';
import { entryId, ep, steps, use, withDefaults, type Args } from '../../testing/catalog-args';

/** Arguments for the required parameters (and exactly-one-of choices), so the defaults form a valid call. */
const VALID: Readonly<Record<string, Args>> = {
  'data:csv': { path: 'train.csv', label: 'y' },
  'data:idx': { images: 'train-images.gz', labels: 'train-labels.gz' },
  'data:npy': { features: 'x.npy', labels: 'y.npy' },
  'data:npz': { path: 'train.npz' },
  'data:images': { path: 'pets', size: 32 },
  'model:onnx': { path: 'model.onnx' },
  'layer:dense': { units: 16 },
  'layer:conv2d': { channels: 8 },
  'optimizer:sgdp': { lr: 0.1 },
  'wrapper:sam': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:dp_sat': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:asam': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:sam_on': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:gam': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:fsam': { base: use('adam', 'optimizer') },
  'wrapper:saf': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:bloop': { aux: 'l2', base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:gr': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'wrapper:deepzero': { base: use('sgd', 'optimizer', { lr: 0.1 }) },
  'schedule:step': { every: ep(10) },
  'schedule:multistep': { milestones: [ep(60), ep(90)] },
  'schedule:warmup': { duration: ep(2) },
  'regularizer:weight_decay': { value: 5e-4 },
  'lowrank:svd': { energy: 0.99 },
  'lowrank:fwsvd': { rank: 8 },
  'regularizer:least_volume': { latent: { kind: 'layer', name: 'dense_2' } },
  'distribution:choice': { values: [0.1, 0.3] },
  'distribution:uniform': { low: 0, high: 1 },
  'distribution:log_uniform': { low: 1e-4, high: 1e-1 },
};

interface RuleCase {
  /** `kind:name`. */
  readonly entry: string;
  /** A substring of the rule's message that names exactly one rule of the entry. */
  readonly rule: string;
  /** Written over the valid call. */
  readonly args: Args;
  /** Parameters of the valid call to leave out. */
  readonly without?: readonly string[];
  /** Defaults to true; false pins a boundary where the rule must stay silent. */
  readonly fires?: boolean;
}

const CASES: readonly RuleCase[] = [
  // Sweep distributions.
  { entry: 'distribution:uniform', rule: 'greater than low', args: { low: 1, high: 1 } },
  { entry: 'distribution:uniform', rule: 'greater than low', args: { low: 1, high: 1.5 }, fires: false },
  { entry: 'distribution:log_uniform', rule: 'greater than low', args: { low: 0.1, high: 0.01 } },
  // Data sources.
  { entry: 'data:spirals', rule: 'fewer samples than classes', args: { samples: 2, classes: 3 } },
  { entry: 'data:spirals', rule: 'fewer samples than classes', args: { samples: 3, classes: 3 }, fires: false },
  { entry: 'data:blobs', rule: 'fewer samples than classes', args: { samples: 2 } },
  { entry: 'data:csv', rule: 'delimiter must be a single character', args: { delimiter: ';;' } },
  { entry: 'data:csv', rule: 'delimiter must be a single character', args: { delimiter: '' } },
  { entry: 'data:csv', rule: 'delimiter must be a single character', args: { delimiter: '\t' }, fires: false },
  { entry: 'data:csv', rule: 'label must name a column', args: { label: '' } },
  { entry: 'data:idx', rule: 'same file', args: { images: 'a.idx', labels: 'a.idx' } },
  { entry: 'data:npy', rule: 'same file', args: { features: 'a.npy', labels: 'a.npy' } },
  { entry: 'data:npz', rule: 'same array', args: { features: 'x', labels: 'x' } },
  { entry: 'data:npz', rule: 'features must name an array', args: { features: '' } },
  { entry: 'data:npz', rule: 'labels must name an array', args: { labels: '' } },
  { entry: 'data:images', rule: 'larger than 512', args: { size: 1024 } },
  { entry: 'data:images', rule: 'larger than 512', args: { size: 512 }, fires: false },
  // Augmentations.
  { entry: 'augmentation:crop', rule: 'pad = 0', args: { pad: 0 } },
  { entry: 'augmentation:flip', rule: 'p = 0', args: { p: 0 } },
  // Models and layers.
  { entry: 'model:onnx', rule: 'does not end in .onnx', args: { path: 'model.pt' } },
  { entry: 'model:onnx', rule: 'does not end in .onnx', args: { path: 'Model.ONNX' }, fires: false },
  { entry: 'layer:conv2d', rule: 'divisible by groups', args: { channels: 6, groups: 4 } },
  { entry: 'layer:conv2d', rule: 'divisible by groups', args: { channels: 6, groups: 3 }, fires: false },
  { entry: 'layer:conv2d', rule: 'norm: online applies to dense layers only', args: { norm: { kind: 'technique', name: 'online', entryKind: 'norm', args: {} } } },
  { entry: 'layer:conv2d', rule: 'norm: online applies to dense layers only', args: { norm: { kind: 'technique', name: 'batch', entryKind: 'norm', args: {} } }, fires: false },
  { entry: 'layer:dropout', rule: 'no effect', args: { p: 0 } },
  { entry: 'norm:batch', rule: 'never updates the running statistics', args: { momentum: 0 } },
  { entry: 'loss:cross_entropy', rule: 'smoothing > 0.5', args: { smoothing: 0.6 } },
  { entry: 'loss:cross_entropy', rule: 'smoothing > 0.5', args: { smoothing: 0.5 }, fires: false },
  // Optimizers.
  { entry: 'optimizer:sgd', rule: 'Nesterov', args: { nesterov: true } },
  { entry: 'optimizer:sgd', rule: 'Nesterov', args: { nesterov: true, momentum: 0.9, dampening: 0.1 } },
  { entry: 'optimizer:sgd', rule: 'Nesterov', args: { nesterov: true, momentum: 0.9 }, fires: false },
  { entry: 'optimizer:sgd', rule: 'lr > 1', args: { lr: 2 } },
  { entry: 'optimizer:adamw', rule: 'lr · weight_decay > 1', args: { lr: 1, weight_decay: 2 } },
  { entry: 'optimizer:adamw', rule: 'lr · weight_decay > 1', args: { lr: 0.5, weight_decay: 2 }, fires: false },
  { entry: 'optimizer:adamp', rule: 'delta > 1', args: { delta: 1.5 } },
  { entry: 'optimizer:adamp', rule: 'wd_ratio > 1', args: { wd_ratio: 2 } },
  { entry: 'optimizer:adamp', rule: 'lr · weight_decay > 1', args: { lr: 0.5, weight_decay: 3 } },
  { entry: 'optimizer:sgdp', rule: 'delta > 1', args: { delta: 2 } },
  { entry: 'optimizer:sgdp', rule: 'wd_ratio > 1', args: { wd_ratio: 1.5 } },
  { entry: 'optimizer:sgdp', rule: 'weight_decay / (1 − momentum) > 1', args: { weight_decay: 5, momentum: 0.9 } },
  { entry: 'optimizer:sgdp', rule: 'weight_decay / (1 − momentum) > 1', args: { weight_decay: 5 }, fires: false },
  { entry: 'optimizer:lion', rule: 'lr · weight_decay > 1', args: { weight_decay: 20000 } },
  { entry: 'optimizer:lion', rule: 'lr > 1e-3', args: { lr: 3e-3 } },
  { entry: 'optimizer:lion', rule: 'lr > 1e-3', args: { lr: 1e-3 }, fires: false },
  { entry: 'optimizer:grams', rule: 'lr · weight_decay > 1', args: { lr: 0.1, weight_decay: 20 } },
  { entry: 'optimizer:muon', rule: 'lr · weight_decay > 1', args: { weight_decay: 100 } },
  { entry: 'optimizer:muon', rule: 'cannot orthogonalize', args: { aux: use('muon', 'optimizer') } },
  { entry: 'optimizer:muon', rule: 'cannot orthogonalize', args: { aux: use('adam', 'optimizer') }, fires: false },
  { entry: 'optimizer:muon', rule: 'first and last layers', args: { hidden_only: false } },
  { entry: 'optimizer:muon', rule: 'first and last layers', args: { hidden_only: true }, fires: false },
  // A14 AuON, A15 Bloop, A16 gradient regularization, A20 DeepZero, A21 DCT projection.
  { entry: 'optimizer:auon', rule: 'lr · weight_decay > 1', args: { lr: 0.5, weight_decay: 3 } },
  { entry: 'optimizer:auon', rule: 'aux cannot be auon or muon', args: { aux: use('muon', 'optimizer') } },
  { entry: 'optimizer:auon', rule: 'aux cannot be auon or muon', args: { aux: use('auon', 'optimizer') } },
  { entry: 'optimizer:auon', rule: 'aux cannot be auon or muon', args: { aux: use('adamw', 'optimizer') }, fires: false },
  { entry: 'wrapper:bloop', rule: 'lambda = 0', args: { lambda: 0 } },
  { entry: 'wrapper:bloop', rule: 'ema = 0 freezes', args: { ema: 0 } },
  { entry: 'wrapper:bloop', rule: 'ema = 0 freezes', args: { ema: 1 }, fires: false },
  { entry: 'wrapper:bloop', rule: 'ratio_only has no effect', args: { ratio_only: true, direction: 'mixed' } },
  { entry: 'wrapper:bloop', rule: 'ratio_only has no effect', args: { ratio_only: true }, fires: false },
  { entry: 'wrapper:gr', rule: 'gamma = 0', args: { gamma: 0 } },
  { entry: 'wrapper:gr', rule: 'gamma / epsilon > 1', args: { gamma: 0.02, epsilon: 0.01 } },
  { entry: 'wrapper:gr', rule: 'gamma / epsilon > 1', args: { gamma: 0.01, epsilon: 0.01 }, fires: false },
  { entry: 'optimizer:dct_adam', rule: 'lr · weight_decay > 1', args: { lr: 0.1, weight_decay: 20 } },
  { entry: 'optimizer:dct_adam', rule: 'scale > 1', args: { scale: 2 } },
  { entry: 'optimizer:dct_adam', rule: 'scale > 1', args: { scale: 1 }, fires: false },
  { entry: 'wrapper:deepzero', rule: 'mu < 1e-4', args: { mu: 5e-5 } },
  { entry: 'wrapper:deepzero', rule: 'mu < 1e-4', args: { mu: 1e-4 }, fires: false },
  { entry: 'wrapper:deepzero', rule: 'sparsity applies to the cge estimator only', args: { estimator: 'rge', sparsity: 0.5 } },
  { entry: 'wrapper:deepzero', rule: 'sparsity applies to the cge estimator only', args: { estimator: 'cge', sparsity: 0.5 }, fires: false },
  // Sharpness-aware wrappers.
  { entry: 'wrapper:sam', rule: 'rho = 0', args: { rho: 0 } },
  { entry: 'wrapper:sam', rule: 'rho > 1', args: { rho: 2 } },
  { entry: 'wrapper:asam', rule: 'rho = 0', args: { rho: 0 } },
  { entry: 'wrapper:sam_on', rule: 'rho = 0', args: { rho: 0 } },
  { entry: 'wrapper:sam_on', rule: 'rho = 0', args: { rho: 10 }, fires: false },
  { entry: 'wrapper:gam', rule: 'gamma outside [0, 1]', args: { gamma: 2 } },
  { entry: 'wrapper:gam', rule: 'gamma outside [0, 1]', args: { gamma: -0.1 } },
  { entry: 'wrapper:gam', rule: 'gamma outside [0, 1]', args: { gamma: 1 }, fires: false },
  { entry: 'wrapper:fsam', rule: 'rho = 0', args: { rho: 0 } },
  { entry: 'wrapper:fsam', rule: 'rho > 1', args: { rho: 1.5 } },
  { entry: 'wrapper:fsam', rule: 'keep_ratio = 0', args: { keep_ratio: 0 } },
  { entry: 'wrapper:saf', rule: 'weight = 0', args: { weight: 0 } },
  { entry: 'wrapper:saf', rule: 'start is earlier than window', args: { start: ep(1) } },
  { entry: 'wrapper:saf', rule: 'start is earlier than window', args: { start: ep(2), window: 2 }, fires: false },
  // NOTE: a start in steps cannot be compared with a window in epochs before the data is known.
  { entry: 'wrapper:saf', rule: 'start is earlier than window', args: { start: steps(1) }, fires: false },
  // Schedules.
  { entry: 'schedule:constant', rule: 'warmup must not be negative', args: { warmup: ep(-1) } },
  { entry: 'schedule:step', rule: 'every must be longer than zero', args: { every: ep(0) } },
  { entry: 'schedule:step', rule: 'gamma = 1', args: { gamma: 1 } },
  { entry: 'schedule:step', rule: 'warmup must not be negative', args: { warmup: steps(-10) } },
  { entry: 'schedule:multistep', rule: 'strictly increasing', args: { milestones: [ep(5), ep(5)] } },
  { entry: 'schedule:multistep', rule: 'strictly increasing', args: { milestones: [ep(5), steps(3)] }, fires: false },
  { entry: 'schedule:multistep', rule: 'milestones must not be negative', args: { milestones: [ep(-1), ep(3)] } },
  { entry: 'schedule:multistep', rule: 'no milestones', args: { milestones: [] } },
  { entry: 'schedule:multistep', rule: 'gamma = 1', args: { gamma: 1 } },
  { entry: 'schedule:multistep', rule: 'warmup must not be negative', args: { warmup: ep(-2) } },
  { entry: 'schedule:cosine', rule: 'warmup must not be negative', args: { warmup: ep(-2) } },
  { entry: 'schedule:cosine', rule: 'min_lr = 100%', args: { min_lr: 1 } },
  { entry: 'schedule:warmup', rule: 'duration must be longer than zero', args: { duration: steps(0) } },
  { entry: 'schedule:linear', rule: 'warmup must not be negative', args: { warmup: ep(-2) } },
  { entry: 'schedule:linear', rule: 'final = 100%', args: { final: 1 } },
  // Regularizers, compression, metrics.
  { entry: 'regularizer:weight_decay', rule: 'no effect', args: { value: 0 } },
  { entry: 'regularizer:mixup', rule: 'alpha = 0', args: { alpha: 0 } },
  { entry: 'prune_method:srste', rule: 'decay = 0', args: { decay: 0 } },
  // Issue 15: N:M training methods.
  { entry: 'prune_method:transposable', rule: 'decay = 0', args: { decay: 0 } },
  { entry: 'prune_method:transposable', rule: 'every must be longer than zero', args: { every: steps(0) } },
  { entry: 'prune_method:pgf', rule: 'coef = 0', args: { coef: 0 } },
  { entry: 'prune_method:pgf', rule: 'coef = 0', args: { coef: 0, decay: 'step' }, fires: false },
  { entry: 'prune_method:pgf', rule: 'fine_tune must not be negative', args: { fine_tune: ep(-1) } },
  { entry: 'prune_method:bimask', rule: 'decay = 0', args: { decay: 0 } },
  { entry: 'prune_method:bimask', rule: 'every must be longer than zero', args: { every: steps(0) } },
  { entry: 'regularizer:hypersparse', rule: 'eta < 1', args: { eta: 0.9 } },
  { entry: 'regularizer:hypersparse', rule: 'eta < 1', args: { eta: 1.05 }, fires: false },
  { entry: 'regularizer:hypersparse', rule: 'lambda = 0', args: { lambda: 0 } },
  { entry: 'prune_schedule:gradual', rule: 'every must be longer than zero', args: { every: steps(0) } },
  { entry: 'lowrank:svd', rule: 'needs one of', args: {}, without: ['energy'] },
  { entry: 'lowrank:svd', rule: 'needs one of', args: { rank: 8 }, without: ['energy'], fires: false },
  { entry: 'lowrank:svd', rule: 'not both', args: { rank: 8 } },
  { entry: 'lowrank:svd', rule: 'energy = 100%', args: { energy: 1 } },
  { entry: 'lowrank:fwsvd', rule: 'needs one of', args: {}, without: ['rank'] },
  { entry: 'lowrank:fwsvd', rule: 'needs one of', args: { energy: 0.9 }, without: ['rank'], fires: false },
  { entry: 'lowrank:fwsvd', rule: 'not both', args: { energy: 0.9 } },
  { entry: 'lowrank:fwsvd', rule: 'energy = 100%', args: { energy: 1 }, without: ['rank'] },
  { entry: 'prune_method:obc', rule: 'symmetric = false', args: { symmetric: false } },
  { entry: 'wrapper:dp_sat', rule: 'noise = 0', args: { noise: 0 } },
  { entry: 'regularizer:least_volume', rule: 'eta ≤ 0', args: { eta: 0 } },
  { entry: 'regularizer:least_volume', rule: 'weight = 0', args: { weight: 0 } },
  { entry: 'prune_method:obc', rule: 'symmetric = false', args: { symmetric: false, bits: 4 }, fires: false },
  { entry: 'lowrank:trp', rule: 'energy = 100%', args: { energy: 1 } },
  { entry: 'lowrank:trp', rule: 'every must be longer than zero', args: { every: steps(0) } },
  { entry: 'calibration:percentile', rule: 'p = 100', args: { p: 100 } },
  { entry: 'metric:sharpness', rule: 'rho = 0', args: { rho: 0 } },
];

const byId = new Map(CATALOG.entries.map((e) => [entryId(e), e]));

test('the valid call of every entry (defaults plus required arguments) fires no rule', () => {
  for (const e of CATALOG.entries) {
    const id = entryId(e);
    const written = VALID[id] ?? {};
    for (const [name, value] of Object.entries(written)) assert.ok(conformsParam(e, name, value), `${id}: valid argument ${name} does not conform`);
    for (const p of e.params) if (p.required === true) assert.ok(p.name in written, `${id}: VALID must give required ${p.name}`);
    const args = withDefaults(e, written);
    const fired = (e.rules ?? []).filter((r) => r.when(args)).map((r) => r.message);
    assert.deepEqual(fired, [], `${id} fires on its valid call`);
  }
});

test('VALID names only catalog entries', () => {
  for (const id of Object.keys(VALID)) assert.ok(byId.has(id), id);
});

for (const c of CASES) {
  const fires = c.fires ?? true;
  test(`${c.entry}: "${c.rule}" ${fires ? 'fires' : 'stays silent'} on ${JSON.stringify(c.args)}`, () => {
    const e = byId.get(c.entry);
    assert.ok(e !== undefined, `no entry ${c.entry}`);
    const rule = ruleOf(e, c.rule);
    // Only type-correct arguments count: a rule that only out-of-type values reach is dead.
    for (const [name, value] of Object.entries(c.args)) assert.ok(conformsParam(e, name, value), `${c.entry}: ${name} = ${JSON.stringify(value)} does not conform to its type`);
    const valid = Object.entries(VALID[c.entry] ?? {}).filter(([name]) => !(c.without ?? []).includes(name));
    assert.equal(rule.when(withDefaults(e, { ...Object.fromEntries(valid), ...c.args })), fires);
  });
}

test('every rule of every entry has a case where it fires', () => {
  const missing: string[] = [];
  for (const e of CATALOG.entries) {
    for (const r of e.rules ?? []) {
      const covered = CASES.some((c) => c.entry === entryId(e) && (c.fires ?? true) && r.message.includes(c.rule));
      if (!covered) missing.push(`${entryId(e)}: "${r.message}"`);
    }
  }
  assert.deepEqual(missing, [], 'add a firing case to CASES in rules.test.ts');
});

function ruleOf(e: TechniqueEntry, text: string): Rule {
  const matches = (e.rules ?? []).filter((r) => r.message.includes(text));
  assert.equal(matches.length, 1, `${entryId(e)}: "${text}" must name exactly one rule, got ${matches.length}`);
  const [rule] = matches;
  assert.ok(rule !== undefined);
  return rule;
}

function conformsParam(e: TechniqueEntry, name: string, value: Args[string]): boolean {
  const p = e.params.find((q) => q.name === name);
  return p !== undefined && conforms(value, p.type);
}

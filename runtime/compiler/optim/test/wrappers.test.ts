// Catalog oracles of the sharpness-aware wrappers (A01 SAM, A02 ASAM, A03 SAM-ON, A04 GAM, A06 FSAM).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { matmul, mul, reduceSum, reshape } from '../../ops';
import { type Tensor, tensor } from '../../tensor';
import { OPTIMIZERS, WRAPPERS, NOT_COMPILED, LOSS_WRAPPERS } from '..';
import { asamPerturbation } from '../asam';
import { fisherMask } from '../fsam';
import { gamSurgery } from '../gam';
import { samPerturbation } from '../sam';
import { samOnPerturbation } from '../sam-on';
import { globalNorm } from '../tensors';
import type { HyperParams, OptimizerBuilder, WrapperBuilder } from '../types';
import { type TinyNet, type TrainState, gaussian, mlp, randomProblem, seededRandomFor, stepper } from '../../../testing/optim-harness';
import type { ParamInfo } from '../../model/types';

const SGD: HyperParams = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 5e-4 };

function get<T>(m: ReadonlyMap<string, T>, name: string): T {
  const b = m.get(name);
  assert.ok(b, `no builder ${name}`);
  return b;
}

function train(net: TinyNet, wrapper: { name: string; hp: HyperParams } | undefined, steps = 3, base: { name: string; hp: HyperParams } = { name: 'sgd', hp: SGD }): TrainState[] {
  const problem = randomProblem(net, 6, steps, 11);
  const optimizer = { builder: get<OptimizerBuilder>(OPTIMIZERS, base.name), hp: base.hp };
  const s = stepper({ net, batchSize: 6, optimizer, ...(wrapper ? { wrapper: { builder: get<WrapperBuilder>(WRAPPERS, wrapper.name), hp: wrapper.hp } } : {}) });
  const states: TrainState[] = [s.initial(problem.params)];
  problem.batches.forEach((b, t) => states.push(s.step(states[t] as TrainState, b, Number(base.hp['lr']), t + 1)));
  return states;
}

function sameTrajectory(a: readonly TrainState[], b: readonly TrainState[]): void {
  assert.equal(a.length, b.length);
  a.forEach((s, t) => s.params.forEach((p, i) => assert.deepEqual(p.data, b[t]?.params[i]?.data, `step ${t} param ${i}`)));
}

function closeTrajectory(a: readonly TrainState[], b: readonly TrainState[], rel: number): void {
  a.forEach((s, t) => s.params.forEach((p, i) => p.data.forEach((v, k) => {
    const w = b[t]?.params[i]?.data[k] ?? NaN;
    assert.ok(Math.abs(v - w) <= rel * Math.max(1, Math.abs(w)), `step ${t} param ${i}[${k}]: ${v} vs ${w}`);
  })));
}

const net = mlp({ inputs: 5, hidden: 4, classes: 3 });
const normNet = mlp({ inputs: 5, hidden: 4, classes: 3, layerNorm: true });

test('the wrapper registry covers the catalog wrappers; saf is built into the loss by the train step', () => {
  // A15, A16, A20: bloop, gr, deepzero (their oracles: bloop.test.ts, gr.test.ts, deepzero.test.ts).
  const techniqueWrappers = [...WRAPPERS.keys()].filter((n) => ['bloop', 'gr', 'deepzero'].includes(n));
  assert.deepEqual([...WRAPPERS.keys()].filter((n) => !techniqueWrappers.includes(n)).sort(), ['asam', 'dp_sat', 'fsam', 'gam', 'sam', 'sam_on']);
  assert.deepEqual([...LOSS_WRAPPERS], ['saf']);
  assert.equal(NOT_COMPILED.get('saf'), undefined);
});

test('SAM with rho = 0 equals its base optimizer bit for bit', () => {
  sameTrajectory(train(net, { name: 'sam', hp: { rho: 0, adaptive: false } }), train(net, undefined));
});

test('SAM moves the trajectory when rho > 0 (the equality above is not vacuous)', () => {
  assert.notDeepEqual(train(net, { name: 'sam', hp: { rho: 0.05, adaptive: false } })[3]?.params[0]?.data, train(net, undefined)[3]?.params[0]?.data);
});

/** Evaluates `build` on Gaussian inputs of the given shapes. */
function evalOn(shapes: readonly number[][], seed: number, build: (xs: Value[]) => Value[]): { inputs: Tensor[]; outputs: Tensor[] } {
  const rand = seededRandomFor(seed);
  const g = new GraphBuilder();
  const inputs = shapes.map((s) => gaussian(s, rand));
  const xs = shapes.map((s, i) => g.input(`x${i}`, s));
  const feeds: Record<string, Tensor> = {};
  inputs.forEach((t, i) => (feeds[`x${i}`] = t));
  return { inputs, outputs: interpret(build(xs), feeds) };
}

const norm = (ts: readonly Tensor[]): number => Math.sqrt(ts.reduce((a, t) => a + t.data.reduce((b, v) => b + v * v, 0), 0));

test('SAM: ‖e‖ = rho and e ∥ g (plain and adaptive: ‖e/|w|‖ = rho)', () => {
  const shapes = [[3, 4], [4], [2, 3]];
  for (const adaptive of [false, true]) {
    const { inputs, outputs } = evalOn([...shapes, ...shapes], 3, (xs) => samPerturbation(xs.slice(0, 3), xs.slice(3), 0.07, adaptive));
    const w = inputs.slice(0, 3);
    const g = inputs.slice(3);
    const scaled = adaptive ? outputs.map((e, i) => tensor(e.shape, e.data.map((v, k) => v / Math.abs(w[i]?.data[k] ?? NaN)))) : outputs;
    assert.ok(Math.abs(norm(scaled) - 0.07) <= 1e-12, `adaptive ${adaptive}: ${norm(scaled)}`);
    if (!adaptive) {
      const ratio = 0.07 / norm(g);
      // e = ρg/(‖g‖ + 1e-12): relative error ~1e-12/‖g‖.
      outputs.forEach((e, i) => e.data.forEach((v, k) => assert.ok(Math.abs(v - ratio * (g[i]?.data[k] ?? NaN)) <= 1e-11 * Math.abs(v))));
    }
  }
});

test('SAM on a quadratic ½wᵀAw: g_SAM = A(w + ρAw/‖Aw‖)', () => {
  const n = 5;
  const rho = 0.3;
  const rand = seededRandomFor(5);
  const b = gaussian([n, n], rand);
  // A = BᵀB + I, symmetric positive definite.
  const a = Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    let s = i === j ? 1 : 0;
    for (let r = 0; r < n; r++) s += (b.data[r * n + i] ?? NaN) * (b.data[r * n + j] ?? NaN);
    return s;
  });
  const w0 = gaussian([n], rand);
  const g = new GraphBuilder();
  const w = g.input('w', [n]);
  const A = g.constant(tensor([n, n], a));
  const aw = (v: Value): Value => reshape(matmul(A, reshape(v, [n, 1])), [n]);
  const sam = get<WrapperBuilder>(WRAPPERS, 'sam');
  const r = sam.gradient(g, {
    params: [w], infos: [], state: [], step: g.scalar(1), hp: { rho, adaptive: false },
    lossAndGrad: (ps) => {
      const p = ps[0] as Value;
      return { loss: mul(reduceSum(mul(p, aw(p)), [], false), 0.5), grads: [aw(p)] };
    },
  });
  const [got] = interpret([r.grads[0] as Value], { w: w0 });
  const mv = (v: readonly number[]): number[] => Array.from({ length: n }, (_, i) => v.reduce((s, x, j) => s + (a[i * n + j] ?? NaN) * x, 0));
  const awv = mv([...w0.data]);
  const len = Math.hypot(...awv);
  const expected = mv([...w0.data].map((v, i) => v + (rho * (awv[i] ?? NaN)) / len));
  expected.forEach((v, i) => assert.ok(Math.abs(v - (got?.data[i] ?? NaN)) <= 1e-12 * Math.max(1, Math.abs(v)), `${i}: ${got?.data[i]} vs ${v}`));
});

const infosOf = (roles: ParamInfo['role'][], shapes: number[][]): ParamInfo[] =>
  roles.map((role, i) => ({ name: `p${i}`, layer: `l${i}`, role, shape: shapes[i] ?? [], compressible: role === 'weight', isNorm: role.startsWith('norm'), init: { kind: 'zeros' } }));

test('ASAM: ‖e/T‖ = rho with T = |w| + eta on weights and 1 elsewhere', () => {
  const shapes = [[3, 4], [4], [4], [4]];
  const infos = infosOf(['weight', 'bias', 'norm_scale', 'norm_bias'], shapes);
  const { inputs, outputs } = evalOn([...shapes, ...shapes], 4, (xs) => {
    const { e, t } = asamPerturbation(xs.slice(0, 4), xs.slice(4), infos, 0.5, 0.01);
    return [...e, ...t.map((ti, i) => ti ?? mul(xs[i] as Value, 0))];
  });
  const e = outputs.slice(0, 4);
  const t = outputs.slice(4);
  const scaled = e.map((ei, i) => tensor(ei.shape, ei.data.map((v, k) => (i === 0 ? v / (t[i]?.data[k] ?? NaN) : v))));
  assert.ok(Math.abs(norm(scaled) - 0.5) <= 1e-12);
  // T on the weight is |w| + η.
  t[0]?.data.forEach((v, k) => assert.equal(v, Math.abs(inputs[0]?.data[k] ?? NaN) + 0.01));
});

const SAM_ON: HyperParams = { rho: 0.5, eta: 0, elementwise: false, normalize_bias: false, p: 'two' };

test('SAM-ON on a net without normalization parameters equals its base optimizer bit for bit', () => {
  sameTrajectory(train(net, { name: 'sam_on', hp: SAM_ON }), train(net, undefined));
});

test('SAM-ON perturbs only normalization parameters; ‖e/T‖ = rho over them (p = two), e = ρT·sign(g) (p = infinity)', () => {
  const shapes = [[3, 4], [4], [4], [4]];
  const infos = infosOf(['weight', 'bias', 'norm_scale', 'norm_bias'], shapes);
  for (const hp of [SAM_ON, { ...SAM_ON, elementwise: true, eta: 0.1, normalize_bias: true }, { ...SAM_ON, p: 'infinity', elementwise: true }]) {
    let tValues: Value[] = [];
    const { inputs, outputs } = evalOn([...shapes, ...shapes], 6, (xs) => {
      const e = samOnPerturbation(xs.slice(0, 4), xs.slice(4), infos, hp);
      assert.ok(e);
      assert.equal(e[0], undefined);
      assert.equal(e[1], undefined);
      tValues = [2, 3].map((i) => {
        const w = xs[i] as Value;
        const biasT = i === 3 && !hp.normalize_bias;
        if (biasT) return mul(w, 0);
        return hp.elementwise ? mul(w, 1) : reshape(globalNorm([w]), [1]);
      });
      return [e[2] as Value, e[3] as Value, ...tValues];
    });
    const [e2, e3, t2, t3] = outputs as [Tensor, Tensor, Tensor, Tensor];
    const tOf = (i: 2 | 3, k: number): number => {
      if (i === 3 && !hp.normalize_bias) return 1;
      const t = i === 2 ? t2 : t3;
      return (hp.elementwise ? Math.abs(t.data[k] ?? NaN) : (t.data[0] ?? NaN)) + Number(hp.eta);
    };
    if (hp.p === 'two') {
      const scaled = [tensor([4], e2.data.map((v, k) => v / tOf(2, k))), tensor([4], e3.data.map((v, k) => v / tOf(3, k)))];
      assert.ok(Math.abs(norm(scaled) - 0.5) <= 1e-12, `‖e/T‖ = ${norm(scaled)}`);
    } else {
      e2.data.forEach((v, k) => assert.ok(Math.abs(v - 0.5 * tOf(2, k) * Math.sign(inputs[6]?.data[k] ?? NaN)) <= 1e-15));
    }
  }
});

test('SAM-ON on a net with a layer norm differs from its base optimizer', () => {
  assert.notDeepEqual(train(normNet, { name: 'sam_on', hp: SAM_ON })[3]?.params[0]?.data, train(normNet, undefined)[3]?.params[0]?.data);
});

test('GAM with grad_norm_rho = 0, gamma = 0, beta3 = 1 − beta1 is SAM(rho) bit for bit', () => {
  const gamHp = { rho: 0.05, grad_norm_rho: 0, beta1: 0.5, beta2: 0.5, beta3: 0.5, gamma: 0 };
  sameTrajectory(train(net, { name: 'gam', hp: gamHp }), train(net, { name: 'sam', hp: { rho: 0.05, adaptive: false } }));
  // Without beta3 it defaults to 1 − beta1.
  const { beta3: _omit, ...defaulted } = gamHp;
  sameTrajectory(train(net, { name: 'gam', hp: defaulted }), train(net, { name: 'sam', hp: { rho: 0.05, adaptive: false } }));
});

test('GAM with its default settings runs and differs from SAM', () => {
  const states = train(net, { name: 'gam', hp: { rho: 0.02, grad_norm_rho: 0.2, beta1: 0.6, beta2: 0.5, gamma: 0.03 } });
  assert.ok(states[3]?.params.every((p) => p.data.every(Number.isFinite)));
  assert.notDeepEqual(states[3]?.params[0]?.data, train(net, { name: 'sam', hp: { rho: 0.02, adaptive: false } })[3]?.params[0]?.data);
});

test('GAM surgery leaves the component along G unchanged: ⟨G_new − G_old, G_old⟩ = 0', () => {
  const shapes = [[3, 4], [4]];
  const { inputs, outputs } = evalOn([...shapes, ...shapes], 8, (xs) => gamSurgery(xs.slice(0, 2), xs.slice(2), 0.3));
  const G = inputs.slice(2);
  let dot = 0;
  let change = 0;
  outputs.forEach((o, i) => o.data.forEach((v, k) => {
    const old = G[i]?.data[k] ?? NaN;
    dot += (v - old) * old;
    change += (v - old) ** 2;
  }));
  assert.ok(change > 1e-6, 'the surgery changed G');
  assert.ok(Math.abs(dot) <= 1e-12 * Math.sqrt(change) * norm(G), `⟨ΔG, G⟩ = ${dot}`);
});

test('FSAM with keep_ratio = 1 is SAM (up to its 1e-7 norm guard)', () => {
  const fsam = train(net, { name: 'fsam', hp: { rho: 0.05, keep_ratio: 1, mask_every: 1 } });
  const sam = train(net, { name: 'sam', hp: { rho: 0.05, adaptive: false } });
  closeTrajectory(fsam, sam, 1e-8);
  assert.notDeepEqual(train(net, { name: 'fsam', hp: { rho: 0.05, keep_ratio: 0.3, mask_every: 2 } })[3]?.params[0]?.data, sam[3]?.params[0]?.data);
});

test('FSAM mask: exactly ⌊keep_ratio·N⌋ ones, on the largest g² entries', () => {
  const shapes = [[6, 7], [5, 3], [11]];
  for (const keep of [0, 0.1, 0.37, 0.5, 0.99, 1]) {
    const { inputs, outputs } = evalOn(shapes, 9, (xs) => fisherMask(xs, keep));
    const scores = inputs.flatMap((t) => [...t.data].map((v) => v * v));
    const mask = outputs.flatMap((t) => [...t.data]);
    const k = Math.floor(keep * scores.length);
    assert.equal(mask.filter((m) => m === 1).length, k, `keep ${keep}`);
    assert.ok(mask.every((m) => m === 0 || m === 1));
    const threshold = [...scores].sort((a, b) => b - a)[k - 1] ?? Infinity;
    scores.forEach((s, i) => assert.equal(mask[i], s >= threshold ? 1 : 0));
  }
});

test('FSAM keeps its mask between refreshes (wrapper state)', () => {
  const problem = randomProblem(net, 6, 3, 11);
  const s = stepper({ net, batchSize: 6, optimizer: { builder: get<OptimizerBuilder>(OPTIMIZERS, 'sgd'), hp: SGD }, wrapper: { builder: get<WrapperBuilder>(WRAPPERS, 'fsam'), hp: { rho: 0.05, keep_ratio: 0.25, mask_every: 2 } } });
  const s1 = s.step(s.initial(problem.params), problem.batches[0] as { x: Tensor; y: Tensor }, 0.1, 1);
  const s2 = s.step(s1, problem.batches[1] as { x: Tensor; y: Tensor }, 0.1, 2);
  const s3 = s.step(s2, problem.batches[2] as { x: Tensor; y: Tensor }, 0.1, 3);
  assert.equal(s1.wrapperState.length, 2);
  assert.deepEqual(s2.wrapperState, s1.wrapperState);
  assert.notDeepEqual(s3.wrapperState, s1.wrapperState);
  const ones = s1.wrapperState.reduce((n, t) => n + t.data.filter((v) => v === 1).length, 0);
  assert.equal(ones, Math.floor(0.25 * (4 * 5 + 3 * 4)));
});

test('only the first pass of each wrapper updates buffers (updateBuffers: false afterwards)', () => {
  const expected: Record<string, [HyperParams, boolean[]]> = {
    sam: [{ rho: 0.05, adaptive: true }, [true, false]],
    asam: [{ rho: 0.5, eta: 0.01 }, [true, false]],
    sam_on: [SAM_ON, [true, false]],
    gam: [{ rho: 0.02, grad_norm_rho: 0.2, beta1: 0.6, beta2: 0.5, gamma: 0.03 }, [true, false, false, false]],
    fsam: [{ rho: 0.05, keep_ratio: 0.5, mask_every: 1 }, [true, false]],
  };
  for (const [name, [hp, calls]] of Object.entries(expected)) {
    const g = new GraphBuilder();
    const infos = infosOf(['weight', 'norm_scale'], [[3], [3]]);
    const params = [g.input('w', [3]), g.input('s', [3])];
    const seen: boolean[] = [];
    const wrapper = get<WrapperBuilder>(WRAPPERS, name);
    const state = wrapper.state(infos, hp).map((s, k) => g.input(`m${k}`, s.shape));
    wrapper.gradient(g, {
      params, infos, state, step: g.input('step', []), hp,
      lossAndGrad: (ps, o) => {
        seen.push(o.updateBuffers);
        return { loss: reduceSum(mul(ps[0] as Value, ps[1] as Value), [], false), grads: [mul(ps[1] as Value, 1), mul(ps[0] as Value, 1)] };
      },
    });
    assert.deepEqual(seen, calls, name);
  }
});

test('SAM-ON: the perturbation is a constant of the second pass (the official code computes it under no_grad)', () => {
  // One step of SAM-ON from w equals one plain step from w + e, less e, where e is the
  // perturbation of the norm parameters computed from the first-pass gradient: every parameter's
  // update is the plain gradient at the perturbed point, with nothing flowing back through e.
  const problem = randomProblem(normNet, 6, 1, 11);
  // Plain SGD, so that a step reads its gradient back exactly: w − lr·g.
  const hp: HyperParams = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weight_decay: 0 };
  const lr = 0.1;
  const optimizer = { builder: get<OptimizerBuilder>(OPTIMIZERS, 'sgd'), hp };
  const plain = stepper({ net: normNet, batchSize: 6, optimizer });
  const samOn = stepper({ net: normNet, batchSize: 6, optimizer, wrapper: { builder: get<WrapperBuilder>(WRAPPERS, 'sam_on'), hp: SAM_ON } });
  const batch = problem.batches[0]!;
  const w0 = problem.params;
  const grads = plain.step(plain.initial(w0), batch, lr, 1).params.map((p, i) => tensor(p.shape, p.data.map((v, k) => ((w0[i]?.data[k] ?? NaN) - v) / lr)));
  // e (p = two, layerwise T = ‖w‖ + η on the scale, T = 1 on the norm bias): ρ·T²·g / ‖T⊙g‖.
  const isNorm = normNet.infos.map((info) => info.isNorm === true);
  const tOf = (i: number) => (normNet.infos[i]?.role === 'norm_scale' ? Math.hypot(...Array.from(w0[i]?.data ?? [])) + Number(SAM_ON['eta']) : 1);
  const tg = w0.map((_, i) => (isNorm[i] ? Array.from(grads[i]?.data ?? []).map((g) => g * tOf(i)) : []));
  const n = Math.hypot(...tg.flat());
  const e = w0.map((w, i) => (isNorm[i] ? Array.from(w.data).map((_, k) => (Number(SAM_ON['rho']) * tOf(i) * (tg[i]?.[k] ?? NaN)) / (n + 1e-12)) : Array.from(w.data).map(() => 0)));
  const moved = w0.map((w, i) => tensor(w.shape, w.data.map((v, k) => v + (e[i]?.[k] ?? 0))));
  const expected = plain.step(plain.initial(moved), batch, lr, 1).params.map((p, i) => Array.from(p.data).map((v, k) => v - (e[i]?.[k] ?? 0)));
  const actual = samOn.step(samOn.initial(w0), batch, lr, 1).params;
  actual.forEach((p, i) => p.data.forEach((v, k) => {
    const want = expected[i]?.[k] ?? NaN;
    assert.ok(Math.abs(v - want) <= 1e-12 * Math.max(1, Math.abs(want)), `param ${normNet.infos[i]?.name}[${k}]: ${v} vs ${want}`);
  }));
});

// Catalog oracles of A21 low-rank Adam on DCT bases, in the float64 interpreter: the DCT basis is
// orthonormal (PᵀP = I_r), the selected columns maximize ‖PᵀG‖_F over all column subsets (brute
// force), ties go to the smaller index, a full rank projects losslessly (so SGD in it would be SGD)
// and the state lives in r×n.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Value } from '../../ir';
import { interpret } from '../../interpret';
import { matmul, transpose } from '../../ops';
import { type Tensor, filled, tensor } from '../../tensor';
import { type HostScalar, hostScalarInputs, hostScalarValues } from '../host-scalars';
import { dctBasis, dctMatrix, dctSelect } from '../dct-adam';
import { OPTIMIZERS } from '..';
import type { HyperParams } from '../types';
import type { ParamInfo } from '../../model/types';
import { gaussian, seededRandomFor } from '../../../testing/optim-harness';

const HP: HyperParams = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, rank: 2, every: 3, scale: 0.25 };

function run(values: readonly Value[], feeds: Record<string, Tensor>): Tensor[] {
  return interpret(values, feeds);
}

function selected(m: number, G: Tensor, side: 'left' | 'right', rank: number): number[] {
  const g = new GraphBuilder();
  const q = g.constant(tensor([m, m], dctMatrix(m)));
  const [idx] = run([dctSelect(q, g.input('G', G.shape), side, rank)], { G });
  return Array.from(idx?.data ?? []);
}

test('DCT: PᵀP = I_r for any r distinct columns', () => {
  const m = 8;
  const g = new GraphBuilder();
  const q = g.constant(tensor([m, m], dctMatrix(m)));
  const P = dctBasis(q, g.input('idx', [3]));
  const [ptp] = run([matmul(transpose(P), P)], { idx: tensor([3], [5, 0, 7]) });
  ptp?.data.forEach((v, k) => assert.ok(Math.abs(v - (k % 4 === 0 ? 1 : 0)) <= 1e-12, `PᵀP[${k}] = ${v}`));
});

test('DCT: the selected columns maximize ‖PᵀG‖_F over every subset of r columns, largest first', () => {
  const m = 5;
  const q = dctMatrix(m);
  const rand = seededRandomFor(4);
  for (const [side, shape] of [['left', [5, 7]], ['right', [9, 5]]] as const) {
    const G = gaussian([...shape], rand);
    const [rows, cols] = shape;
    // score_j = ‖Q_jᵀG‖² (left) or ‖GQ_j‖² (right).
    const score = (j: number): number => {
      let s = 0;
      if (side === 'left') for (let c = 0; c < cols; c++) s += Array.from({ length: m }, (_, k) => (q[k * m + j] ?? NaN) * (G.data[k * cols + c] ?? NaN)).reduce((a, b) => a + b) ** 2;
      else for (let r = 0; r < rows; r++) s += Array.from({ length: m }, (_, k) => (G.data[r * cols + k] ?? NaN) * (q[k * m + j] ?? NaN)).reduce((a, b) => a + b) ** 2;
      return s;
    };
    const got = selected(m, G, side, 2);
    let best = -1;
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) best = Math.max(best, score(a) + score(b));
    assert.ok(Math.abs(score(got[0]!) + score(got[1]!) - best) <= 1e-12, `${side}: ${got}`);
    assert.ok(score(got[0]!) >= score(got[1]!));
  }
});

test('DCT: equal scores go to the smaller index (the order torch.topk gives distinct scores)', () => {
  // G = 0: every score is 0, so the first r columns are taken in order.
  assert.deepEqual(selected(4, filled([4, 6], 0), 'left', 3), [0, 1, 2]);
});

test('DCT Adam with a full rank: the projection is lossless (PPᵀG = G) and the step is α·Q·Adam(QᵀG)', () => {
  const m = 4;
  const g = new GraphBuilder();
  const q = g.constant(tensor([m, m], dctMatrix(m)));
  const G = g.input('G', [m, 6]);
  const P = dctBasis(q, dctSelect(q, G, 'left', m));
  const Gt = gaussian([m, 6], seededRandomFor(9));
  const [back] = run([matmul(P, matmul(transpose(P), G))], { G: Gt });
  back?.data.forEach((v, k) => assert.ok(Math.abs(v - (Gt.data[k] ?? NaN)) <= 1e-12));
  // One step from zero moments: U = R/(|R| + ε), so Δw = −η α Q (QᵀG)/(|QᵀG| + ε).
  const info: ParamInfo = { name: 'w', layer: 'fc', role: 'weight', shape: [m, 6], compressible: true, isNorm: false, init: { kind: 'zeros' } };
  const dct = OPTIMIZERS.get('dct_adam');
  assert.ok(dct);
  const hp = { ...HP, rank: m };
  const specs = dct.state(info, hp);
  assert.deepEqual(specs.map((s) => [s.name, s.shape]), [['exp_avg', [m, 6]], ['exp_avg_sq', [m, 6]], ['dct_index', [m]]]);
  const w = g.input('w', [m, 6]);
  const scalars: HostScalar[] = [];
  const state = specs.map((s) => g.input(s.name, s.shape));
  const r = dct.update(g, { params: [w], grads: [G], state: [state], infos: [info], lr: g.input('lr', []), step: g.input('step', []), hostScalar: hostScalarInputs(g, 'step', 'float64', scalars), hp });
  const R = matmul(transpose(q), G);
  const w0 = gaussian([m, 6], seededRandomFor(10));
  const [w1, rv] = run([r.params[0] as Value, R], { G: Gt, w: w0, exp_avg: filled([m, 6], 0), exp_avg_sq: filled([m, 6], 0), dct_index: filled([m], 0), lr: tensor([], [0.1]), step: tensor([], [1]), ...Object.fromEntries(hostScalarValues(scalars, () => 1).map((h) => [h.input, tensor([], [h.value])])) });
  const qm = dctMatrix(m);
  const u = Array.from(rv?.data ?? [], (x) => x / (Math.abs(x) + 1e-8));
  // back = Q·U with the columns of Q in the selected order: the same as Q·U in natural order after
  // permuting U's rows, which the full-rank selection does; compare through PU = Σ_j Q[:, j] U_j.
  w1?.data.forEach((v, k) => {
    const [row, c] = [Math.floor(k / 6), k % 6];
    const delta = Array.from({ length: m }, (_, j) => (qm[row * m + j] ?? NaN) * (u[j * 6 + c] ?? NaN)).reduce((a, b) => a + b);
    assert.ok(Math.abs(v - ((w0.data[k] ?? NaN) - 0.1 * 0.25 * delta)) <= 1e-12, `w[${k}]`);
  });
});

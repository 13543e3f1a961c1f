// Catalog A13 oracles of Muon's Newton–Schulz iteration, on Gaussian matrices in float64.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import { interpret } from '../../interpret';
import { mul, transpose } from '../../ops';
import type { Tensor } from '../../tensor';
import { newtonSchulz } from '../newton-schulz';
import { gaussian, seededRandomFor } from '../../../testing/optim-harness';

/** NS5 of each input, plus NS5(c·G) and NS5(Gᵀ)ᵀ. */
function ns(shape: [number, number], seed: number, c: number): { plain: Tensor; scaled: Tensor; viaT: Tensor } {
  const g = new GraphBuilder();
  const x = g.input('g', shape);
  const outs = interpret([newtonSchulz(x, 5), newtonSchulz(mul(x, c), 5), transpose(newtonSchulz(transpose(x), 5))], { g: gaussian(shape, seededRandomFor(seed)) });
  const [plain, scaled, viaT] = outs as [Tensor, Tensor, Tensor];
  return { plain, scaled, viaT };
}

/** Singular values of a [r, c] matrix: √eig(MMᵀ) or √eig(MᵀM), the smaller, by cyclic Jacobi. */
function singularValues(m: Tensor): number[] {
  const [r, c] = m.shape as [number, number];
  const n = Math.min(r, c);
  const at = (i: number, j: number): number => (r <= c ? m.data[i * c + j] : m.data[j * c + i]) ?? NaN;
  const inner = r <= c ? c : r;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < inner; k++) s += at(i, k) * at(j, k);
    return s;
  }));
  const get = (i: number, j: number): number => a[i]?.[j] ?? NaN;
  const set = (i: number, j: number, v: number): void => {
    const row = a[i];
    if (row) row[j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += get(p, q) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(get(p, q)) < 1e-300) continue;
        const theta = (get(q, q) - get(p, p)) / (2 * get(p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [get(k, p), get(k, q)];
          set(k, p, cs * akp - sn * akq);
          set(k, q, sn * akp + cs * akq);
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [get(p, k), get(q, k)];
          set(p, k, cs * apk - sn * aqk);
          set(q, k, sn * apk + cs * aqk);
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(0, get(i, i))));
}

const maxDiff = (a: Tensor, b: Tensor): number => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - (b.data[i] ?? NaN))), 0);

for (const shape of [[8, 16], [16, 8], [6, 18], [12, 12]] as [number, number][]) {
  test(`Newton–Schulz ${shape.join('×')}: NS(cG) = NS(G), NS(Gᵀ) = NS(G)ᵀ, singular values in the catalog bounds`, () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { plain, scaled, viaT } = ns(shape, seed, 3.7);
      assert.deepEqual(plain.shape, shape);
      // The 1e-7 in X/(‖X‖ + 1e-7) is the only difference between G and cG.
      assert.ok(maxDiff(plain, scaled) <= 1e-7, `NS(cG) differs by ${maxDiff(plain, scaled)}`);
      assert.ok(maxDiff(plain, viaT) <= 1e-12, `NS(Gᵀ)ᵀ differs by ${maxDiff(plain, viaT)}`);
      const sv = singularValues(plain);
      assert.ok(Math.max(...sv) <= 1.25, `max σ ${Math.max(...sv)}`);
      // Aspect ratio ≥ 2: all σ ∈ [0.68, 1.14] (catalog A13, numpy fp64 check); square: max only.
      if (Math.max(...shape) >= 2 * Math.min(...shape)) {
        assert.ok(Math.min(...sv) >= 0.68 && Math.max(...sv) <= 1.14, `σ in [${Math.min(...sv)}, ${Math.max(...sv)}]`);
      }
    }
  });
}

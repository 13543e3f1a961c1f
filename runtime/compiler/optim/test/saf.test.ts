import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, grad, interpret, tensor } from '../..';
import { safKl } from '../saf';

// SAF's KL term (catalog A05): ≥ 0, and 0 with zero gradient when the logits equal the stored ones.

function kl(z: readonly number[], ref: readonly number[], t: number): { value: number; grad: number[] } {
  const g = new GraphBuilder();
  const logits = g.input('z', [2, 3], 'float64');
  const reference = g.input('ref', [2, 3], 'float64');
  const k = safKl(logits, reference, t);
  const [dz] = grad(k, [logits]);
  assert.ok(dz);
  const [v, d] = interpret([k, dz], { z: tensor([2, 3], z, 'float64'), ref: tensor([2, 3], ref, 'float64') });
  return { value: v?.data[0] ?? NaN, grad: [...(d?.data ?? [])] };
}

function klReference(z: readonly number[], ref: readonly number[], t: number): number {
  let total = 0;
  for (let r = 0; r < 2; r++) {
    const sm = (xs: number[]) => { const m = Math.max(...xs); const e = xs.map((x) => Math.exp((x - m) / t)); const s = e.reduce((a, b) => a + b, 0); return e.map((x) => x / s); };
    const p = sm(ref.slice(r * 3, r * 3 + 3));
    const q = sm(z.slice(r * 3, r * 3 + 3));
    total += p.reduce((s, pi, i) => s + pi * Math.log(pi / (q[i] ?? 1)), 0);
  }
  return total / 2;
}

const Z = [1, -2, 0.5, 3, 0, -1];
for (const [name, ref, t] of [['different logits, T = 5', [0, 1, 2, -1, 4, 0.3], 5], ['different logits, T = 1', [2, -2, 0.1, 0, 0, 0], 1]] as const) {
  test(`saf KL ${name}: matches the closed form and is positive`, () => {
    const r = kl(Z, ref, t);
    assert.ok(r.value > 0);
    assert.ok(Math.abs(r.value - klReference(Z, ref, t)) < 1e-12);
  });
}

test('saf KL is 0 with zero gradient when the logits equal the stored ones', () => {
  const r = kl(Z, Z, 5);
  assert.ok(Math.abs(r.value) < 1e-15);
  for (const d of r.grad) assert.ok(Math.abs(d) < 1e-15);
});

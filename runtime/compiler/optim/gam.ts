// GAM (xxgege/GAM gam.py): four gradient evaluations and a gradient surgery.
//   g0 = ∇L(w); g1 = ∇L(w + ρ g0/‖g0‖); d = g1 − g0; w2 = w + ρ' d/‖d‖; g2 = ∇L(w2);
//   g3 = ∇L(w2 + ρ g2/‖g2‖); p = g0 + |β2| g2; G = β1 g1 + β3 g3; G ← G − γ (p − c‖p‖ G/‖G‖),
//   c = ⟨p, G⟩/(‖p‖‖G‖ + 1e-12). β3 defaults to 1 − β1. All norms are guarded by + 1e-12, so that
//   zero gradients give no NaN. Only the first pass updates batch-norm buffers.

import type { Value } from '../ir';
import { add, div, mul, reduceSum, sub } from '../ops';
import { ascent, perturb } from './ascent';
import { numberHp, optionalNumberHp } from './hp';
import { at, globalNorm } from './tensors';
import type { WrapperBuilder } from './types';

const EPS = 1e-12;

export const gam: WrapperBuilder = {
  name: 'gam',
  state: () => [],
  gradient: (_g, { params, lossAndGrad, hp }) => {
    const rho = numberHp(hp, 'rho');
    const beta1 = numberHp(hp, 'beta1');
    const beta3 = optionalNumberHp(hp, 'beta3') ?? 1 - beta1;
    const pass = (w: readonly Value[]): readonly Value[] => lossAndGrad(w, { updateBuffers: false }).grads;
    const first = lossAndGrad(params, { updateBuffers: true });
    const g0 = first.grads;
    const g1 = pass(perturb(params, ascent(g0, rho, EPS)));
    const d = g1.map((x, i) => sub(x, at(g0, i)));
    const w2 = perturb(params, ascent(d, numberHp(hp, 'grad_norm_rho'), EPS));
    const g2 = pass(w2);
    const g3 = pass(perturb(w2, ascent(g2, rho, EPS)));
    const p = g0.map((x, i) => add(x, mul(at(g2, i), Math.abs(numberHp(hp, 'beta2')))));
    const combined = g1.map((x, i) => add(mul(x, beta1), mul(at(g3, i), beta3)));
    return { loss: first.loss, grads: gamSurgery(p, combined, numberHp(hp, 'gamma')), state: [] };
  },
};

/** G − γ (p − c‖p‖ G/‖G‖): removes γ times the part of p orthogonal to G (exported for its oracle). */
export function gamSurgery(p: readonly Value[], G: readonly Value[], gamma: number): Value[] {
  const pNorm = globalNorm(p);
  const gNorm = globalNorm(G);
  const dot = p.map((x, i) => reduceSum(mul(x, at(G, i)), [], false)).reduce((a, b) => add(a, b));
  const c = div(dot, add(mul(pNorm, gNorm), EPS));
  const along = div(mul(c, pNorm), add(gNorm, EPS));
  return G.map((x, i) => sub(x, mul(sub(at(p, i), mul(x, along)), gamma)));
}


// SAM-ON (mueller-mp/SAM-ON): the SAM/ASAM ascent restricted to the normalization layers' affine
// parameters (infos with isNorm); every other parameter stays put for the second pass, and the
// second-pass gradient of every parameter goes to the base optimizer. T = |w| + η (elementwise) or
// ‖w‖ + η (layerwise, per tensor); norm biases use T = 1 unless normalize_bias. p = two:
// e = ρ T²⊙g/(‖T⊙g‖ + 1e-12) with the norm over the perturbed set; p = infinity: e = ρ T⊙sign(g).
// Without any norm parameter it falls back to the base optimizer alone (one pass).

import type { Value } from '../ir';
import { stopGradient } from '../model/stop-gradient';
import type { ParamInfo } from '../model/types';
import { abs, add, div, mul, sign } from '../ops';
import { SAM_EPS } from './ascent';
import { boolHp, numberHp, stringHp } from './hp';
import { at, globalNorm, norm } from './tensors';
import type { HyperParams, WrapperBuilder } from './types';

export const samOn: WrapperBuilder = {
  name: 'sam_on',
  state: () => [],
  gradient: (_g, { params, infos, lossAndGrad, hp }) => {
    const first = lossAndGrad(params, { updateBuffers: true });
    const e = samOnPerturbation(params, first.grads, infos, hp);
    if (e === undefined) return { loss: first.loss, grads: first.grads, state: [] };
    // The perturbation is a constant of the second pass, as in the official code (computed under
    // no_grad): without the stop, the gradient of every parameter left in place (not perturbed)
    // would also flow back through e into the first pass's gradients.
    const moved = params.map((w, i) => {
      const ei = e[i];
      return ei === undefined ? w : add(w, stopGradient(ei));
    });
    const second = lossAndGrad(moved, { updateBuffers: false });
    return { loss: first.loss, grads: second.grads, state: [] };
  },
};

/** Per tensor, the perturbation (undefined for non-norm parameters); undefined when there is no norm parameter. */
export function samOnPerturbation(params: readonly Value[], grads: readonly Value[], infos: readonly ParamInfo[], hp: HyperParams): (Value | undefined)[] | undefined {
  const rho = numberHp(hp, 'rho');
  const eta = numberHp(hp, 'eta');
  const elementwise = boolHp(hp, 'elementwise');
  const normalizeBias = boolHp(hp, 'normalize_bias');
  const p = stringHp(hp, 'p');
  const chosen = infos.map((info, i) => (info.isNorm ? i : -1)).filter((i) => i >= 0);
  if (chosen.length === 0) return undefined;
  const scaling = (i: number): Value | undefined => {
    const w = at(params, i);
    if (at(infos, i).role === 'norm_bias' && !normalizeBias) return undefined;
    return elementwise ? add(abs(w), eta) : add(norm(w), eta);
  };
  const t = new Map(chosen.map((i) => [i, scaling(i)]));
  const times = (x: Value, ti: Value | undefined): Value => (ti === undefined ? x : mul(x, ti));
  const result: (Value | undefined)[] = params.map(() => undefined);
  if (p === 'infinity') {
    for (const i of chosen) result[i] = mul(times(sign(at(grads, i)), t.get(i)), rho);
    return result;
  }
  const tg = new Map(chosen.map((i) => [i, times(at(grads, i), t.get(i))]));
  const first = at(grads, 0);
  const scale = div(first.graph.scalar(rho, first.dtype), add(globalNorm([...tg.values()]), SAM_EPS));
  for (const i of chosen) result[i] = mul(times(tg.get(i) ?? at(grads, i), t.get(i)), scale);
  return result;
}

// Adam and AdamW exactly as torch.optim.Adam / AdamW (1.13, single-tensor path): Adam couples the
// weight decay into the gradient, AdamW shrinks the weights by (1 − ηλ) first. AMSGrad keeps the
// running maximum of the raw second moment (as torch does, before bias correction).

import type { Value } from '../ir';
import { add, div, mul, sqrt, sub } from '../ops';
import type { ParamInfo } from '../model/types';
import { boolHp, numberHp } from './hp';
import { at, maximum } from './tensors';
import type { HostScalarInput } from './host-scalars';
import type { HyperParams, OptimizerBuilder, StateSpec, UpdateArgs, UpdateResult } from './types';

export const adam: OptimizerBuilder = { name: 'adam', state: adamState, update: (_g, args) => adamUpdate(args, 'coupled') };
export const adamw: OptimizerBuilder = { name: 'adamw', state: adamState, update: (_g, args) => adamUpdate(args, 'decoupled') };

function adamState(info: ParamInfo, hp: HyperParams): readonly StateSpec[] {
  const specs = [{ name: 'exp_avg', shape: info.shape }, { name: 'exp_avg_sq', shape: info.shape }];
  return boolHp(hp, 'amsgrad') ? [...specs, { name: 'max_exp_avg_sq', shape: info.shape }] : specs;
}

/** The bias corrections 1 − β₁ᵗ and √(1 − β₂ᵗ) for the 1-based step t, computed by the host in double as torch does. */
export function biasCorrections(hostScalar: HostScalarInput, beta1: number, beta2: number): { bc1: Value; bc2Sqrt: Value } {
  return { bc1: biasCorrection(hostScalar, beta1), bc2Sqrt: hostScalar(`bias_correction_sqrt_${beta2}`, (t) => Math.sqrt(1 - beta2 ** t)) };
}

/** 1 − βᵗ for the 1-based step t, computed by the host in double. */
export function biasCorrection(hostScalar: HostScalarInput, beta: number): Value {
  return hostScalar(`bias_correction_${beta}`, (t) => 1 - beta ** t);
}

/**
 * The scalars of Adam's step w ← w − scale·m/(√v + ε̂), with scale = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and
 * ε̂ = ε·√(1 − β₂ᵗ). NOTE: torch computes w − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε); this is the
 * same value to float rounding with one elementwise pass fewer per parameter, because the
 * division by √(1 − β₂ᵗ) moves into the two scalars (computed by the host in double).
 */
export function adamStepScalars(hostScalar: HostScalarInput, lr: Value, beta1: number, beta2: number, eps: number): { scale: Value; epsHat: Value } {
  return {
    scale: mul(lr, hostScalar(`adam_step_scale_${beta1}_${beta2}`, (t) => Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t))),
    epsHat: hostScalar(`adam_eps_${eps}_${beta2}`, (t) => eps * Math.sqrt(1 - beta2 ** t)),
  };
}

/** First and second moments after this step: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g². */
export function moments(m: Value, v: Value, g: Value, beta1: number, beta2: number): { m: Value; v: Value } {
  return { m: add(mul(m, beta1), mul(g, 1 - beta1)), v: add(mul(v, beta2), mul(mul(g, g), 1 - beta2)) };
}

function adamUpdate({ params, grads, state, lr, hostScalar, hp }: UpdateArgs, decay: 'coupled' | 'decoupled'): UpdateResult {
  const beta1 = numberHp(hp, 'beta1');
  const beta2 = numberHp(hp, 'beta2');
  const eps = numberHp(hp, 'eps');
  const wd = numberHp(hp, 'weight_decay');
  const amsgrad = boolHp(hp, 'amsgrad');
  const { scale, epsHat } = adamStepScalars(hostScalar, lr, beta1, beta2, eps);
  const out = params.map((w0, i) => {
    const s = at(state, i);
    let g = at(grads, i);
    let w = w0;
    if (wd !== 0 && decay === 'coupled') g = add(g, mul(w, wd));
    if (wd !== 0 && decay === 'decoupled') w = mul(w, sub(1, mul(lr, wd)));
    const { m, v } = moments(at(s, 0), at(s, 1), g, beta1, beta2);
    const vMax = amsgrad ? maximum(at(s, 2), v) : v;
    return { w: sub(w, mul(div(m, add(sqrt(vMax), epsHat)), scale)), s: amsgrad ? [m, v, vMax] : [m, v] };
  });
  return { params: out.map((o) => o.w), state: out.map((o) => o.s) };
}

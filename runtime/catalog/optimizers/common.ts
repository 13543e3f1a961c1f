// Parameter specs and rules shared by the optimizers.

import type { ParamSpec, ParamType, PlanValue, Rule } from '../schema';

/** Momentum and β coefficients live in [0, 1) (catalog convention: otherwise an error). */
export const momentumType: ParamType = { kind: 'number', min: 0, max: 1, maxExclusive: true };

const positive: ParamType = { kind: 'number', min: 0, minExclusive: true };
const nonNegative: ParamType = { kind: 'number', min: 0 };

export function lrParam(def: number): ParamSpec {
  return { name: 'lr', type: positive, default: def, positional: true, doc: 'Learning rate η (scaled by the schedule).' };
}

/** SGDP (like PyTorch SGD before 2.0) has no default learning rate: the recipe must choose one. */
export const requiredLrParam: ParamSpec = { name: 'lr', type: positive, required: true, positional: true, doc: 'Learning rate η (scaled by the schedule); required, as there is no default that suits every model.' };

export function betaParams(beta1: number, beta2: number): ParamSpec[] {
  return [
    { name: 'beta1', type: momentumType, default: beta1, doc: 'Decay rate β₁ of the first-moment (momentum) average.' },
    { name: 'beta2', type: momentumType, default: beta2, doc: 'Decay rate β₂ of the second-moment (squared gradient) average.' },
  ];
}

export function epsParam(def: number): ParamSpec {
  return { name: 'eps', type: nonNegative, default: def, doc: 'Term ε added to the denominator for numerical stability.' };
}

export function weightDecayParam(def: number, how: 'coupled' | 'decoupled'): ParamSpec {
  const doc = how === 'coupled' ? 'L2 penalty λ added to the gradient (coupled weight decay).' : 'Decoupled weight decay λ: weights shrink by the factor (1 − ηλ) each step, independently of the gradient.';
  return { name: 'weight_decay', type: nonNegative, default: def, doc };
}

export const nesterovParam = (def: boolean): ParamSpec => ({ name: 'nesterov', type: { kind: 'bool' }, default: def, doc: 'Use Nesterov momentum (the look-ahead of the momentum buffer).' });

/** The AdamP/SGDP projection parameters δ and wd_ratio (A10). */
export const projectionParams: readonly ParamSpec[] = [
  { name: 'delta', type: nonNegative, default: 0.1, doc: 'Threshold δ of the scale-invariance test: project when max |cos(g, w)| < δ/√(row length); δ = 0 never projects.' },
  { name: 'wd_ratio', type: nonNegative, default: 0.1, doc: 'Factor applied to the weight decay of tensors whose update was projected.' },
];

/** A10 validation: δ > 1 makes the projection fire almost always; wd_ratio outside [0, 1] is unusual. */
export const projectionRules: readonly Rule[] = [
  { severity: 'warning', param: 'delta', message: 'delta > 1 makes the projection fire on almost every step (the paper uses 0.1)', when: (a) => over(a['delta'], 1) },
  { severity: 'warning', param: 'wd_ratio', message: 'wd_ratio > 1 increases weight decay on projected (scale-invariant) weights; it is meant to lie in [0, 1]', when: (a) => over(a['wd_ratio'], 1) },
];

/**
 * Decoupled decay multiplies the weights by (1 − ηλ·k) each step; when that factor is negative the
 * weights flip sign every step (catalog convention: ηλ > 1 is an error).
 */
export function decoupledDecayRule(factor: (a: Readonly<Record<string, PlanValue>>) => number = () => 1, what = 'lr · weight_decay'): Rule {
  return {
    severity: 'error',
    param: 'weight_decay',
    message: `${what} > 1: the decay factor (1 − ${what}) is negative, so weights would flip sign every step`,
    when: (a) => {
      const lr = a['lr'];
      const wd = a['weight_decay'];
      return typeof lr === 'number' && typeof wd === 'number' && lr * wd * factor(a) > 1;
    },
  };
}

export function over(v: PlanValue | undefined, limit: number): boolean {
  return typeof v === 'number' && v > limit;
}

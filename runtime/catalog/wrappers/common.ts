// Parameter specs and rules shared by the sharpness-aware wrappers.

import type { ParamSpec, Rule } from '../schema';

export const baseParam: ParamSpec = {
  name: 'base',
  type: { kind: 'technique', of: ['optimizer'] },
  required: true,
  doc: 'The base optimizer that takes the sharpness-aware gradient, e.g. `base: sgd(lr: 0.1, momentum: 0.9)`.',
};

/** ρ = 0 is a no-op at twice the cost; a large ρ is unusual for plain SAM. */
export function rhoRules(opts: { unusualAbove?: number; param?: string } = {}): Rule[] {
  const p = opts.param ?? 'rho';
  const rules: Rule[] = [{ severity: 'warning', param: p, message: `${p} = 0 makes the wrapper a no-op at twice the cost of its base optimizer`, when: (a) => a[p] === 0 }];
  const above = opts.unusualAbove;
  if (above !== undefined) rules.push({ severity: 'warning', param: p, message: `${p} > ${above} is unusual for this wrapper`, when: (a) => typeof a[p] === 'number' && a[p] > above });
  return rules;
}

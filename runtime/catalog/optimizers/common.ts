// Parameter specs shared by the optimizers.

import type { ParamSpec, ParamType } from '../schema';

/** Momentum and β coefficients live in [0, 1) (catalog convention: otherwise an error). */
export const momentumType: ParamType = { kind: 'number', min: 0, max: 1, maxExclusive: true };

export function lrParam(def: number): ParamSpec {
  return { name: 'lr', type: { kind: 'number', min: 0, minExclusive: true }, default: def, positional: true, doc: 'Learning rate η (scaled by the schedule).' };
}

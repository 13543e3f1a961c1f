// Parameter specs shared by the activation normalizations.

import type { ParamSpec } from '../schema';

export const epsParam: ParamSpec = { name: 'eps', type: { kind: 'number', min: 0, minExclusive: true }, default: 1e-5, doc: 'Term ε added to the variance before the square root.' };

export const affineParam: ParamSpec = { name: 'affine', type: { kind: 'bool' }, default: true, doc: 'Learn a per-feature scale γ (init 1) and shift β (init 0); these are the parameters SAM-ON perturbs.' };

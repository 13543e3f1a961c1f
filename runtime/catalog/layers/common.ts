// Parameters shared by the weighted layers.

import type { ParamSpec, PlanValue } from '../schema';
import { techniqueName } from '../values';

export const activationParam: ParamSpec = {
  name: 'act',
  type: { kind: 'technique', of: ['activation'] },
  default: { kind: 'technique', name: 'identity', entryKind: 'activation', args: {} },
  doc: 'Activation applied after the layer (and its normalization).',
};

export const normParam: ParamSpec = {
  name: 'norm',
  type: { kind: 'technique', of: ['norm'] },
  default: { kind: 'technique', name: 'none', entryKind: 'norm', args: {} },
  doc: 'Normalization: `layer` or `batch` normalize activations (with affine γ, β); `weight` and `spectral` reparametrize the weight.',
};

/** True when the layer's `norm` argument adds normalization affine parameters (what SAM-ON perturbs). */
export function hasAffineNorm(args: Readonly<Record<string, PlanValue>>): boolean {
  const norm = techniqueName(args['norm']);
  return norm === 'layer' || norm === 'batch';
}

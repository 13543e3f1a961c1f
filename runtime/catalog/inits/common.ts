// Parameter specs shared by the initializers.

import type { ParamSpec } from '../schema';

export function distributionParam(def: 'normal' | 'uniform'): ParamSpec {
  return {
    name: 'distribution',
    type: { kind: 'enum', members: [
      { name: 'normal', doc: 'Zero-mean Gaussian with the target standard deviation.' },
      { name: 'uniform', doc: 'Uniform on [−a, a] with a = √3 × the target standard deviation.' },
    ] },
    default: def,
    doc: 'Shape of the distribution the weights are drawn from; both have the same variance.',
  };
}

export const gainParam: ParamSpec = { name: 'gain', type: { kind: 'number', min: 0, minExclusive: true }, default: 1, doc: 'Scale applied to the standard deviation (PyTorch `calculate_gain`: 1 for identity/sigmoid, 5/3 for tanh, √2 for relu).' };

// The catalog's activations (runtime/catalog/activations), applied after a layer and its norm.

import { gelu } from '../ops/derived';
import { relu, sigmoid, tanh } from '../ops/unary';
import type { Value } from '../ir';
import type { TechniqueArgs } from './recipe';

export function activate(x: Value, act: TechniqueArgs | undefined): Value {
  const name = act?.name ?? 'identity';
  switch (name) {
    case 'identity':
      return x;
    case 'relu':
      return relu(x);
    case 'gelu':
      // Exact erf form, PyTorch's default (approximate='none').
      return gelu(x);
    case 'tanh':
      return tanh(x);
    case 'sigmoid':
      return sigmoid(x);
    default:
      throw new Error(`model: unknown activation ${name}`);
  }
}

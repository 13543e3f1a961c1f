// Derived ops: built only from other ops, so they have no backward rule of their own and their
// gradients (and ONNX emission) come for free.

import type { Value } from '../ir';
import { add, mul, sub } from './binary';
import { cast } from './compare';
import { matmul } from './matmul';
import { reduceMean, reduceSum } from './reduce';
import { erf } from './unary';

/** Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (Hendrycks & Gimpel 2016). */
export function gelu(x: Value): Value {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/**
 * Inverted dropout with an explicit bool mask (true = keep), fed by the engine from the recipe's
 * seeded generator so runs reproduce: x·mask/(1 − ratio), as ONNX Dropout computes in training.
 */
export function dropout(x: Value, mask: Value, ratio: number): Value {
  if (mask.dtype !== 'bool') throw new Error(`dropout: mask must be bool, got ${mask.dtype}`);
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`dropout: ratio ${ratio} must be in [0, 1)`);
  return mul(x, mul(cast(mask, x.dtype), 1 / (1 - ratio)));
}

/** Dense layer: x·W + b. */
export function linear(x: Value, w: Value, b?: Value): Value {
  const y = matmul(x, w);
  return b ? add(y, b) : y;
}

/** Mean squared error over all elements. */
export function meanSquaredError(prediction: Value, target: Value): Value {
  const d = sub(prediction, target);
  return reduceMean(mul(d, d), [], false);
}

/** Mean of all elements as a scalar. */
export function mean(x: Value): Value {
  return reduceMean(x, [], false);
}

/** Sum of all elements as a scalar. */
export function sum(x: Value): Value {
  return reduceSum(x, [], false);
}

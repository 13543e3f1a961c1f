// Graph helpers shared by the optimizers and wrappers: norms over one or many tensors, elementwise
// maximum, and the "row view" used by AdamP's projection and Muon (dim 0 = output channel, the
// PyTorch layout [out, in, …]).

import type { Value } from '../ir';
import { add, greater, mul, reduceSum, reduceSumSquare, sqrt, where } from '../ops';

/** Σ x² over all elements, as a scalar []. */
export function sumOfSquares(x: Value): Value {
  return reduceSum(mul(x, x), [], false);
}

/** ‖x‖₂ over all elements, as a scalar []. */
export function norm(x: Value): Value {
  return sqrt(sumOfSquares(x));
}

/**
 * The ℓ2 norm of the concatenation of all `xs` (SAM's joint gradient norm), as a scalar []: one
 * ReduceSumSquare per tensor (one kernel where Mul + ReduceSum are two). The train step reports
 * the same expression for the gradient norm, so that the two merge (compiler/optimize).
 */
export function globalNorm(xs: readonly Value[]): Value {
  const first = xs[0];
  if (first === undefined) throw new Error('globalNorm: no tensors');
  const squares = (x: Value): Value => reduceSumSquare(x, [], false);
  return sqrt(xs.slice(1).reduce((acc, x) => add(acc, squares(x)), squares(first)));
}

/** Elementwise max(a, b) (torch.maximum), built from Greater and Where. */
export function maximum(a: Value, b: Value): Value {
  return where(greater(a, b), a, b);
}

/** [rows, rest]: the shape of a tensor viewed with its first dim as rows (a conv kernel as [out, in·kh·kw]). */
export function rowViewShape(shape: readonly (number | string)[]): [number, number] {
  const dims = shape.map((d) => {
    if (typeof d !== 'number') throw new Error('optimizer: parameters have static shapes');
    return d;
  });
  const rows = dims[0] ?? 1;
  return [rows, dims.slice(1).reduce((a, b) => a * b, 1)];
}

/** Entry i of a list the builder itself laid out; a missing one is a bug. */
export function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`optimizer: missing entry ${i}`);
  return x;
}

// Muon's quintic Newton–Schulz iteration (KellerJordan/Muon `zeropower_via_newtonschulz5`), which
// maps a matrix G = UΣVᵀ to approximately UVᵀ (singular values pushed into about [0.7, 1.2]).
// NOTE: the reference runs it in bfloat16; here it runs in the graph's dtype (float64 in the
// interpreter, float32 on onnxruntime), which is closer to the exact orthogonalization.

import type { Value } from '../ir';
import { add, div, matmul, mul, transpose } from '../ops';
import { norm } from './tensors';

export const NS_COEFFICIENTS = { a: 3.4445, b: -4.775, c: 2.0315 } as const;

/** NS(G) for a 2-D G, transposing first when rows > cols so that XXᵀ is the smaller Gram matrix. */
export function newtonSchulz(gMatrix: Value, steps: number): Value {
  const [rows, cols] = gMatrix.shape;
  if (typeof rows !== 'number' || typeof cols !== 'number' || gMatrix.shape.length !== 2) throw new Error('newtonSchulz: needs a static 2-D matrix');
  const tall = rows > cols;
  const { a, b, c } = NS_COEFFICIENTS;
  let x = tall ? transpose(gMatrix) : gMatrix;
  x = div(x, add(norm(x), 1e-7));
  for (let k = 0; k < steps; k++) {
    const gram = matmul(x, transpose(x));
    // B = b·A + (c·A)@A, in the reference's evaluation order.
    const poly = add(mul(gram, b), matmul(mul(gram, c), gram));
    x = add(mul(x, a), matmul(poly, x));
  }
  return tall ? transpose(x) : x;
}

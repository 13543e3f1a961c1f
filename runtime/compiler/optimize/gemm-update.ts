// W − s·Gemm(A, B) (or W − Gemm(A, B)·s) becomes Gemm(s·A, B, C = W, α = −1, β = 1), or the same
// with s·B: the GEMM writes the updated weight where the plain form writes the product, then reads
// it back twice (the Mul by s, the Sub from W). Plain SGD's update w − lr·g, with g a weight
// gradient from a dense layer's Gemm, is this pattern. s is the run-time learning rate, a scalar
// graph input, so it cannot become Gemm's α (an attribute); it scales the operand with fewer
// elements instead. Applies only when the product and its scaled copy have no other reader, the
// Gemm has no C and α = 1, s is a scalar of the same dtype, and W already has the result's shape.
// Equal up to rounding: (s·A)·B is not bit for bit s·(A·B).

import type { Dim, Node, Value } from '../ir';
import { Mul, Sub, mul } from '../ops/binary';
import { Gemm, gemm } from '../ops/matmul';
import { sameShape } from '../shape';
import type { Rule, RuleContext } from './rule';
import { producer } from './rule';

export const gemmUpdate: Rule = {
  name: 'gemm-update',
  apply: (ctx) => {
    if (ctx.node.op !== Sub) return undefined;
    const [w, scaled] = ctx.inputs;
    const out = ctx.node.outputs[0];
    if (w === undefined || scaled === undefined || out === undefined) return undefined;
    if (!sameShape(w.shape, out.shape) || w.dtype !== out.dtype) return undefined;
    const m = producer(scaled);
    if (m === undefined || m.op !== Mul || ctx.uses(scaled) !== 1) return undefined;
    const [p, q] = m.inputs;
    if (p === undefined || q === undefined) return undefined;
    return fold(ctx, w, p, q) ?? fold(ctx, w, q, p);
  },
};

function fold({ uses }: RuleContext, w: Value, product: Value, s: Value): readonly Value[] | undefined {
  const g = producer(product);
  if (g === undefined || !plainGemm(g) || uses(product) !== 1) return undefined;
  if (s.shape.length !== 0 || s.dtype !== w.dtype || !sameShape(product.shape, w.shape)) return undefined;
  const [a, b] = g.inputs;
  if (a === undefined || b === undefined) return undefined;
  const transA = g.attrs['transA'] === 1;
  const transB = g.attrs['transB'] === 1;
  const options = { alpha: -1, beta: 1, transA, transB };
  return [smaller(a.shape, b.shape) ? gemm(mul(a, s), b, options, w) : gemm(a, mul(b, s), options, w)];
}

/** A Gemm without C whose α is 1: its output is exactly op(A)·op(B). */
function plainGemm(n: Node): boolean {
  const alpha = n.attrs['alpha'];
  return n.op === Gemm && n.inputs.length === 2 && (alpha === undefined || alpha === 1);
}

/**
 * Whether a shape has fewer elements than b, from its static dims: a weight gradient's operands
 * (Gemm(dY, X, transA) over the batch) share their symbolic dims, which then cancel. Where the
 * symbolic dims differ, the shape with fewer of them counts as smaller.
 */
export function smaller(a: readonly Dim[], b: readonly Dim[]): boolean {
  const symbolic = (s: readonly Dim[]): string => s.filter((d): d is string => typeof d === 'string').sort().join('×');
  const statics = (s: readonly Dim[]): number => s.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  const [sa, sb] = [symbolic(a), symbolic(b)];
  if (sa === sb) return statics(a) <= statics(b);
  const count = (s: readonly Dim[]): number => s.filter((d) => typeof d === 'string').length;
  return count(a) !== count(b) ? count(a) < count(b) : statics(a) <= statics(b);
}

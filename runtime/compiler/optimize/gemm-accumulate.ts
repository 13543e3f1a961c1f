// Gemm(A, B) + β·Y (or + Y) becomes Gemm(A, B, C = Y, β): the GEMM adds the accumulator as it
// writes its result, where the plain form writes the product, then reads it back with β·Y in two
// more passes. Applies only when the product (and β·Y) have no other reader, β is a constant
// scalar (ONNX's beta is an attribute) and Y already has the result's shape. SGD's momentum
// buffer μ·buf + g, with g a weight gradient from a dense layer's Gemm, is this pattern.

import type { Value } from '../ir';
import { Add, Mul } from '../ops/binary';
import { Gemm, gemm } from '../ops/matmul';
import { sameShape } from '../shape';
import type { Rule, RuleContext } from './rule';
import { producer } from './rule';

export const gemmAccumulate: Rule = {
  name: 'gemm-accumulate',
  apply: (ctx) => {
    if (ctx.node.op !== Add) return undefined;
    const [a, b] = ctx.inputs;
    if (a === undefined || b === undefined) return undefined;
    return fold(ctx, a, b) ?? fold(ctx, b, a);
  },
};

function fold({ node, uses }: RuleContext, product: Value, other: Value): readonly Value[] | undefined {
  const g = producer(product);
  const out = node.outputs[0];
  if (g === undefined || g.op !== Gemm || g.inputs.length !== 2 || uses(product) !== 1 || out === undefined) return undefined;
  if (!sameShape(product.shape, out.shape)) return undefined;
  const [a, b] = g.inputs;
  if (a === undefined || b === undefined) return undefined;
  const fits = (c: { y: Value; beta: number }): boolean => sameShape(c.y.shape, out.shape) && c.y.dtype === out.dtype;
  const accumulator = [scaled(other, uses), { y: other, beta: 1 }].find(fits);
  if (accumulator === undefined) return undefined;
  const { y, beta } = accumulator;
  const attr = (k: string): number => (typeof g.attrs[k] === 'number' ? (g.attrs[k] as number) : k === 'alpha' ? 1 : 0);
  return [gemm(a, b, { alpha: attr('alpha'), beta, transA: attr('transA') !== 0, transB: attr('transB') !== 0 }, y)];
}

/** Y and β for β·Y (a Mul by a constant scalar with no other reader), else the value itself with β = 1. */
function scaled(v: Value, uses: (v: Value) => number): { y: Value; beta: number } {
  const m = producer(v);
  if (m === undefined || m.op !== Mul || uses(v) !== 1) return { y: v, beta: 1 };
  const [p, q] = m.inputs;
  if (p === undefined || q === undefined) return { y: v, beta: 1 };
  const c = scalarConstant(q) ?? scalarConstant(p);
  if (c === undefined) return { y: v, beta: 1 };
  return { y: scalarConstant(q) !== undefined ? p : q, beta: c };
}

function scalarConstant(v: Value): number | undefined {
  if (v.source.kind !== 'constant' || v.source.tensor.data.length !== 1 || v.shape.length !== 0) return undefined;
  return v.source.tensor.data[0];
}

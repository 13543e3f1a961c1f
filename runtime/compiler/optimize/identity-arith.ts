// x·1, 1·x and x/1 become x, and x + 0, 0 + x and x − 0 become x, where the constant is a scalar (or
// all ones / zeros) and the result has x's shape and dtype: each was a full pass over x. Builders
// write such terms where a hyper-parameter makes them trivial, e.g. SGD's (1 − dampening)·g with
// the default dampening 0. Exact, except that −0 + 0 is +0 and stays −0 here.

import type { Value } from '../ir';
import { Add, Div, Mul, Sub } from '../ops/binary';
import { sameShape } from '../shape';
import type { Rule } from './rule';

export const identityArith: Rule = {
  name: 'identity-arith',
  apply: ({ node, inputs }) => {
    const [a, b] = inputs;
    const out = node.outputs[0];
    if (a === undefined || b === undefined || out === undefined) return undefined;
    const keeps = (x: Value): boolean => sameShape(x.shape, out.shape) && x.dtype === out.dtype;
    if (node.op === Mul) {
      if (isConstant(b, 1) && keeps(a)) return [a];
      if (isConstant(a, 1) && keeps(b)) return [b];
    }
    if (node.op === Div && isConstant(b, 1) && keeps(a)) return [a];
    if (node.op === Add) {
      if (isConstant(b, 0) && keeps(a)) return [a];
      if (isConstant(a, 0) && keeps(b)) return [b];
    }
    if (node.op === Sub && isConstant(b, 0) && keeps(a)) return [a];
    return undefined;
  },
};

/** Whether v is a constant whose every entry is `c`. */
function isConstant(v: Value, c: number): boolean {
  if (v.source.kind !== 'constant') return false;
  const data = v.source.tensor.data;
  for (let i = 0; i < data.length; i++) if (data[i] !== c) return false;
  return data.length > 0;
}

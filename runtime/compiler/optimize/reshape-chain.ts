// Reshape(Reshape(x)) becomes one Reshape of x, and a Reshape to the shape x already has becomes x:
// a Reshape copies its input on onnxruntime's CPU provider, so each one removed is a copy and a
// node fewer (the gradients of layout-changing forms, e.g. a bias summed to [N] then viewed as
// [C, P], produce such chains). The inner Reshape stays where something else reads it.

import { Flatten, Reshape, reshape } from '../ops/reshape';
import { reshapeTarget, sameShape } from '../shape';
import type { Rule } from './rule';
import { producer } from './rule';

export const reshapeChain: Rule = {
  name: 'reshape-chain',
  apply: ({ node, inputs }) => {
    if (node.op !== Reshape) return undefined;
    const [x] = inputs;
    const out = node.outputs[0];
    if (x === undefined || out === undefined) return undefined;
    if (sameShape(x.shape, out.shape)) return [x];
    const inner = producer(x);
    const source = inner !== undefined && (inner.op === Reshape || inner.op === Flatten) ? inner.inputs[0] : undefined;
    if (source === undefined) return undefined;
    if (sameShape(source.shape, out.shape)) return [source];
    // The target is written from the output's shape (0 would copy a dim of the wrong input).
    const target = reshapeTarget(out.shape);
    if (target === undefined) return undefined;
    const rebuilt = reshape(source, target);
    return sameShape(rebuilt.shape, out.shape) ? [rebuilt] : undefined;
  },
};

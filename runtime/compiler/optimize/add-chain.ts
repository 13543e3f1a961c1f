// A left-nested chain of Adds, ((a + b) + c) + d, becomes one Sum(a, b, c, d): one kernel instead of
// one per operand. Sum adds left to right, so the value is the same to the last bit. The gradient
// norm's Σ‖gᵢ‖² over every parameter is such a chain (step/train-step.ts), as is the L2 term.

import { Add } from '../ops/binary';
import { Sum } from '../ops/sum';
import type { Rule } from './rule';
import { producer } from './rule';

export const addChain: Rule = {
  name: 'add-chain',
  apply: ({ node, inputs, uses }) => {
    if (node.op !== Add) return undefined;
    const [left, right] = inputs;
    if (left === undefined || right === undefined) return undefined;
    const inner = producer(left);
    if (inner === undefined || (inner.op !== Add && inner.op !== Sum) || uses(left) !== 1) return undefined;
    return left.graph.apply(Sum, [...inner.inputs, right]);
  },
};

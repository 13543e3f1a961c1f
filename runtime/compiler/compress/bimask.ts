// Bi-Mask's backward mask in the train-step graph (catalog A44; zyxxmu/Bi-Mask
// CnnModels/utils/conv_type.py, MyConv2d_Lay). The official layer computes
//   forward  y = x·(W⊙m_f)ᵀ,   backward  g_W = gᵀx + λ(1 − m_f)⊙W,   g_x = g·(W⊙m_b).
// The forward and g_W are the masked weight with keep = 1 and SR-STE's decay (masked-weight.ts).
// For g_x, the dense layer's output passes through `inputGradient`: the identity in the forward
// pass whose backward adds −g·(W⊙(m_f − m_b)) to x's gradient, so x receives
// g·(W⊙m_f) − g·(W⊙(m_f − m_b)) = g·(W⊙m_b). The layer finds the correction through the weight
// Value it is given (a WeakMap keyed by that Value, as conv.ts records its forms), so a model
// without Bi-Mask builds exactly the graph it did before.

import type { GraphBuilder } from '../builder';
import { type DType, type OpDef, type Value, shapeError } from '../ir';
import { mul, sub } from '../ops/binary';
import { matmul } from '../ops/matmul';
import { neg } from '../ops/unary';
import { stopGradient } from '../model/stop-gradient';

/** Graph input name of a parameter's backward mask m_b. */
export function backwardMaskInputName(param: string): string {
  return `${param}.prune_backward`;
}

export function backwardMaskInput(g: GraphBuilder, param: string, shape: readonly number[], dtype: DType): Value {
  return g.input(backwardMaskInputName(param), shape, dtype);
}

/** Makes `seen` (the masked weight a dense layer receives) send g·(W⊙m_b) to the layer's input. */
export function withBackwardMask(seen: Value, w: Value, forwardMask: Value, backwardMask: Value): Value {
  CORRECTIONS.set(seen, stopGradient(mul(w, sub(forwardMask, backwardMask))));
  return seen;
}

/**
 * A dense layer's output y = x·Wᵀ (+ b) for the weight Value `w` it used: unchanged when `w`
 * carries no backward mask; else y through the op that corrects x's gradient.
 */
export function inputGradient(y: Value, x: Value, w: Value): Value {
  const d = CORRECTIONS.get(w);
  if (!d || x.shape.length !== 2) return y;
  return y.graph.apply1(BackwardMaskCorrection, [y, x, d]);
}

// NOTE: keyed by graph Values, which belong to one graph build; entries go with the graph.
const CORRECTIONS = new WeakMap<Value, Value>();

/** Identity on y; its backward passes g to y and adds −g·D to x (D = W⊙(m_f − m_b), [out, in]). */
const BackwardMaskCorrection: OpDef = {
  name: 'Identity',
  attrTypes: {},
  inferShape: ([y, x, d]) => (y === undefined || x === undefined || d === undefined ? shapeError('BackwardMaskCorrection', 'needs (y, x, D)') : [{ shape: y.shape, dtype: y.dtype }]),
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [, x, d] = node.inputs;
    if (g === undefined || x === undefined || d === undefined) return [undefined, undefined, undefined];
    return [g, needs[1] ? neg(matmul(g, d)) : undefined, undefined];
  },
  evaluate: ([y]) => {
    if (y === undefined) throw new Error('BackwardMaskCorrection: missing input');
    return [y];
  },
  emitOnnx: (e) => e.node('Identity', [e.input(0)], [e.output(0)]),
};

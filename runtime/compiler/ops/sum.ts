// Sum: the elementwise sum of two or more tensors (ONNX Sum, numpy broadcasting), one kernel where a
// chain of Adds is one per operand. Evaluated left to right, as the chain of Adds it replaces is
// (optimize/add-chain.ts), so the two agree to the last bit in the reference interpreter.

import { type OpDef, type Value, shapeError } from '../ir';
import { broadcastShapes, showShape } from '../shape';
import { mapBroadcast } from '../tensor';
import { first } from './binary';
import { sumToShape } from './expand';

export const Sum: OpDef = {
  name: 'Sum',
  attrTypes: {},
  inferShape: (ins) => {
    const head = ins[0];
    if (head === undefined || ins.length < 2) return shapeError('Sum', 'needs two or more inputs');
    if (head.dtype === 'bool') return shapeError('Sum', 'bool operands are not supported');
    let shape = head.shape;
    for (const x of ins.slice(1)) {
      if (x.dtype !== head.dtype) return shapeError('Sum', `dtypes differ: ${head.dtype} and ${x.dtype} ${showShape(x.shape)}`);
      const s = broadcastShapes(shape, x.shape);
      if (typeof s === 'string') return shapeError('Sum', s);
      shape = s;
    }
    return [{ shape, dtype: head.dtype }];
  },
  // Each operand receives the output's gradient, summed back over the axes it was broadcast along.
  backward: ({ node, gradOutputs: [g], needs }) => node.inputs.map((x, i) => (needs[i] && g ? sumToShape(g, x.shape) : undefined)),
  // Where the target has no Sum kernel (onnxruntime's WebGPU EP), the chain of Adds it stands for.
  emitOnnx: (e, node) => {
    if (!e.avoids('Sum')) return e.asIs(node);
    let acc = e.input(0);
    for (let i = 1; i < node.inputs.length; i++) {
      const out = i === node.inputs.length - 1 ? e.output(0) : e.temp(`partial_${i}`);
      e.node('Add', [acc, e.input(i)], [out]);
      acc = out;
    }
  },
  evaluate: (ins) => [mapBroadcast(ins, first(ins).dtype, (xs) => xs.reduce((acc, x) => acc + x))],
};

/** x₀ + x₁ + … as one node (one operand: itself). */
export function sumOf(xs: readonly Value[]): Value {
  const head = first(xs);
  return xs.length === 1 ? head : head.graph.apply1(Sum, xs);
}

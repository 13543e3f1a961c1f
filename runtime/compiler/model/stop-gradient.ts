// StopGradient: the identity in the forward pass, and no gradient flows back through it.
// NOTE: the IR has no stop-gradient op yet, so this OpDef lives here. It is ONNX `Identity`: the
// gradient graph is built by our own `grad`, which skips this node ('non-differentiable'), so the
// emitted forward op is exactly Identity. It belongs in runtime/compiler/ops (and OPS) once the op
// registry is opened for it; quantization's straight-through estimator needs the same op.

import { type OpDef, type Value, shapeError } from '../ir';

export const StopGradient: OpDef = {
  name: 'Identity',
  attrTypes: {},
  inferShape: ([x]) => (x === undefined ? shapeError('Identity', 'needs one input') : [{ shape: x.shape, dtype: x.dtype }]),
  backward: 'non-differentiable',
  evaluate: ([x]) => {
    if (x === undefined) throw new Error('Identity: missing input');
    return [x];
  },
  emitOnnx: (e) => e.node('Identity', [e.input(0)], [e.output(0)]),
};

export function stopGradient(x: Value): Value {
  return x.graph.apply1(StopGradient, [x]);
}

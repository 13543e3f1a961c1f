// OnlineNormControl (our own op, not ONNX): online normalization's backward control process
// (catalog A28, Cerebras/online-normalization online-norm-1d.py) attached to a forward value.
// Forward: the identity on (y, u, v). Backward: NOT the derivative of the forward statistics but,
// sample by sample in batch order, per feature, with y_t the normalized output and s_t its scale:
//   g' = g_t − (1 − α_b)·v·y_t;  v ← v + g'·y_t;  g' ← g'/s_t;  dx_t = g' − (1 − α_b)·u;  u ← u + dx_t.
// Both state updates are linear recurrences over the batch (LinearScan):
//   v_t = (1 − (1 − α_b)·y_t²)·v_{t−1} + g_t·y_t,  u_t = α_b·u_{t−1} + g'_t/s_t.
// The new u and v exist only in the gradient graph; the rule records them for the node's u and v
// outputs, and the train step reads them through `backwardState` as those buffers' next values
// (without a backward pass, as in evaluation, the outputs are the unchanged inputs).

import { type OpDef, type Value, shapeError } from '../ir';
import { div, mul, sub } from './binary';
import { expand } from './expand';
import { linearScan, quadraticScan } from './linear-scan';

const UPDATES = new WeakMap<Value, Value>();

/** The value a backward rule computed for the state output `v`, or `v` itself when there is none. */
export function backwardState(v: Value): Value {
  return UPDATES.get(v) ?? v;
}

export const OnlineNormControl: OpDef = {
  name: 'OnlineNormControl',
  attrTypes: { alpha_bkw: 'float' },
  inferShape: ([x, y, scale, u, v]) => {
    if (x === undefined || y === undefined || scale === undefined || u === undefined || v === undefined) return shapeError('OnlineNormControl', 'needs (x, y, scale, u, v)');
    return [{ shape: y.shape, dtype: y.dtype }, { shape: u.shape, dtype: u.dtype }, { shape: v.shape, dtype: v.dtype }];
  },
  backward: ({ node, gradOutputs: [g], needs }) => {
    const [, y, scale, u0, v0] = node.inputs as [Value, Value, Value, Value, Value];
    if (g === undefined || !needs[0]) return node.inputs.map(() => undefined);
    const alpha = typeof node.attrs['alpha_bkw'] === 'number' ? node.attrs['alpha_bkw'] : 0.99;
    const k = 1 - alpha;
    const v = quadraticScan(y, g, v0, k);
    const corrected = div(sub(g, mul(mul(v.prev, y), k)), scale);
    const u = linearScan(expand(y.graph.scalar(alpha, y.dtype), y), corrected, u0);
    const dx = sub(corrected, mul(u.prev, k));
    const [, uOut, vOut] = node.outputs as [Value, Value, Value];
    UPDATES.set(uOut, u.last);
    UPDATES.set(vOut, v.last);
    return [dx, undefined, undefined, undefined, undefined];
  },
  evaluate: ([, y, , u, v]) => {
    if (y === undefined || u === undefined || v === undefined) throw new Error('OnlineNormControl: needs five inputs');
    return [y, u, v];
  },
  emitOnnx: (e) => {
    ([[1, 0], [3, 1], [4, 2]] as const).forEach(([input, output]) => e.node('Identity', [e.input(input)], [e.output(output)]));
  },
};

/**
 * y (computed from x by the caller, with no gradient of its own) with the control process as its
 * backward into x; `u`, `v` are the control buffers [F]. Returns y and the buffers' pass-through
 * values, whose next values `backwardState` gives once the gradient graph is built.
 */
export function onlineNormControl(x: Value, y: Value, scale: Value, u: Value, v: Value, alphaBkw: number): { y: Value; u: Value; v: Value } {
  const [yo, uo, vo] = x.graph.apply(OnlineNormControl, [x, y, scale, u, v], { alpha_bkw: alphaBkw }, 3);
  if (yo === undefined || uo === undefined || vo === undefined) throw new Error('OnlineNormControl: no outputs');
  return { y: yo, u: uo, v: vo };
}

// LinearScan (our own op, not ONNX): the first-order linear recurrence along the batch axis
//   h_t = a_t ⊙ h_{t−1} + b_t,  t = 0 … B−1,  h_{−1} = h0,
// for a, b of shape [B, F] and h0 of shape [F]. Outputs: `prev` [B, F] (h_{t−1}, the state each
// sample sees) and `last` [F] (h_{B−1}, the state after the batch). Online normalization's
// statistics and its backward control process are such recurrences over the samples of a batch
// (catalog A28), with a symbolic batch size.
// NOTE: ONNX has no scan without a subgraph (Scan/Loop need graph attributes, which the emitter
// does not write), so the op is emitted as a Hillis–Steele prefix scan of the affine maps
// (a, b): SCAN_LEVELS doublings d = 1, 2, 4, …, each a shift by d rows (Pad at the top with the
// identity map, then Slice to −d, both valid for a runtime batch size). It covers batches of up to
// 2^SCAN_LEVELS = 65,536 samples; a larger batch would see only the last 65,536 samples' maps.
// The op has no backward rule: it is used only where no gradient flows through it (online
// normalization's statistics and its hand-written backward), and `grad` fails by name otherwise.

import { type OpDef, type Value, shapeError } from '../ir';
import { showShape } from '../shape';
import { type Tensor, at } from '../tensor';

export const SCAN_LEVELS = 16;
/** The largest batch the emitted prefix scan is exact for. */
export const SCAN_MAX_BATCH = 2 ** SCAN_LEVELS;

export const LinearScan: OpDef = {
  name: 'LinearScan',
  attrTypes: {},
  inferShape: ([a, b, h0]) => {
    if (a === undefined || b === undefined || h0 === undefined) return shapeError('LinearScan', 'needs (a, b, h0)');
    const same = a.shape.length === 2 && b.shape.length === 2 && a.shape.every((d, i) => d === b.shape[i]);
    if (!same || h0.shape.length !== 1 || h0.shape[0] !== a.shape[1]) {
      return shapeError('LinearScan', `a ${showShape(a.shape)}, b ${showShape(b.shape)} must be [B, F] and h0 ${showShape(h0.shape)} [F]`);
    }
    return [{ shape: a.shape, dtype: a.dtype }, { shape: h0.shape, dtype: a.dtype }];
  },
  evaluate: ([a, b, h0]) => {
    if (a === undefined || b === undefined || h0 === undefined) throw new Error('LinearScan: needs three inputs');
    return evaluateScan(a, b, h0);
  },
  emitOnnx: (e, node) => {
    const dtype = e.dtypeOf(node.inputs[0] as Value);
    const one = e.scalar(1, dtype);
    const zero = e.scalar(0, dtype);
    let a = e.input(0);
    let b = e.input(1);
    // shift(x, d, fill): row t of the result is row t − d of x, `fill` for t < d.
    const shift = (x: string, d: number, fill: string): string => {
      const padded = e.temp('scan_padded');
      const out = e.temp('scan_shifted');
      e.node('Pad', [x, e.int64s([d, 0, 0, 0]), fill], [padded], { mode: { type: 'string', value: 'constant' } });
      e.node('Slice', [padded, e.int64s([0]), e.int64s([-d]), e.int64s([0])], [out]);
      return out;
    };
    // After level k, (a_t, b_t) composes the maps of samples t − 2^(k+1) + 1 … t (the earlier one first).
    for (let k = 0; k < SCAN_LEVELS; k++) {
      const d = 2 ** k;
      const [nb, ab, na] = [e.temp('scan_b'), e.temp('scan_ab'), e.temp('scan_a')];
      e.node('Mul', [a, shift(b, d, zero)], [ab]);
      e.node('Add', [ab, b], [nb]);
      e.node('Mul', [a, shift(a, d, one)], [na]);
      a = na;
      b = nb;
    }
    // h_t = a_t·h0 + b_t (inclusive); prev = [h0; h_0 … h_{B−2}]; last = h_{B−1}.
    const [ah, h, h0row, head, lastRow] = [e.temp('scan_ah'), e.temp('scan_h'), e.temp('scan_h0'), e.temp('scan_head'), e.temp('scan_last_row')];
    e.node('Mul', [a, e.input(2)], [ah]);
    e.node('Add', [ah, b], [h]);
    e.node('Reshape', [e.input(2), e.int64s([1, -1])], [h0row]);
    e.node('Slice', [h, e.int64s([0]), e.int64s([-1]), e.int64s([0])], [head]);
    e.node('Concat', [h0row, head], [e.output(0)], { axis: { type: 'int', value: 0 } });
    e.node('Slice', [h, e.int64s([-1]), e.int64s([Number.MAX_SAFE_INTEGER]), e.int64s([0])], [lastRow]);
    e.node('Reshape', [lastRow, e.int64s([-1])], [e.output(1)]);
  },
};

/** The recurrence in float64, sample by sample. */
export function evaluateScan(a: Tensor, b: Tensor, h0: Tensor): Tensor[] {
  const [rows, cols] = [at(a.shape, 0), at(a.shape, 1)];
  const prev = new Float64Array(rows * cols);
  const h = Float64Array.from(h0.data);
  for (let t = 0; t < rows; t++) {
    for (let f = 0; f < cols; f++) {
      prev[t * cols + f] = at(h, f);
      h[f] = at(a.data, t * cols + f) * at(h, f) + at(b.data, t * cols + f);
    }
  }
  return [
    { dtype: a.dtype, shape: [rows, cols], data: prev },
    { dtype: a.dtype, shape: [cols], data: h },
  ];
}

/** The states before each sample and after the batch of h_t = a_t ⊙ h_{t−1} + b_t from h0. */
export function linearScan(a: Value, b: Value, h0: Value): { prev: Value; last: Value } {
  const [prev, last] = a.graph.apply(LinearScan, [a, b, h0], {}, 2);
  if (prev === undefined || last === undefined) throw new Error('LinearScan: no outputs');
  return { prev, last };
}

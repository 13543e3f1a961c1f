// LinearScan (our own op, not ONNX): the first-order linear recurrence along the batch axis
//   h_t = a_t ⊙ h_{t−1} + b_t,  t = 0 … B−1,  h_{−1} = h0,
// for a, b of shape [B, F] and h0 of shape [F]. Outputs: `prev` [B, F] (h_{t−1}, the state each
// sample sees) and `last` [F] (h_{B−1}, the state after the batch). Online normalization's
// statistics and its backward control process are such recurrences over the samples of a batch
// (catalog A28), with a symbolic batch size.
// NOTE: ONNX has no scan without a subgraph (Scan/Loop need graph attributes, which the emitter
// does not write), so the op is emitted as a Hillis–Steele prefix scan of the affine maps
// (a, b) in float64: SCAN_LEVELS doublings d = 1, 2, 4, …, each a shift by d rows (Pad at the top with the
// identity map, then Slice to −d, both valid for a runtime batch size). It covers batches of up to
// 2^SCAN_LEVELS = 65,536 samples; a larger batch would see only the last 65,536 samples' maps.
// Its backward rule (the scan in the other direction, `reverse`) is needed only where a gradient
// flows through online normalization's own backward graph (SAM-ON differentiates through its
// perturbation); the forward statistics get no gradient (ops/online-norm.ts).

import { type BackwardContext, type OpDef, type Value, shapeError } from '../ir';
import { add, mul, sub } from './binary';
import { zerosLike } from './expand';
import { showShape } from '../shape';
import { type Tensor, at } from '../tensor';

export const SCAN_LEVELS = 16;
/** The largest batch the emitted prefix scan is exact for. */
export const SCAN_MAX_BATCH = 2 ** SCAN_LEVELS;

export const LinearScan: OpDef = {
  name: 'LinearScan',
  attrTypes: { quadratic: 'float', reverse: 'int' },
  inferShape: ([a, b, h0]) => {
    if (a === undefined || b === undefined || h0 === undefined) return shapeError('LinearScan', 'needs (a, b, h0)');
    const same = a.shape.length === 2 && b.shape.length === 2 && a.shape.every((d, i) => d === b.shape[i]);
    if (!same || h0.shape.length !== 1 || h0.shape[0] !== a.shape[1]) {
      return shapeError('LinearScan', `a ${showShape(a.shape)}, b ${showShape(b.shape)} must be [B, F] and h0 ${showShape(h0.shape)} [F]`);
    }
    return [{ shape: a.shape, dtype: a.dtype }, { shape: h0.shape, dtype: a.dtype }];
  },
  backward: (ctx) => scanBackward(ctx),
  evaluate: ([a, b, h0], attrs) => {
    if (a === undefined || b === undefined || h0 === undefined) throw new Error('LinearScan: needs three inputs');
    const k = attrs['quadratic'];
    // Inputs (y, g): a = 1 − k·y², b = g·y.
    const decay = typeof k === 'number' ? { ...a, data: Float64Array.from(a.data, (y) => 1 - k * y * y) } : a;
    const drive = typeof k === 'number' ? { ...b, data: Float64Array.from(b.data, (g, i) => g * (a.data[i] ?? NaN)) } : b;
    if (!attrs['reverse']) return evaluateScan(decay, drive, h0);
    const [prev, last] = evaluateScan(flipRows(decay), flipRows(drive), h0) as [Tensor, Tensor];
    return [flipRows(prev), last];
  },
  emitOnnx: (e, node) => {
    // NOTE: a float32 graph scans in float64 (Cast in, Cast out). The prefix scan composes the maps
    // of whole blocks, whose products Π a_t grow large where |a_t| > 1 (online norm's v recurrence,
    // a_t = 1 − (1 − α_b)y_t², for |y_t| > 1/√(1 − α_b)) and then cancel against the block's sum;
    // in float32 that lost ~10× more than the sequential recurrence (1.3e-5 vs 2e-6 relative on
    // the online-ac reference). In float64 the result, rounded once, is as good as sequential.
    const outer = e.dtypeOf(node.inputs[0] as Value);
    const dtype = 'float64';
    const widen = (name: string): string => {
      if (outer === dtype) return name;
      const wide = e.temp('scan_wide');
      e.node('Cast', [name], [wide], { to: { type: 'int', value: 11 } });
      return wide;
    };
    const narrow = (name: string, out: string): void => {
      if (outer === dtype) e.node('Identity', [name], [out]);
      else e.node('Cast', [name], [out], { to: { type: 'int', value: 1 } });
    };
    // (The emitter writes a float32 graph's scalars as float32, so the float64 fills are cast too.)
    const one = widen(e.scalar(1, outer));
    const zero = widen(e.scalar(0, outer));
    const reverse = node.attrs['reverse'] === 1;
    // Rows in reverse order (the last sample first): Slice with step −1, valid for a runtime batch.
    const flip = (x: string): string => {
      if (!reverse) return x;
      const out = e.temp('scan_flipped');
      e.node('Slice', [x, e.int64s([-1]), e.int64s([-Number.MAX_SAFE_INTEGER]), e.int64s([0]), e.int64s([-1])], [out]);
      return out;
    };
    let a = flip(widen(e.input(0)));
    let b = flip(widen(e.input(1)));
    const h0 = widen(e.input(2));
    const k = node.attrs['quadratic'];
    if (typeof k === 'number') {
      // Inputs (y, g): a = 1 − k·y², b = g·y, formed in float64 too (1 − k·y² cancels near |y| = 1/√k).
      const [y2, ky2, decay, drive] = ['scan_y2', 'scan_ky2', 'scan_decay', 'scan_drive'].map((n) => e.temp(n)) as [string, string, string, string];
      e.node('Mul', [a, a], [y2]);
      e.node('Mul', [y2, widen(e.scalar(k, outer))], [ky2]);
      e.node('Sub', [one, ky2], [decay]);
      e.node('Mul', [b, a], [drive]);
      a = decay;
      b = drive;
    }
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
    const [ah, h, h0row, head, prev, lastRow, last] = ['scan_ah', 'scan_h', 'scan_h0', 'scan_head', 'scan_prev', 'scan_last_row', 'scan_last'].map((n) => e.temp(n)) as [string, string, string, string, string, string, string];
    e.node('Mul', [a, h0], [ah]);
    e.node('Add', [ah, b], [h]);
    e.node('Reshape', [h0, e.int64s([1, -1])], [h0row]);
    e.node('Slice', [h, e.int64s([0]), e.int64s([-1]), e.int64s([0])], [head]);
    e.node('Concat', [h0row, head], [prev], { axis: { type: 'int', value: 0 } });
    e.node('Slice', [h, e.int64s([-1]), e.int64s([Number.MAX_SAFE_INTEGER]), e.int64s([0])], [lastRow]);
    e.node('Reshape', [lastRow, e.int64s([-1])], [last]);
    narrow(flip(prev), e.output(0));
    narrow(last, e.output(1));
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
  return scan(a, b, h0, {});
}

/** The same recurrence with a_t = 1 − k·y_t², b_t = g_t·y_t, both formed inside the scan. */
export function quadraticScan(y: Value, g: Value, h0: Value, k: number): { prev: Value; last: Value } {
  return scan(y, g, h0, { quadratic: k });
}

/** The recurrence run from the last sample to the first: h_t = a_t ⊙ h_{t+1} + b_t, h_B = h0; `prev` holds h_{t+1}, `last` h_0. */
export function reverseScan(a: Value, b: Value, h0: Value): { prev: Value; last: Value } {
  return scan(a, b, h0, { reverse: 1 });
}

/**
 * The adjoint of a scan is the scan in the other direction with the same decays: with λ_t the
 * gradient reaching h_t (from prev_{t+1}, from last at the end, and through h_{t+1}),
 * λ = (reverse) scan(a, g_prev shifted, g_last); db_t = λ_t, da_t = λ_t·h_{t−1}, dh0 = the
 * adjoint scan's final state. For the quadratic form, dy = da·(−2k·y) + db·g and dg = db·y.
 */
function scanBackward({ node, gradOutputs: [gPrev, gLast], needs }: BackwardContext): (Value | undefined)[] {
  const [a0, b0, h0] = node.inputs as [Value, Value, Value];
  const [prev] = node.outputs as [Value, Value];
  if (!needs.some(Boolean) || (gPrev === undefined && gLast === undefined)) return [undefined, undefined, undefined];
  const k = node.attrs['quadratic'];
  const reverse = node.attrs['reverse'] === 1;
  const a = typeof k === 'number' ? sub(1, mul(mul(a0, a0), k)) : a0;
  const gp = gPrev ?? zerosLike(prev);
  const gl = gLast ?? zerosLike(h0);
  // λ_t = a_{t+1}λ_{t+1} + gp_{t+1}: the adjoint scan's `prev` for the shifted inputs is exactly
  // that when run over (a, gp) in the other direction from gl, and its `last` is gp_0 + a_0λ_0 = dh0.
  const adjoint = reverse ? linearScan(a, gp, gl) : reverseScan(a, gp, gl);
  const lambda = adjoint.prev;
  const da = mul(lambda, prev);
  if (typeof k !== 'number') return [needs[0] ? da : undefined, needs[1] ? lambda : undefined, needs[2] ? adjoint.last : undefined];
  return [
    needs[0] ? add(mul(da, mul(a0, -2 * k)), mul(lambda, b0)) : undefined,
    needs[1] ? mul(lambda, a0) : undefined,
    needs[2] ? adjoint.last : undefined,
  ];
}

function flipRows(t: Tensor): Tensor {
  const [rows, cols] = [at(t.shape, 0), t.shape.length > 1 ? at(t.shape, 1) : 1];
  const data = new Float64Array(t.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = at(t.data, (rows - 1 - r) * cols + c);
  return { ...t, data };
}

function scan(a: Value, b: Value, h0: Value, attrs: Readonly<Record<string, number>>): { prev: Value; last: Value } {
  const [prev, last] = a.graph.apply(LinearScan, [a, b, h0], attrs, 2);
  if (prev === undefined || last === undefined) throw new Error('LinearScan: no outputs');
  return { prev, last };
}

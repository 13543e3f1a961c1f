// Reference tensors for the interpreter: every dtype is held in a Float64Array (int64 values are
// exact below 2^53, bools are 0/1, float32 is not rounded: the interpreter is a float64 reference).

import type { DType } from './ir';

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function tensor(shape: readonly number[], data: ArrayLike<number>, dtype: DType = 'float64'): Tensor {
  const n = sizeOf(shape);
  if (data.length !== n) throw new Error(`tensor: ${data.length} values for shape [${shape.join(',')}]`);
  return { dtype, shape: [...shape], data: Float64Array.from(data) };
}

export function filled(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
  return { dtype, shape: [...shape], data: new Float64Array(sizeOf(shape)).fill(value) };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = at(strides, i + 1) * at(shape, i + 1);
  return strides;
}

/** Element i of an array or typed array; throws on a bad index (an interpreter bug, not a user error). */
export function at(a: ArrayLike<number>, i: number): number {
  const v = a[i];
  if (v === undefined) throw new Error(`index ${i} out of range ${a.length}`);
  return v;
}

/** numpy/ONNX broadcast of concrete shapes; throws (shapes were already checked statically). */
export function broadcastConcrete(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a.join(',')}] with [${b.join(',')}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** For each flat index of `out`, the flat index of the element of `inp` that broadcasts to it. */
export function broadcastIndex(out: readonly number[], inp: readonly number[]): Int32Array {
  const n = sizeOf(out);
  const result = new Int32Array(n);
  const inStrides = stridesOf(inp);
  const offset = out.length - inp.length;
  // Stride per output axis into the input: 0 where the input broadcasts along that axis.
  const strides = out.map((d, i) => {
    const k = i - offset;
    return k < 0 || at(inp, k) === 1 ? 0 : at(inStrides, k);
  });
  const counter = new Array<number>(out.length).fill(0);
  let idx = 0;
  for (let f = 0; f < n; f++) {
    result[f] = idx;
    for (let ax = out.length - 1; ax >= 0; ax--) {
      counter[ax] = at(counter, ax) + 1;
      idx += at(strides, ax);
      if (at(counter, ax) < at(out, ax)) break;
      idx -= at(strides, ax) * at(out, ax);
      counter[ax] = 0;
    }
  }
  return result;
}

/** Elementwise op over broadcast inputs. */
export function mapBroadcast(inputs: readonly Tensor[], dtype: DType, f: (xs: readonly number[]) => number): Tensor {
  const shape = inputs.reduce<number[]>((s, t) => broadcastConcrete(s, t.shape), []);
  const maps = inputs.map((t) => broadcastIndex(shape, t.shape));
  const data = new Float64Array(sizeOf(shape));
  const xs = new Array<number>(inputs.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    for (let k = 0; k < inputs.length; k++) xs[k] = at((inputs[k] as Tensor).data, at(maps[k] as Int32Array, i));
    data[i] = f(xs);
  }
  return { dtype, shape, data };
}

export function mapUnary(x: Tensor, f: (v: number) => number, dtype: DType = x.dtype): Tensor {
  return { dtype, shape: [...x.shape], data: x.data.map(f) };
}

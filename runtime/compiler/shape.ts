// Static shape helpers: numpy/ONNX broadcasting over dims that are numbers or one symbol ('B').
// A reshape may merge the symbol with static dims: 'B*16' is 16 times B (scaledSymbol), and a later
// reshape can split it again. Functions that can fail because of user input return a string
// reason instead of throwing.

import type { Dim, Shape } from './ir';

export function showShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Broadcast two static shapes; a symbol broadcasts only against itself or 1. */
export function broadcastShapes(a: Shape, b: Shape): Shape | string {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return `cannot broadcast ${showShape(a)} with ${showShape(b)}`;
  }
  return out;
}

/** Normalizes a possibly negative axis; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}

/** Axes along which `from` was broadcast to reach `to` (indices into `to`). */
export function broadcastAxes(from: Shape, to: Shape): number[] {
  const offset = to.length - from.length;
  const axes: number[] = [];
  to.forEach((d, i) => {
    const k = i - offset;
    if (k < 0 || (from[k] === 1 && d !== 1)) axes.push(i);
  });
  return axes;
}

/** A shape usable as a Reshape target: the (single) symbolic dim becomes -1. */
export function reshapeTarget(shape: Shape): number[] | undefined {
  const symbols = shape.filter((d) => typeof d === 'string').length;
  if (symbols > 1) return undefined;
  return shape.map((d) => (typeof d === 'number' ? d : -1));
}

/** A symbolic dim as a base symbol times a static factor: 'B' is (B, 1), 'B*16' is (B, 16). */
export function symbolParts(d: string): { readonly base: string; readonly factor: number } {
  const m = /^(.+)\*(\d+)$/.exec(d);
  return m?.[1] !== undefined ? { base: m[1], factor: Number(m[2]) } : { base: d, factor: 1 };
}

/** The dim `factor` times `base` ('B' for factor 1). */
export function scaledSymbol(base: string, factor: number): string {
  return factor === 1 ? base : `${base}*${factor}`;
}

export function numericProduct(dims: readonly Dim[]): number {
  return dims.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
}

export function isNumericShape(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export function dimAt(shape: Shape, i: number): Dim {
  const d = shape[i];
  if (d === undefined) throw new Error(`axis ${i} out of range for ${showShape(shape)}`);
  return d;
}

export function numericDim(shape: Shape, i: number, op: string): number {
  const d = dimAt(shape, i);
  if (typeof d !== 'number') throw new Error(`${op}: axis ${i} of ${showShape(shape)} must be static here`);
  return d;
}

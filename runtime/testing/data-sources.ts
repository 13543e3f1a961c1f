// Helpers for runtime/engine/data tests: data-source values as the checker would resolve them.

import type { PlanValue, TechniqueUse } from '../catalog';

/** The data technique `name` with the given arguments (missing ones take the catalog defaults). */
export function dataSource(name: string, args: Readonly<Record<string, PlanValue>> = {}): TechniqueUse {
  return { kind: 'technique', name, entryKind: 'data', args };
}

/** How many labels of each class 0..classes−1 `y` holds. */
export function histogram(y: ArrayLike<number>, classes: number): number[] {
  const h = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) {
    const c = y[i] ?? -1;
    h[c] = (h[c] ?? 0) + 1;
  }
  return h;
}

/** Equal lengths and equal bits, element by element (NaN equals NaN). */
export function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

// Reshape targets as an imported graph gives them: known at import but holding the symbolic
// batch ('B', 'B*4') where PyTorch sized a view from x.shape[0], which the IR's Reshape (static
// target, one -1) must express.

import type { Dim, Value } from '../ir';
import { reshape } from '../ops/reshape';
import { reshapeTarget, showShape, symbolParts } from '../shape';
import type { ImportProblem } from './import-ops';

/**
 * Reshape to a target known at import. A symbolic entry copies the input's dim at its position
 * (0), or else is the one dim left to infer (-1), which must then come out as that symbol; with
 * a -1 beside it (`x.view(b, -1)` of a [B*4, 6] value), the -1 is worked out from the static dims.
 */
export function reshapeToKnown(x: Value, dims: readonly Dim[], problem: (why: string) => ImportProblem): Value {
  const target = dims.map((d, i) => (typeof d === 'number' ? d : x.shape[i] === d ? 0 : NaN));
  const open = target.flatMap((t, i) => (Number.isNaN(t) ? [i] : []));
  const hole = open[0];
  const why = `reshapes ${showShape(x.shape)} to ${showShape(dims)}`;
  if (open.length > 1) throw problem(`${why}: more than one dim is left to infer`);
  if (hole !== undefined) {
    const minus = target.indexOf(-1);
    if (minus >= 0) target[minus] = inferredBeside(x.shape, dims, target, hole) ?? NaN;
    if (Number.isNaN(target[minus] ?? 0)) throw problem(`${why}: more than one dim is left to infer`);
    target[hole] = -1;
  }
  const y = reshape(x, target);
  if (y.valid && hole !== undefined && y.shape[hole] !== dims[hole]) throw problem(`${why}, which gives ${showShape(y.shape)}`);
  return y;
}

/** The -1 of a target that also holds the batch symbol: the static size left over, when it is whole. */
function inferredBeside(shape: readonly Dim[], dims: readonly Dim[], target: readonly number[], hole: number): number | undefined {
  const symbols = shape.filter((d): d is string => typeof d === 'string');
  const want = dims[hole];
  if (symbols.length !== 1 || typeof want !== 'string') return undefined;
  const have = symbolParts(symbols[0] as string);
  const asked = symbolParts(want);
  if (have.base !== asked.base) return undefined;
  const staticIn = shape.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), have.factor);
  let staticOut = asked.factor;
  for (const [i, t] of target.entries()) {
    if (i === hole || t === -1) continue;
    const d = t === 0 ? shape[i] : t;
    if (typeof d !== 'number') return undefined;
    staticOut *= d;
  }
  const n = staticIn / staticOut;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Reshape to a static shape that keeps at most one symbolic dim (the batch). */
export function reshapeKeepingBatch(x: Value, shape: readonly Dim[], problem: (why: string) => ImportProblem): Value {
  const target = reshapeTarget(shape);
  if (target === undefined) throw problem(`gives ${showShape(shape)} with several symbolic dims`);
  return reshape(x, target);
}

// HyperSparse's regularizer in the train-step graph (catalog A50; GreenAutoML4FAS/HyperSparse
// loss/HyperSparse.py, `hyperSparse`). Over all prunable weights w (every layer's weight matrix or
// kernel, concatenated):
//   HS(w) = Σ_i |w_i| · Σ_j tanh(s|w_j|) / sg(Σ_j tanh(s|w_j|)) − Σ_i |w_i|,   s = 0.6585 / |w|_(κ)
// whose value is ≈ 0 and whose gradient is sign(w_i)·s·sech²(s|w_i|)·Σ|w| / Σ tanh(s|w|): large for
// small weights, vanishing for |w| ≫ 1/s. The loss gains α·HS. s (the κ-quantile of |w| needs a
// sort) and α (λ·η^epoch) are host scalars, fed every step (engine/passes/hypersparse-pass.ts).

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { add, div, mul, sub } from '../ops/binary';
import { sum } from '../ops/derived';
import { abs, tanh } from '../ops/unary';
import { stopGradient } from '../model/stop-gradient';

export const HYPERSPARSE_INPUTS = { scale: 'hypersparse_scale', weight: 'hypersparse_weight' } as const;

export interface HyperSparseInputs {
  readonly scale: Value;
  readonly weight: Value;
}

export function hyperSparseInputs(g: GraphBuilder, dtype: DType): HyperSparseInputs {
  return { scale: g.input(HYPERSPARSE_INPUTS.scale, [], dtype), weight: g.input(HYPERSPARSE_INPUTS.weight, [], dtype) };
}

/** HS(w) over the given weights, with the fed scale s. */
export function hyperSparse(weights: readonly Value[], s: Value): Value {
  const magnitudes = weights.map((w) => abs(w));
  const l1 = magnitudes.map((a) => sum(a)).reduce((a, b) => add(a, b));
  const t = magnitudes.map((a) => sum(tanh(mul(a, s)))).reduce((a, b) => add(a, b));
  return sub(mul(l1, div(t, stopGradient(t))), l1);
}

/** α·HS(w): the term the train step adds to the loss. */
export function hyperSparseTerm(weights: readonly Value[], inputs: HyperSparseInputs): Value {
  return mul(hyperSparse(weights, inputs.scale), inputs.weight);
}

/** s = 0.6585 / |w|_(κ), |w|_(κ) = sorted|w|[⌊κN⌋], in float32 as torch divides; undefined when that magnitude is 0. */
export function hyperSparseScale(weights: readonly ArrayLike<number>[], kappa: number): number | undefined {
  const all = new Float32Array(weights.reduce((n, w) => n + w.length, 0));
  let k = 0;
  for (const w of weights) for (let i = 0; i < w.length; i++) all[k++] = Math.abs(w[i] ?? 0);
  all.sort();
  const at = all[Math.min(all.length - 1, Math.floor(kappa * all.length))] ?? 0;
  return at > 0 ? Math.fround(Math.fround(0.6585) / at) : undefined;
}

// Pruning in the train-step graph (catalog A42, A43). Each pruned weight W gets two {0,1} inputs
// of its shape: the forward mask m and the keep mask k, both chosen on the host every step.
//   forward:  W̃ = W⊙k + stopGradient(W⊙m − W⊙k)   (its value is W⊙m; its gradient is ∇W̃ ⊙ k)
//   gradient: ∇W += λ(k − m)⊙W                      (SR-STE's decay on the pruned entries)
//   update:   W' = update(W)⊙k, and every optimizer state of W's shape ⊙ k
// With k = m (magnitude pruning, and SR-STE once its mask is final) the gradient, the momentum and
// the weights are masked, so pruned entries stay exactly zero whatever the optimizer does. With
// k = 1 (SR-STE while masks are learned) the gradient passes straight through to the dense weights
// and λ(1 − m)⊙W pulls the pruned ones down; with λ = 0 that is a plain straight-through estimator.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { add, mul, sub } from '../ops/binary';
import { stopGradient } from '../model/stop-gradient';

export interface PruneInputs {
  readonly mask: Value;
  readonly keep: Value;
}

/** Graph input names of a pruned parameter's masks. */
export function pruneInputNames(param: string): { readonly mask: string; readonly keep: string } {
  return { mask: `${param}.prune_mask`, keep: `${param}.prune_keep` };
}

export function pruneInputs(g: GraphBuilder, param: string, shape: readonly number[], dtype: DType): PruneInputs {
  const names = pruneInputNames(param);
  return { mask: g.input(names.mask, shape, dtype), keep: g.input(names.keep, shape, dtype) };
}

/** The weight the forward pass sees: value W⊙m, gradient masked by k. */
export function maskedWeight(w: Value, p: PruneInputs): Value {
  const kept = mul(w, p.keep);
  return add(kept, stopGradient(sub(mul(w, p.mask), kept)));
}

/** SR-STE's extra gradient λ(k − m)⊙W, zero when k = m. */
export function pruneDecay(w: Value, p: PruneInputs, lambda: number): Value {
  return mul(mul(sub(p.keep, p.mask), w), lambda);
}

/** Re-masks an updated weight or an optimizer state of the weight's shape. */
export function remask(v: Value, p: PruneInputs): Value {
  return mul(v, p.keep);
}

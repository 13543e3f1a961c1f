// Lottery Jackpots' weight in the train-step graph (catalog A48; zyxxmu/lottery-jackpots
// utils/conv_type.py, PretrainConv and GetMask). The pretrained weight W₀ is frozen and fed as an
// input; the parameter the training state holds in W's place is the score s, which the optimizer
// updates. The layer sees
//   W̃ = W₀ ⊙ (b + s − sg(s))        value W₀⊙b exactly, gradient ∂L/∂s = ∂L/∂W̃ ⊙ W₀
// where b is the binary mask fed as the prune mask: GetMask's forward returns b and its backward
// sends the gradient straight through to the scores.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { add, mul, sub } from '../ops/binary';
import { stopGradient } from '../model/stop-gradient';

/** Graph input name of a searched parameter's frozen pretrained weight. */
export function frozenWeightInputName(param: string): string {
  return `${param}.jackpot_weight`;
}

export function frozenWeightInput(g: GraphBuilder, param: string, shape: readonly number[], dtype: DType): Value {
  return g.input(frozenWeightInputName(param), shape, dtype);
}

/** W₀ ⊙ (b + s − sg(s)). */
export function jackpotWeight(scores: Value, mask: Value, frozen: Value): Value {
  return mul(frozen, add(mask, sub(scores, stopGradient(scores))));
}

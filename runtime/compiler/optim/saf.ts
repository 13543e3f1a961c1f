// SAF (catalog A05, official AngusDujw/SAF) is not a WrapperBuilder: its extra loss term needs the
// current logits and, per training example, the logits recorded `window` epochs earlier. So it is
// built where the loss is assembled (step/train-step.ts, `saf` option) from the two inputs below,
// and the engine keeps the per-example logits buffer (engine/saf.ts). The base optimizer is the
// wrapper's `base`, compiled as usual.
//   L += gate·λT²·KL(softmax(ref/T) ‖ softmax(z/T))   (sum over classes, mean over the batch)
// The reference logits are an input, so no gradient flows into them (they are sg(z) of the past).

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';
import { add, mul, sub } from '../ops/binary';
import { reduceMean, reduceSum } from '../ops/reduce';
import { logSoftmax, softmax } from '../ops/softmax';

export const SAF_INPUTS = { reference: 'saf_reference', gate: 'saf_gate' } as const;

export interface SafInputs {
  readonly reference: Value;
  readonly gate: Value;
}

export function safInputs(g: GraphBuilder, classes: number, dtype: DType): SafInputs {
  return { reference: g.input(SAF_INPUTS.reference, ['B', classes], dtype), gate: g.input(SAF_INPUTS.gate, [], dtype) };
}

/** KL(softmax(ref/T) ‖ softmax(z/T)) per example, averaged over the batch (a scalar). */
export function safKl(logits: Value, reference: Value, temperature: number): Value {
  const p = softmax(mul(reference, 1 / temperature), -1);
  const kl = mul(p, sub(logSoftmax(mul(reference, 1 / temperature), -1), logSoftmax(mul(logits, 1 / temperature), -1)));
  return reduceMean(reduceSum(kl, [-1], false), [], false);
}

/** The loss with SAF's term: loss + gate·λT²·KL. */
export function safLoss(loss: Value, logits: Value, inputs: SafInputs, hp: { readonly weight: number; readonly temperature: number }): Value {
  const t = hp.temperature;
  return add(loss, mul(mul(safKl(logits, inputs.reference, t), inputs.gate), hp.weight * t * t));
}

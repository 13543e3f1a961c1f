// quantize { method = ptq } as a pass: nothing during training; the final weights (and, with
// activations, the calibrated layer inputs) are quantized for the export.

import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import { applyPtq, ptqPlanOf } from '../compress';
import type { PassPlan } from './pass';

export function ptqPass(recipe: CheckedRecipe, model: ModelGraph): PassPlan | undefined {
  const plan = ptqPlanOf(recipe, model.params);
  if (!plan) return undefined;
  return { name: 'ptq', create: () => ({ name: 'ptq', exports: { quantize: { plan, apply: (w) => applyPtq(plan, model.params, w) } } }) };
}

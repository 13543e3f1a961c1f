// What a run says once, at its start, about parts of the recipe it does not execute: never
// silently ignored.

import type { CheckedRecipe } from '../checker';
import { isRatio, isTechnique, type PlanValue } from '../catalog';
import { COSTLY_METRICS } from './probes';

/** Recipe features the runtime does not execute yet: said once, at the start, never silently ignored. */
export function unsupportedWarnings(recipe: CheckedRecipe): string[] {
  const out: string[] = [];
  const quantize = recipe.blocks['quantize']?.attrs['method'];
  const lowrank = recipe.blocks['lowrank']?.attrs['method'];
  if (recipe.blocks['lowrank'] && !(isTechnique(lowrank) && (lowrank.name === 'svd' || lowrank.name === 'trp'))) out.push('the lowrank block is checked but not executed by this version of the runtime; the model is trained and exported uncompressed');
  if (recipe.blocks['quantize'] && !(isTechnique(quantize) && (quantize.name === 'ptq' || quantize.name === 'qat'))) out.push('the quantize block is checked but not executed by this version of the runtime; the model is trained and exported uncompressed');
  if (isTechnique(quantize) && quantize.name === 'qat') out.push('qat quantizes the weights only; activations stay float32');
  const metrics = recipe.blocks['report']?.attrs['metrics'];
  // Costly probes report what they cannot compute themselves (createProbes' warnings).
  const computed = new Set(['loss', 'accuracy', 'lr', 'grad_norm', 'weight_norm', 'sparsity', 'effective_step', ...COSTLY_METRICS]);
  const prune = recipe.blocks['prune'];
  // Issue 15: the pruning pass measures its masks' flip rate.
  if (prune) computed.add('flip_rate');
  if (prune && (isRatio(prune.attrs['pattern']) || (isTechnique(prune.attrs['method']) && isRatio(prune.attrs['method'].args['pattern'])))) computed.add('nm_conformance');
  if (Array.isArray(metrics)) {
    for (const m of metrics as readonly PlanValue[]) {
      if (isTechnique(m) && !computed.has(m.name)) out.push(`metric ${m.name} is not computed by this version of the runtime`);
    }
  }
  return out;
}

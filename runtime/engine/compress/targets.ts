// The weights each compression block acts on, read from the checked recipe. The checker fills a
// built-in model's default `layers`; an imported model's layers are only known from its file, so
// its plan leaves `layers` unset when the recipe does not write it, and the same default rule is
// applied here to the imported parameters (compiler/model/layer-select.ts).

import { isLayerRef, isList, isRatio, isTechnique, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { reductionOf, selectLayers, type DefaultTargets, type ParamInfo } from '../../compiler/model';

/** The compressible weights the block targets, as indices into `params` (`fallback`: another default rule for a method that needs one). */
export function compressTargets(recipe: CheckedRecipe, block: 'prune' | 'quantize' | 'lowrank', params: readonly ParamInfo[], fallback?: DefaultTargets): number[] {
  return [...selectLayers(params, refsOf(recipe.blocks[block]?.attrs['layers']), fallback ?? DEFAULTS[block]).targets];
}

/**
 * Why the recipe's compression cannot act on this model, or undefined: a written layer name or
 * glob that selects no compressible weight, an N:M pattern whose groups do not divide a pruned
 * weight's input width, a rank above a factorized weight's smaller dimension. The checker says the
 * same where it can read the model; this covers plans it could not (an imported file it did not read).
 */
export function compressionProblem(recipe: CheckedRecipe, params: readonly ParamInfo[]): string | undefined {
  for (const block of ['prune', 'quantize', 'lowrank'] as const) {
    const attrs = recipe.blocks[block]?.attrs;
    if (attrs === undefined) continue;
    const sel = selectLayers(params, refsOf(attrs['layers']), DEFAULTS[block]);
    if (sel.unmatched.length > 0) {
      const list = sel.unmatched.map((r) => `"${r}"`).join(', ');
      return `${block}: layers ${list} ${sel.unmatched.length === 1 ? 'names' : 'name'} no weighted layer of the model`;
    }
    if (block === 'prune') {
      const method = attrs['method'];
      const pattern = isRatio(attrs['pattern']) ? attrs['pattern'] : isTechnique(method) && isRatio(method.args['pattern']) ? method.args['pattern'] : undefined;
      const bad = pattern === undefined ? undefined : sel.targets.map((i) => params[i] as ParamInfo).find((p) => reductionOf(p) % pattern.m !== 0);
      if (bad && pattern) return `prune: ${bad.name} has an input width of ${reductionOf(bad)}, which is not a multiple of ${pattern.m}, so ${pattern.n}:${pattern.m} groups do not fit; leave it out of layers`;
    }
    if (block === 'lowrank') {
      const method = attrs['method'];
      const rank = isTechnique(method) ? method.args['rank'] : undefined;
      const bad = typeof rank === 'number' ? sel.targets.map((i) => params[i] as ParamInfo).find((p) => rank > Math.min(p.shape[0] ?? 1, sizeOf(p.shape) / (p.shape[0] ?? 1))) : undefined;
      if (bad && typeof rank === 'number') return `lowrank: rank ${rank} exceeds the smaller dimension of ${bad.name} [${bad.shape.join(', ')}]`;
    }
  }
  return undefined;
}

const DEFAULTS: Readonly<Record<'prune' | 'quantize' | 'lowrank', DefaultTargets>> = { prune: 'hidden', lowrank: 'hidden', quantize: 'all' };

/** The written references, or undefined when the block does not list layers (its default applies). */
function refsOf(v: PlanValue | undefined): string[] | undefined {
  return isList(v) ? v.filter(isLayerRef).map((r) => r.name) : undefined;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// Builds the CheckedRecipe from clean block results, filling the defaults that depend on other
// blocks (compression targets, phase bounds, the sparsity an N:M pattern implies).

import { isLayerRef, isList, isTechnique, type LayerRef, type PlanValue } from '../catalog';
import { defaultQatFrom, epochsOf, patternOf, type Parts } from './crossblock';
import type { EstimateInputs } from './estimates';
import { defaultCompressTargets } from './model';
import type { BlockPlan, CheckedRecipe, Estimates, LayerPlan } from './types';

/** The plan of a recipe without errors; undefined if a part it needs did not resolve (which implies an error was reported). */
export function buildPlan(parts: Parts, estimates: Estimates | undefined): CheckedRecipe | undefined {
  const data = parts.blocks.get('data');
  const model = parts.blocks.get('model');
  const layers = parts.model.layers ?? [];
  const declared = parts.model.declared;
  if (!data || !model || !isTechnique(data.label) || !isTechnique(model.label) || !parts.dataShape || !declared) return undefined;
  const init = model.attrs['init'];
  if (!isTechnique(init)) return undefined;
  const recipe = parts.blocks.get('recipe');
  const seed = recipe?.attrs['seed'];
  const blocks: Record<string, BlockPlan> = {};
  for (const [name, b] of parts.blocks) {
    blocks[name] = { span: b.node.span, ...(b.label !== undefined ? { label: b.label } : {}), attrs: { ...b.attrs, ...derivedDefaults(parts, name, layers) } };
  }
  return {
    name: typeof recipe?.label === 'string' ? recipe.label : 'untitled',
    seed: typeof seed === 'number' ? seed : 0,
    blocks,
    data: { source: data.label, shape: parts.dataShape },
    model: { source: model.label, init, layers, declared },
    ...(estimates ? { estimates } : {}),
    __checked: true,
  };
}

export function estimateInputs(parts: Parts, layers: readonly LayerPlan[], optimizer: readonly string[]): EstimateInputs {
  const batch = parts.blocks.get('data')?.attrs['batch'];
  const prune = parts.blocks.get('prune');
  const lowrank = parts.blocks.get('lowrank');
  const quantize = parts.blocks.get('quantize');
  const names = (v: PlanValue | undefined, fallback: readonly LayerPlan[]) => new Set(isList(v) ? v.filter(isLayerRef).map((r) => r.name) : fallback.map((l) => l.name));
  const weighted = layers.filter((l) => l.weights.some((w) => w.compressible));
  const pattern = prune ? patternOf(prune) : undefined;
  const sparsity = prune?.attrs['sparsity'];
  const method = lowrank?.attrs['method'];
  const rank = isTechnique(method) ? method.args['rank'] : undefined;
  const bits = quantize?.attrs['bits'];
  return {
    layers,
    batch: typeof batch === 'number' ? batch : 64,
    optimizer,
    ...(prune ? { prune: { targets: names(prune.attrs['layers'], defaultCompressTargets(layers)), sparsity: typeof sparsity === 'number' ? sparsity : pattern ? 1 - pattern.n / pattern.m : 0.5, ...(pattern ? { pattern } : {}) } } : {}),
    ...(lowrank ? { lowrank: { targets: names(lowrank.attrs['layers'], defaultCompressTargets(layers)), ...(typeof rank === 'number' ? { rank } : {}) } } : {}),
    ...(quantize ? { quantize: { targets: names(quantize.attrs['layers'], weighted), bits: typeof bits === 'number' ? bits : 8, perChannel: quantize.attrs['per_channel'] !== false } } : {}),
  };
}

/** Defaults that the block specs cannot state on their own because they depend on other blocks. */
function derivedDefaults(parts: Parts, block: string, layers: readonly LayerPlan[]): Record<string, PlanValue> {
  const b = parts.blocks.get(block);
  const epochs = epochsOf(parts) ?? 0;
  if (!b) return {};
  const refs = (ls: readonly LayerPlan[]): LayerRef[] => ls.map((l) => ({ kind: 'layer', name: l.name }));
  const out: Record<string, PlanValue> = {};
  const start = { kind: 'duration', value: 0, unit: 'ep' } as const;
  const end = { kind: 'duration', value: epochs, unit: 'ep' } as const;
  // An imported model's layers are known only from its file: without `layers`, the engine applies
  // the same default rule to the imported parameters (engine/compress/targets.ts).
  const known = !parts.model.imported;
  if (block === 'prune' || block === 'lowrank') {
    if (b.attrs['layers'] === undefined && known) out['layers'] = refs(defaultCompressTargets(layers));
    if (b.attrs['from'] === undefined) out['from'] = start;
    if (b.attrs['to'] === undefined) out['to'] = end;
  }
  if (block === 'prune' && b.attrs['sparsity'] === undefined) {
    const pattern = patternOf(b);
    out['sparsity'] = pattern ? 1 - pattern.n / pattern.m : 0.5;
  }
  if (block === 'quantize') {
    if (b.attrs['layers'] === undefined && known) out['layers'] = refs(layers.filter((l) => l.weights.some((w) => w.compressible)));
    const method = b.attrs['method'];
    if (b.attrs['from'] === undefined && isTechnique(method) && method.name === 'qat') out['from'] = defaultQatFrom(epochs);
  }
  return out;
}

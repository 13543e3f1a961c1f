// The checker's entry point: syntax tree + catalog → diagnostics, semantic side tables and, when
// nothing is wrong, the typed plan. Blocks are checked in dependency order (data, then model,
// whose layers the compression blocks reference, then the rest), then cross-block rules run.

import { checkLeastVolume, reconstructionShape } from './reconstruction';
import { isTechnique, type Catalog, type DataShape, type TechniqueEntry, type TechniqueUse } from '../catalog';
import { parse, type FileNode, type Value } from '../language';
import { checkAttributes, checkLabel, collectBlocks, type BlockResult } from './blocks';
import type { Ctx } from './context';
import { checkCrossBlock, deepzeroEvaluations, type Parts } from './crossblock';
import { checkDataSettings } from './data';
import { estimate, passesPerStep } from './estimates';
import { checkExportPath } from './export-path';
import { checkImported, importedEstimateInputs, type ModelResolver } from './imported-model';
import { checkModel, type DataInfo } from './model';
import { buildPlan, estimateInputs } from './plan';
import { UNKNOWN_LAYERS } from './scope';
import { Source } from './source';
import type { CheckResult, Estimates } from './types';
import { checkSweep } from './sweep/check';

/**
 * Checks a parsed recipe against the catalog. Never throws. `text` is the document the tree was
 * parsed from; quick fixes use it for line boundaries and indentation (without it they fall back
 * to inserting at the spans themselves).
 */
export interface CheckOptions {
  /** Reads an imported model's file for the checker (the host does the IO); without it, imported layers are not checked. */
  readonly resolveModel?: ModelResolver;
}

export function check(tree: FileNode, catalog: Catalog, text = '', options: CheckOptions = {}): CheckResult {
  const ctx: Ctx = { catalog, src: new Source(text), length: tree.span.end, diagnostics: [], resolutions: new Map(), expected: new Map() };
  const found = collectBlocks(ctx, tree);
  const blocks = new Map<string, BlockResult>();
  const checkBlock = (name: string, scope = UNKNOWN_LAYERS): BlockResult | undefined => {
    const b = found.get(name);
    if (!b) return undefined;
    const label = checkLabel(ctx, b.node, b.spec, scope);
    const r = checkAttributes(ctx, b.node, b.spec, scope);
    const result: BlockResult = label === undefined ? r : { ...r, label };
    blocks.set(name, result);
    return result;
  };

  checkBlock('recipe');
  const data = checkBlock('data');
  const dataUse = isTechnique(data?.label) ? data.label : undefined;
  const dataShape: DataShape | undefined = reconstructionShape(data?.attrs['target'], dataUse ? ctx.catalog.get(dataUse.name, ['data'])?.data?.(dataUse.args) : undefined);
  const dataInfo: DataInfo | undefined = dataUse && dataShape ? { name: dataUse.name, shape: dataShape } : undefined;
  const modelBlock = checkBlock('model');
  const model = checkModel(ctx, modelBlock?.node, labelEntry(ctx, modelBlock?.node.label), dataInfo);
  for (const spec of catalog.blocks) if (!blocks.has(spec.name)) checkBlock(spec.name, model.scope);

  const parts: Parts = { blocks, model, ...(dataShape ? { dataShape } : {}) };
  checkCrossBlock(ctx, parts);
  checkLeastVolume(ctx, parts, model);
  checkDataSettings(ctx, data, dataShape);
  checkExportPath(ctx, blocks.get('report'));
  const imported = model.imported && options.resolveModel ? checkImported(ctx, parts, options.resolveModel) : undefined;
  // Every trial is checked as a recipe of its own: the trial texts have no sweep block, so this does not recurse further.
  checkSweep(ctx, tree, (t) => {
    const parsed = parse(t);
    return [...parsed.errors, ...check(parsed.tree, catalog, t, options).diagnostics];
  });

  let estimates: Estimates | undefined;
  if (dataInfo && (model.layers || imported)) {
    const base = estimateInputs(parts, model.layers ?? [], optimizerChain(ctx, blocks.get('train')));
    const inputs = imported ? importedEstimateInputs(base, imported, parts) : base;
    const zo = inputs.optimizer[0] === 'deepzero' ? deepzeroEvaluations(parts) : undefined;
    estimates = zo !== undefined ? estimate(inputs, zo, true) : estimate(inputs, passesPerStep(inputs.optimizer, (n) => catalog.get(n, ['wrapper']) !== undefined));
  }
  const semantics = { resolutions: ctx.resolutions, expected: ctx.expected, layers: model.symbols, ...(estimates ? { estimates } : {}), ...(imported ? { imported } : {}) };
  const diagnostics = [...ctx.diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  const recipe = ok ? buildPlan(parts, estimates) : undefined;
  return { diagnostics, semantics, ...(recipe ? { recipe } : {}) };
}

/** The entry a block label names, even when its arguments are wrong (the model kind still decides which layers fit). */
function labelEntry(ctx: Ctx, label: Value | undefined): TechniqueEntry | undefined {
  const callee = label?.kind === 'ident' ? label : label?.kind === 'call' ? label.callee : undefined;
  const r = callee ? ctx.resolutions.get(callee) : undefined;
  return r?.kind === 'technique' ? r.entry : undefined;
}

/** ['sam', 'adamp'] for `sam(base: adamp())`, read from the plan or, when it has errors, from the resolved names. */
function optimizerChain(ctx: Ctx, train: BlockResult | undefined): string[] {
  const chain: string[] = [];
  let use = train?.attrs['optimizer'];
  while (isTechnique(use)) {
    chain.push(use.name);
    const base: TechniqueUse | undefined = Object.values(use.args).find(isTechnique);
    use = base;
  }
  if (chain.length > 0) return chain;
  const v = train?.written.get('optimizer')?.value;
  const callee = v?.kind === 'ident' ? v : v?.kind === 'call' ? v.callee : undefined;
  const r = callee ? ctx.resolutions.get(callee) : undefined;
  return r?.kind === 'technique' ? [r.entry.name] : [];
}

// The model block's layers: which layer kinds the model allows, how layers are named, their
// shapes (inferred from the data's input shape through each layer entry's facet), normalization,
// and whether the model's output fits the data (classes or regression targets).

import { isTechnique, type DataShape, type ParamSpec, type TechniqueEntry, type TechniqueUse, type TensorShape } from '../catalog';
import { CODES, type BlockNode, type CallNode, type Fix, type Ident, type Span, type StatementNode } from '../language';
import { errorsSince, mark, report, type Ctx } from './context';
import { layerScope, UNKNOWN_LAYERS, type LayerScope } from './scope';
import { checkValue } from './values';
import type { LayerDecl, LayerPlan, LayerSymbol } from './types';

export interface ModelResult {
  readonly symbols: readonly LayerSymbol[];
  readonly scope: LayerScope;
  /** Every layer with its shapes; absent when any layer is wrong or the shapes cannot be known. */
  readonly layers?: readonly LayerPlan[];
  /** True when the layers come from an imported file (onnx): nothing to name or infer here. */
  readonly imported: boolean;
  /** Every written layer, resolved and named; absent when any layer did not resolve. */
  readonly declared?: readonly LayerDecl[];
  /** Whether some layer carries normalization parameters; undefined when a layer did not resolve. */
  readonly hasNorm?: boolean;
}

export interface DataInfo {
  readonly name: string;
  readonly shape: DataShape;
}

export function checkModel(ctx: Ctx, node: BlockNode | undefined, modelEntry: TechniqueEntry | undefined, data: DataInfo | undefined): ModelResult {
  if (!node) return { symbols: [], scope: UNKNOWN_LAYERS, imported: false };
  const imported = modelEntry !== undefined && (modelEntry.layers ?? []).length === 0;
  const statements = node.items.filter((i): i is StatementNode => i.kind === 'statement');
  const start = mark(ctx);
  const layers = statements.map((s) => checkLayer(ctx, s, modelEntry));
  const symbols = nameLayers(ctx, layers);
  if (modelEntry && !imported && statements.length === 0) {
    report(ctx, CODES.missingValue, 'error', node.keyword.span, `the ${modelEntry.name} model has no layers: write one per line, e.g. ${(modelEntry.layers ?? [])[0] ?? 'dense'}(…)`);
  }
  const plans = !imported && !errorsSince(ctx, start) && data?.shape.input ? inferShapes(ctx, layers, symbols, data) : undefined;
  if (plans && data) checkOutput(ctx, layers, plans, data);
  const refs = new Map<LayerSymbol, Span[]>();
  const final = symbols.map((s, i) => {
    const plan = plans?.[i];
    // NOTE: assigning the plan in place (instead of spreading a copy) keeps 2,000-layer models cheap.
    const symbol: LayerSymbol = plan ? Object.assign(s.symbol, { plan }) : s.symbol;
    refs.set(symbol, s.refs);
    if (s.nameIdent) ctx.resolutions.set(s.nameIdent, { kind: 'layer', layer: symbol, definition: true });
    return symbol;
  });
  const resolved = layers.every((l) => l.use && l.entry);
  const declared: LayerDecl[] | undefined = resolved && symbols.length === layers.length ? symbols.map((s) => ({ name: s.symbol.name, explicitName: s.symbol.explicit, use: s.layer.use!, span: s.symbol.callSpan, line: ctx.src.line(s.symbol.callSpan.start) })) : undefined;
  const hasNorm = resolved ? layers.some((l) => l.entry?.layer?.hasNorm?.(l.use!.args) ?? false) : undefined;
  return { symbols: final, scope: imported ? UNKNOWN_LAYERS : layerScope(true, final, refs), ...(plans ? { layers: plans } : {}), ...(declared ? { declared } : {}), imported, ...(hasNorm !== undefined && !imported ? { hasNorm } : {}) };
}

/** Default targets of pruning and low-rank: every layer with a compressible weight except the first and the last. */
export function defaultCompressTargets(layers: readonly LayerPlan[]): LayerPlan[] {
  const weighted = layers.filter((l) => l.weights.some((w) => w.compressible));
  return weighted.slice(1, -1);
}

interface CheckedLayer {
  readonly statement: StatementNode;
  readonly callee: Ident | undefined;
  readonly entry: TechniqueEntry | undefined;
  readonly use: TechniqueUse | undefined;
}

const LAYER_SPEC: ParamSpec = { name: 'layer', type: { kind: 'technique', of: ['layer'] }, doc: 'A layer of the model.' };

function checkLayer(ctx: Ctx, s: StatementNode, model: TechniqueEntry | undefined): CheckedLayer {
  const v = s.value;
  const callee = v.kind === 'ident' ? v : v.kind === 'call' ? v.callee : undefined;
  const before = mark(ctx);
  const use = checkValue(ctx, v, LAYER_SPEC, UNKNOWN_LAYERS);
  const res = callee ? ctx.resolutions.get(callee) : undefined;
  const entry = res?.kind === 'technique' ? res.entry : undefined;
  if (entry && model && !errorsSince(ctx, before)) {
    const allowed = model.layers ?? [];
    if (allowed.length === 0) report(ctx, CODES.layerRule, 'error', s.span, `the ${model.name} model takes its layers from the imported file; remove this layer`);
    else if (!allowed.includes(entry.name)) report(ctx, CODES.layerRule, 'error', callee!.span, `${entry.name} cannot be used in the ${model.name} model (allowed: ${allowed.join(', ')})`);
  }
  return { statement: s, callee, entry, use: isTechnique(use) ? use : undefined };
}

interface Named {
  readonly symbol: LayerSymbol;
  readonly nameIdent: Ident | undefined;
  readonly layer: CheckedLayer;
  /** The symbol's `refs`, kept mutable here so references found later can be added. */
  readonly refs: Span[];
}

/** Auto names are kind_k with k counting every layer of that kind (named ones too), from 1. */
function nameLayers(ctx: Ctx, layers: readonly CheckedLayer[]): Named[] {
  const counts = new Map<string, number>();
  const autoNames = layers.map((l) => {
    if (!l.entry) return undefined;
    const k = (counts.get(l.entry.name) ?? 0) + 1;
    counts.set(l.entry.name, k);
    return `${l.entry.name}_${k}`;
  });
  // Auto names of the unnamed layers, which an explicit name must not take.
  const autoIndex = new Map<string, number>();
  autoNames.forEach((a, j) => {
    if (a !== undefined && !layers[j]?.statement.name) autoIndex.set(a, j);
  });
  const out: Named[] = [];
  const taken = new Map<string, Span>();
  layers.forEach((l, i) => {
    const explicit = l.statement.name;
    const name = explicit?.name ?? autoNames[i];
    if (name === undefined) return;
    if (explicit) {
      const clashAuto = autoIndex.get(name) ?? -1;
      const prev = taken.get(name);
      if (prev) {
        report(ctx, CODES.duplicateLayer, 'error', explicit.span, `two layers are named '${name}'`, { related: [{ span: prev, message: `first '${name}' here` }] });
        return;
      }
      if (clashAuto >= 0) {
        const other = layers[clashAuto]!;
        report(ctx, CODES.duplicateLayer, 'error', explicit.span, `'${name}' is already the automatic name of layer ${clashAuto + 1} (${other.entry?.name ?? 'layer'}); choose another name`, { related: [{ span: other.statement.span, message: `this layer is '${name}'` }] });
        return;
      }
    }
    taken.set(name, explicit?.span ?? l.statement.value.span);
    const refs: Span[] = [];
    const symbol: LayerSymbol = { name, explicit: explicit !== undefined, nameSpan: explicit?.span, span: l.statement.span, callSpan: l.statement.value.span, refs };
    out.push({ symbol, nameIdent: explicit, layer: l, refs });
  });
  return out;
}

function inferShapes(ctx: Ctx, layers: readonly CheckedLayer[], named: readonly Named[], data: DataInfo): LayerPlan[] | undefined {
  const input = data.shape.input;
  if (!input || named.length !== layers.length) return undefined;
  const plans: LayerPlan[] = [];
  let shape: TensorShape = input;
  for (const n of named) {
    const { entry, use, callee } = n.layer;
    const facet = entry?.layer;
    if (!entry || !use || !facet || !callee) return undefined;
    const r = facet.infer(shape, use.args);
    if (!r.ok) {
      // Until some layer has changed the data's shape, a layer that cannot take it is a data/model mismatch.
      const fromData = plans.every((p) => sameShape(p.output, input));
      if (fromData) report(ctx, CODES.shapeMismatch, 'error', callee.span, `${n.symbol.name} does not fit the data (${data.name} yields [${input.join(', ')}]): ${r.message}`);
      else report(ctx, CODES.layerRule, 'error', callee.span, `${n.symbol.name}: ${r.message}`);
      return undefined;
    }
    plans.push({ name: n.symbol.name, explicitName: n.symbol.explicit, use, input: shape, output: r.output, weights: r.weights, flops: r.flops, hasNorm: facet.hasNorm?.(use.args) ?? false });
    shape = r.output;
  }
  return plans;
}

function checkOutput(ctx: Ctx, layers: readonly CheckedLayer[], plans: readonly LayerPlan[], data: DataInfo): void {
  const want = data.shape.task === 'classification' ? data.shape.classes : data.shape.task === 'regression' ? data.shape.targets : undefined;
  const last = plans[plans.length - 1];
  if (want === undefined || !last) return;
  const what = data.shape.task === 'classification' ? `${want} class${want === 1 ? '' : 'es'}` : `${want} target${want === 1 ? '' : 's'}`;
  const lastLayer = layers[layers.length - 1]!;
  if (last.output.length !== 1) {
    report(ctx, CODES.shapeMismatch, 'error', lastLayer.callee?.span ?? lastLayer.statement.span, `the model ends with a [${last.output.join(', ')}] tensor, but ${data.name} has ${what}: end with flatten and dense(${want})`);
    return;
  }
  const width = last.output[0];
  if (width === want) return;
  let idx = -1;
  plans.forEach((p, i) => {
    if (layers[i]?.entry?.layer?.producesFeatures) idx = i;
  });
  const layer = layers[idx] ?? lastLayer;
  const value = layer.statement.value;
  const arg = value.kind === 'call' ? widthArg(value, width ?? 0) : undefined;
  const fixes: Fix[] = arg ? [{ title: `Change to ${want}`, edits: [{ span: arg, newText: String(want) }], preferred: true }] : [];
  report(ctx, CODES.shapeMismatch, 'error', arg ?? layer.callee?.span ?? layer.statement.span, `the model outputs ${width} value${width === 1 ? '' : 's'} but ${data.name} has ${what}`, { fixes });
}

/** The written number argument that sets the layer's output width. */
function widthArg(call: CallNode, width: number): Span | undefined {
  return call.args.find((a) => a.value.kind === 'number' && a.value.value === width)?.value.span;
}

function sameShape(a: TensorShape, b: TensorShape): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

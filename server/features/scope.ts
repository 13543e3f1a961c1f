// What the tree around a node means, derived from the tree and the catalog alone. The checker's
// side tables answer first; this fills in where the checker has nothing to say (broken text while
// typing, a block the checker skipped), so editor features keep working on any text.

import type { Analysis } from '../../runtime/analysis';
import type { BlockSpec, Catalog, EnumMember, ParamSpec, ParamType, TechniqueEntry, TechniqueKind } from '../../runtime/catalog';
import type { LayerSymbol, Resolution } from '../../runtime/checker';
import { children, pathAt, type BlockNode, type CallNode, type Ident, type SyntaxNode, type Value } from '../../runtime/language';

/** The context a node stands in: its block, the type its value must have, the call and parameter it belongs to. */
export interface Scope {
  readonly block?: BlockSpec;
  readonly blockNode?: BlockNode;
  readonly type?: ParamType;
  readonly entry?: TechniqueEntry;
  readonly param?: ParamSpec;
}

export interface Resolved {
  readonly node: SyntaxNode;
  readonly path: readonly SyntaxNode[];
  readonly resolution: Resolution;
}

/** The meaning of the innermost node at `offset`: the checker's resolution, else one derived from the tree. */
export function resolveAt(a: Analysis, offset: number): Resolved | undefined {
  const path = pathAt(a.tree, offset);
  for (let i = path.length - 1; i >= 1; i--) {
    const node = path[i]!;
    const known = a.semantics.resolutions.get(node);
    if (known) return { node, path: path.slice(0, i + 1), resolution: known };
    const derived = deriveResolution(a, path.slice(0, i + 1));
    if (derived) return { node, path: path.slice(0, i + 1), resolution: derived };
  }
  return undefined;
}

/** The scope of the last node of `path` (a chain from the file down, as `pathAt` returns). */
export function scopeOf(a: Analysis, path: readonly SyntaxNode[]): Scope {
  let scope: Scope = {};
  for (let i = 1; i < path.length; i++) scope = descend(a.catalog, scope, path[i - 1]!, path[i]!);
  return scope;
}

/** Visits every node of the tree with its scope, in text order. */
export function walkScoped(a: Analysis, visit: (node: SyntaxNode, scope: Scope, parent: SyntaxNode) => void): void {
  const go = (parent: SyntaxNode, scope: Scope): void => {
    for (const c of children(parent)) {
      const s = descend(a.catalog, scope, parent, c);
      visit(c, s, parent);
      go(c, s);
    }
  };
  go(a.tree, {});
}

/** The scope of `child` given the scope of its `parent`. */
export function descend(catalog: Catalog, scope: Scope, parent: SyntaxNode, child: SyntaxNode): Scope {
  switch (parent.kind) {
    case 'file':
      return child.kind === 'block' ? withBlock(catalog, child) : {};
    case 'block': {
      const base = { ...(scope.block ? { block: scope.block } : {}), blockNode: parent };
      if (child === parent.label && scope.block?.label.kind === 'technique') return { ...base, type: { kind: 'technique', of: [scope.block.label.of] } };
      return base;
    }
    case 'attribute': {
      const param = scope.block?.attributes.find((p) => p.name === parent.name.name);
      return { ...blockPart(scope), ...(param ? { param, ...(child === parent.value ? { type: param.type } : {}) } : {}) };
    }
    case 'statement':
      if (child !== parent.value) return blockPart(scope);
      return scope.block?.statements ? { ...blockPart(scope), type: { kind: 'technique', of: [scope.block.statements] } } : blockPart(scope);
    case 'list': {
      const el = scope.type ? elementType(scope.type) : undefined;
      return { ...blockPart(scope), ...(el ? { type: el } : {}) };
    }
    case 'call': {
      const entry = entryFor(catalog, parent.callee.name, scope.type);
      if (child === parent.callee) return { ...blockPart(scope), ...(scope.type ? { type: scope.type } : {}), ...(entry ? { entry } : {}) };
      const param = entry && child.kind === 'arg' ? paramOfArg(entry, parent, parent.args.indexOf(child)) : undefined;
      return { ...blockPart(scope), ...(entry ? { entry } : {}), ...(param ? { param } : {}) };
    }
    case 'arg':
      return { ...blockPart(scope), ...(scope.entry ? { entry: scope.entry } : {}), ...(scope.param ? { param: scope.param, ...(child === parent.value ? { type: scope.param.type } : {}) } : {}) };
    default:
      return blockPart(scope);
  }
}

/** The parameter an argument binds to: by name, or by position among the positional parameters. */
export function paramOfArg(entry: TechniqueEntry, call: CallNode, index: number): ParamSpec | undefined {
  const arg = call.args[index];
  if (arg?.name) return entry.params.find((p) => p.name === arg.name!.name);
  let positional = 0;
  for (let i = 0; i < index; i++) if (!call.args[i]?.name) positional++;
  return positionalParam(entry, positional);
}

export function positionalParam(entry: TechniqueEntry, index: number): ParamSpec | undefined {
  return entry.params.filter((p) => p.positional)[index];
}

/** The catalog entry `name` denotes where a value of type `type` is expected (any kind when the type is unknown). */
export function entryFor(catalog: Catalog, name: string, type: ParamType | undefined): TechniqueEntry | undefined {
  const kinds = type ? techniqueKinds(type) : [];
  return kinds.length > 0 ? catalog.get(name, kinds) : type ? undefined : catalog.get(name);
}

/** The technique kinds a type accepts, through unions (not through lists). */
export function techniqueKinds(t: ParamType): TechniqueKind[] {
  if (t.kind === 'technique') return [...t.of];
  if (t.kind === 'union') return t.of.flatMap(techniqueKinds);
  return [];
}

export function enumMembers(t: ParamType): EnumMember[] {
  if (t.kind === 'enum') return [...t.members];
  if (t.kind === 'union') return t.of.flatMap(enumMembers);
  return [];
}

export function acceptsKind(t: ParamType, kind: ParamType['kind']): boolean {
  return t.kind === kind || (t.kind === 'union' && t.of.some((u) => acceptsKind(u, kind)));
}

/** The element type of a list type (or of the list member of a union). */
export function elementType(t: ParamType): ParamType | undefined {
  if (t.kind === 'list') return t.of;
  if (t.kind === 'union') for (const u of t.of) if (u.kind === 'list') return u.of;
  return undefined;
}

export function layerNamed(a: Analysis, name: string): LayerSymbol | undefined {
  return a.semantics.layers.find((l) => l.name === name);
}

/** The model block's allowed layer kinds, from the model entry named by its label (all layers when unknown). */
export function layerEntries(a: Analysis, block: BlockNode | undefined): readonly TechniqueEntry[] {
  const all = a.catalog.ofKind(['layer']);
  const label = block?.label;
  const name = label?.kind === 'ident' ? label.name : label?.kind === 'call' ? label.callee.name : undefined;
  const model = name ? a.catalog.get(name, ['model']) : undefined;
  if (!model?.layers) return all;
  return all.filter((e) => model.layers!.includes(e.name));
}

/** The identifier that names a value: the ident itself or a call's callee. */
export function headIdent(v: Value): Ident | undefined {
  return v.kind === 'ident' ? v : v.kind === 'call' ? v.callee : undefined;
}

function deriveResolution(a: Analysis, path: readonly SyntaxNode[]): Resolution | undefined {
  const node = path[path.length - 1];
  const parent = path[path.length - 2];
  if (!node || !parent || node.kind !== 'ident') return undefined;
  const scope = scopeOf(a, path);
  if (parent.kind === 'block' && node === parent.keyword) {
    const spec = a.catalog.block(node.name);
    return spec ? { kind: 'block', spec } : undefined;
  }
  if (parent.kind === 'attribute' && node === parent.name) return scope.block && scope.param ? { kind: 'attribute', block: scope.block, param: scope.param } : undefined;
  if (parent.kind === 'arg' && node === parent.name) return scope.entry && scope.param ? { kind: 'param', entry: scope.entry, param: scope.param } : undefined;
  if (parent.kind === 'statement' && node === parent.name) {
    const layer = layerNamed(a, node.name);
    return layer ? { kind: 'layer', layer, definition: true } : undefined;
  }
  if (parent.kind === 'call' && node === parent.callee) return scope.entry ? { kind: 'technique', entry: scope.entry } : undefined;
  return scope.type ? resolveValueName(a, node.name, scope.type, scope.param) : undefined;
}

/** What a bare name means where a value of `type` is expected. */
export function resolveValueName(a: Analysis, name: string, type: ParamType, param: ParamSpec | undefined): Resolution | undefined {
  const member = enumMembers(type).find((m) => m.name === name);
  if (member && param) return { kind: 'enum', param, member };
  const entry = entryFor(a.catalog, name, type);
  if (entry) return { kind: 'technique', entry };
  if (acceptsKind(type, 'layer')) {
    const layer = layerNamed(a, name);
    if (layer) return { kind: 'layer', layer, definition: false };
  }
  return undefined;
}

function withBlock(catalog: Catalog, b: BlockNode): Scope {
  const spec = catalog.block(b.keyword.name);
  return { ...(spec ? { block: spec } : {}), blockNode: b };
}

function blockPart(scope: Scope): Scope {
  return { ...(scope.block ? { block: scope.block } : {}), ...(scope.blockNode ? { blockNode: scope.blockNode } : {}) };
}

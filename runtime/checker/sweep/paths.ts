// Where a sweep path lands in the recipe: `train.optimizer.base.lr` is the `train` block, its
// `optimizer` attribute, the `base` parameter of the technique written there, and that
// technique's `lr`. A path reaches a written value (replaced per trial) or a parameter that is
// not written yet (inserted per trial). The path must exist in the recipe as written: the
// block must be there and every technique on the way must be written.

import type { Catalog, ParamSpec, ParamType, TechniqueEntry, TechniqueKind } from '../../catalog';
import type { BlockNode, CallNode, FileNode, Ident, Span, Value } from '../../language';
import type { Source } from '../source';
import { didYouMean, suggestions } from '../suggest';

/** Where a trial's value goes. */
export type PathTarget =
  /** Replace the written value at `span`. */
  | { readonly kind: 'replace'; readonly span: Span; readonly integer: boolean }
  /** Insert `name: value` into the call (or after the bare name) at `at`. */
  | { readonly kind: 'arg'; readonly at: number; readonly name: string; readonly parens: boolean; readonly first: boolean; readonly integer: boolean }
  /** Insert a `name = value` line into a block: at `at`, indented by `indent`. */
  | { readonly kind: 'line'; readonly at: number; readonly name: string; readonly indent: string; readonly integer: boolean };

export interface PathProblem {
  readonly kind: 'problem';
  readonly span: Span;
  readonly message: string;
}

/** A path completion can offer, with the doc of the value it reaches. */
export interface SweepablePath {
  readonly path: string;
  readonly doc: string;
}

/** Resolves the segments of a path (see `pathSegments`) against the recipe. */
export function resolvePath(tree: FileNode, src: Source, catalog: Catalog, segments: readonly Ident[]): PathTarget | PathProblem {
  const [blockName, attrName, ...rest] = segments;
  if (!blockName || !attrName) return problem(segments[0]?.span ?? { start: 0, end: 0 }, 'a path names a block and an attribute: data.batch, train.optimizer.lr');
  const block = tree.blocks.find((b) => b.keyword.name === blockName.name && b.keyword.name !== 'sweep');
  const spec = catalog.block(blockName.name);
  if (!block || !spec || spec.paths === true) {
    if (spec && spec.paths !== true) return problem(blockName.span, `the recipe has no ${spec.name} block to sweep`);
    const names = tree.blocks.map((b) => b.keyword.name).filter((n) => n !== 'sweep');
    return problem(blockName.span, `'${blockName.name}' is not a block of this recipe${didYouMean(suggestions(blockName.name, names))}`);
  }
  const attr = spec.attributes.find((a) => a.name === attrName.name);
  if (attr) {
    const written = block.items.find((i) => i.kind === 'attribute' && i.name.name === attr.name);
    if (written && written.kind === 'attribute') return descend(catalog, written.value, attr, rest, `${blockName.name}.${attrName.name}`);
    if (rest.length > 0) return problem(attrName.span, `${blockName.name}.${attr.name} is not written in the recipe; write it to sweep its parameters`);
    return insertLine(src, block, attr);
  }
  // Parameters of the technique after the keyword: `data.samples` for `data moons(samples: 2000)`.
  if (spec.label.kind === 'technique' && block.label) {
    const r = descendInto(catalog, block.label, [spec.label.of], segments.slice(1), blockName.name);
    if (r.kind !== 'problem') return r;
  }
  const names = [...spec.attributes.map((a) => a.name), ...labelParams(catalog, block, spec.label).map((p) => p.name)];
  return problem(attrName.span, `the ${spec.name} block has no attribute or parameter '${attrName.name}'${didYouMean(suggestions(attrName.name, names))}`);
}

/** Every path into the recipe as written, for completion: block attributes and the parameters of written techniques. */
export function sweepablePaths(tree: FileNode, catalog: Catalog): SweepablePath[] {
  const out: SweepablePath[] = [];
  for (const block of tree.blocks) {
    const spec = catalog.block(block.keyword.name);
    if (!spec || spec.paths === true) continue;
    for (const attr of spec.attributes) {
      const path = `${spec.name}.${attr.name}`;
      out.push({ path, doc: attr.doc });
      const written = block.items.find((i) => i.kind === 'attribute' && i.name.name === attr.name);
      if (written && attr.type.kind === 'technique') techniquePaths(catalog, written.value, attr.type.of, path, out, 0);
    }
    if (spec.label.kind === 'technique' && block.label) techniquePaths(catalog, block.label, [spec.label.of], spec.name, out, 0);
  }
  return out;
}

function descend(catalog: Catalog, value: Value, param: ParamSpec, rest: readonly Ident[], at: string): PathTarget | PathProblem {
  if (rest.length === 0) return { kind: 'replace', span: value.span, integer: isInteger(param.type) };
  if (param.type.kind !== 'technique') return problem(rest[0]!.span, `${at} is ${valueWord(param.type)}; it has no parameter '${rest[0]!.name}'`);
  return descendInto(catalog, value, param.type.of, rest, at);
}

function descendInto(catalog: Catalog, value: Value, kinds: readonly TechniqueKind[], rest: readonly Ident[], at: string): PathTarget | PathProblem {
  const seg = rest[0]!;
  const callee = value.kind === 'ident' ? value : value.kind === 'call' ? value.callee : undefined;
  const entry = callee ? catalog.get(callee.name, kinds) : undefined;
  if (!entry || !callee) return problem(seg.span, `${at} is not a technique the catalog knows; it has no parameter '${seg.name}'`);
  const param = entry.params.find((p) => p.name === seg.name);
  if (!param) {
    // `train.optimizer.lr` on `sam(base: sgd())`: the learning rate is the base optimizer's.
    const base = entry.baseParam !== undefined && value.kind === 'call' ? argValue(entry, value, entry.baseParam) : undefined;
    const baseEntry = base?.kind === 'ident' ? catalog.get(base.name) : base?.kind === 'call' ? catalog.get(base.callee.name) : undefined;
    const hint = baseEntry?.params.some((p) => p.name === seg.name) ? ` (did you mean ${at}.${entry.baseParam}.${seg.name}?)` : didYouMean(suggestions(seg.name, entry.params.map((p) => p.name)));
    return problem(seg.span, `${entry.name} has no parameter '${seg.name}'${hint}`);
  }
  const written = value.kind === 'call' ? argValue(entry, value, param.name) : undefined;
  const path = `${at}.${seg.name}`;
  if (written) return descend(catalog, written, param, rest.slice(1), path);
  if (rest.length > 1) return problem(seg.span, `${path} is not written in the recipe; write it to sweep its parameters`);
  if (value.kind === 'ident') return { kind: 'arg', at: value.span.end, name: param.name, parens: true, first: true, integer: isInteger(param.type) };
  if (value.kind !== 'call' || !value.close) return problem(seg.span, `the call at ${at} is not closed`);
  return { kind: 'arg', at: value.close.start, name: param.name, parens: false, first: value.args.length === 0, integer: isInteger(param.type) };
}

/** The written value of a parameter in a call, named or positional. */
function argValue(entry: TechniqueEntry, call: CallNode, name: string): Value | undefined {
  const named = call.args.find((a) => a.name?.name === name);
  if (named) return named.value;
  const positional = entry.params.filter((p) => p.positional);
  const index = positional.findIndex((p) => p.name === name);
  if (index < 0) return undefined;
  return call.args.filter((a) => !a.name)[index]?.value;
}

function techniquePaths(catalog: Catalog, value: Value, kinds: readonly TechniqueKind[], at: string, out: SweepablePath[], depth: number): void {
  const callee = value.kind === 'ident' ? value : value.kind === 'call' ? value.callee : undefined;
  const entry = callee ? catalog.get(callee.name, kinds) : undefined;
  if (!entry || depth > 3) return;
  for (const p of entry.params) {
    const path = `${at}.${p.name}`;
    out.push({ path, doc: p.doc });
    const written = value.kind === 'call' ? argValue(entry, value, p.name) : undefined;
    if (written && p.type.kind === 'technique') techniquePaths(catalog, written, p.type.of, path, out, depth + 1);
  }
}

function labelParams(catalog: Catalog, block: BlockNode, label: { readonly kind: string; readonly of?: TechniqueKind }): readonly ParamSpec[] {
  const v = block.label;
  const callee = v?.kind === 'ident' ? v : v?.kind === 'call' ? v.callee : undefined;
  return (callee && label.of ? catalog.get(callee.name, [label.of])?.params : undefined) ?? [];
}

function insertLine(src: Source, block: BlockNode, attr: ParamSpec): PathTarget | PathProblem {
  if (!block.close) return problem(block.keyword.span, `the ${block.keyword.name} block is not closed`);
  const first = block.items[0];
  const indent = first && src.startsLine(first.span.start) ? src.indentAt(first.span.start) : `${src.indentAt(block.keyword.span.start)}  `;
  const at = src.startsLine(block.close.start) ? src.lineStart(block.close.start) : block.close.start;
  return { kind: 'line', at, name: attr.name, indent: src.startsLine(block.close.start) ? indent : `\n${indent}`, integer: isInteger(attr.type) };
}

function isInteger(t: ParamType): boolean {
  return t.kind === 'number' && t.integer === true;
}

function valueWord(t: ParamType): string {
  return t.kind === 'list' ? 'a list' : t.kind === 'enum' ? 'a name' : `a ${t.kind}`;
}

function problem(span: Span, message: string): PathProblem {
  return { kind: 'problem', span, message };
}

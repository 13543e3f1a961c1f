// Blocks and their attributes: which blocks exist (unknown, duplicate, missing), the label after
// the keyword, and each attribute's value typed against the block spec, with defaults filled in.

import { isTechnique, type BlockSpec, type ParamSpec, type PlanValue, type TechniqueUse } from '../catalog';
import { CODES, type AttributeNode, type BlockNode, type FileNode, type Fix, type TextEdit } from '../language';
import { report, type Ctx } from './context';
import { describeNode, exampleText } from './describe';
import type { LayerScope } from './scope';
import { didYouMean, suggestions } from './suggest';
import { checkValue, replaceFix } from './values';
import { completeDefault } from './defaults';

/** One block as checked: its label, its attributes (defaults filled), and what was written where. */
export interface BlockResult {
  readonly node: BlockNode;
  readonly spec: BlockSpec;
  readonly label?: TechniqueUse | string;
  /** Resolved attributes: written and valid, else the default. Invalid ones are absent. */
  readonly attrs: Readonly<Record<string, PlanValue>>;
  readonly written: ReadonlyMap<string, AttributeNode>;
}

/**
 * The first block of each known keyword, in file order. Reports unknown keywords, duplicates and
 * missing required blocks. A missing block is reported with an empty span at offset 0: the
 * problem belongs to the whole file, and the first line is where a reader starts.
 */
export function collectBlocks(ctx: Ctx, file: FileNode): Map<string, { node: BlockNode; spec: BlockSpec }> {
  const found = new Map<string, { node: BlockNode; spec: BlockSpec }>();
  // A misspelled required block is one problem: its M010 (with a fix) stands for the missing block too.
  const misspelled = new Set<string>();
  for (const node of file.blocks) {
    const spec = ctx.catalog.block(node.keyword.name);
    if (!spec) {
      const s = suggestions(node.keyword.name, ctx.catalog.blocks.map((b) => b.name));
      for (const x of s) misspelled.add(x);
      const known = s.length > 0 ? '' : ` (blocks: ${ctx.catalog.blocks.map((b) => b.name).join(', ')})`;
      report(ctx, CODES.unknownBlock, 'error', node.keyword.span, `unknown block '${node.keyword.name}'${didYouMean(s)}${known}`, replaceFix(node.keyword.span, s));
      continue;
    }
    ctx.resolutions.set(node.keyword, { kind: 'block', spec });
    const first = found.get(spec.name);
    if (first) {
      const del: Fix = { title: `Remove the second ${spec.name} block`, edits: [{ span: ctx.src.lines(node.span), newText: '' }] };
      report(ctx, CODES.duplicateBlock, 'error', node.keyword.span, `the ${spec.name} block is written twice; only one is allowed`, {
        fixes: [del],
        tags: ['unnecessary'],
        related: [{ span: first.node.keyword.span, message: `first ${spec.name} block here` }],
      });
      continue;
    }
    found.set(spec.name, { node, spec });
  }
  for (const spec of ctx.catalog.blocks) {
    if (!spec.required || found.has(spec.name) || misspelled.has(spec.name)) continue;
    const text = ctx.src.text;
    const sep = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    const fix: Fix = { title: `Add a ${spec.name} block`, edits: [{ span: { start: ctx.length, end: ctx.length }, newText: sep + skeleton(ctx, spec) }], preferred: true };
    report(ctx, CODES.missingBlock, 'error', { start: 0, end: 0 }, `the recipe has no ${spec.name} block`, { fixes: [fix] });
  }
  return found;
}

/** Resolves a block's label: a technique (`data digits`), a string (`recipe "x"`) or nothing. */
export function checkLabel(ctx: Ctx, node: BlockNode, spec: BlockSpec, scope: LayerScope): TechniqueUse | string | undefined {
  const label = node.label;
  const want = spec.label;
  if (want.kind === 'none') {
    if (label) {
      const fix: Fix = { title: 'Remove the label', edits: [{ span: { start: node.keyword.span.end, end: label.span.end }, newText: '' }] };
      report(ctx, CODES.typeMismatch, 'error', label.span, `the ${spec.name} block takes no label, found ${describeNode(label)}`, { fixes: [fix] });
    }
    return undefined;
  }
  if (!label) {
    if (!want.required) return undefined;
    const example = want.kind === 'string' ? '"name"' : exampleText({ kind: 'technique', of: [want.of] }, ctx.catalog);
    const fix: Fix = { title: `Add ${example}`, edits: [{ span: { start: node.keyword.span.end, end: node.keyword.span.end }, newText: ` ${example}` }], preferred: true };
    report(ctx, CODES.missingValue, 'error', node.keyword.span, `the ${spec.name} block needs ${want.kind === 'string' ? 'a name' : `a source after the keyword`}: ${spec.name} ${example} { … }`, { fixes: [fix] });
    return undefined;
  }
  const param: ParamSpec = { name: spec.name, type: want.kind === 'string' ? { kind: 'string' } : { kind: 'technique', of: [want.of] }, doc: spec.summary };
  const v = checkValue(ctx, label, param, scope);
  return typeof v === 'string' || isTechnique(v) ? v : undefined;
}

/** Checks the `name = value` items of a block; bare statements are reported unless the block takes them. */
export function checkAttributes(ctx: Ctx, node: BlockNode, spec: BlockSpec, scope: LayerScope): BlockResult {
  const attrs: Record<string, PlanValue> = {};
  const written = new Map<string, AttributeNode>();
  const invalid = new Set<string>();
  // A misspelled required attribute is reported once, as unknown (with a fix), not also as missing.
  const misspelled = new Set<string>();
  for (const item of node.items) {
    if (item.kind === 'statement') {
      if (!spec.statements) report(ctx, CODES.syntax, 'error', item.span, `the ${spec.name} block holds only attributes written as \`name = value\``);
      continue;
    }
    // Dotted paths (sweep values) are checked by sweep.ts against the rest of the recipe.
    if (spec.paths === true && item.name.name.includes('.')) continue;
    const param = spec.attributes.find((a) => a.name === item.name.name);
    if (!param) {
      const s = suggestions(item.name.name, spec.attributes.map((a) => a.name));
      for (const x of s) misspelled.add(x);
      const known = s.length > 0 ? '' : ` (attributes: ${spec.attributes.map((a) => a.name).join(', ')})`;
      report(ctx, CODES.unknownAttribute, 'error', item.name.span, `the ${spec.name} block has no attribute '${item.name.name}'${didYouMean(s)}${known}`, replaceFix(item.name.span, s));
      continue;
    }
    ctx.resolutions.set(item.name, { kind: 'attribute', block: spec, param });
    const first = written.get(param.name);
    if (first) {
      const del: Fix = { title: `Remove the second ${param.name}`, edits: [{ span: ctx.src.lines(item.span), newText: '' }] };
      report(ctx, CODES.duplicateAttribute, 'error', item.span, `${param.name} is set twice in the ${spec.name} block`, { fixes: [del], tags: ['unnecessary'], related: [{ span: first.span, message: `first ${param.name} here` }] });
      continue;
    }
    written.set(param.name, item);
    const v = checkValue(ctx, item.value, param, scope);
    if (v === undefined) invalid.add(param.name);
    else attrs[param.name] = v;
  }
  for (const param of spec.attributes) {
    if (written.has(param.name)) continue;
    if (param.default !== undefined) attrs[param.name] = completeDefault(param.default, ctx.catalog);
    else if (param.required && !misspelled.has(param.name)) {
      const text = `${param.name} = ${exampleText(param.type, ctx.catalog)}`;
      const fix: Fix = { title: `Add ${text}`, edits: [insertAttribute(ctx, node, text)], preferred: true };
      report(ctx, CODES.missingValue, 'error', node.keyword.span, `the ${spec.name} block needs ${param.name}: ${text}`, { fixes: [fix] });
    }
  }
  // Block rules only run when every attribute they could read resolved.
  if (invalid.size === 0) {
    for (const rule of spec.rules ?? []) {
      if (!rule.when(attrs)) continue;
      const at = (rule.param !== undefined ? written.get(rule.param)?.value.span : undefined) ?? node.keyword.span;
      report(ctx, rule.severity === 'error' ? CODES.outOfRange : CODES.unusualValue, rule.severity, at, rule.message);
    }
  }
  return { node, spec, attrs, written };
}

/** An edit inserting `text` as a new attribute line just before the block's `}`, indented like its items. */
export function insertAttribute(ctx: Ctx, node: BlockNode, text: string): TextEdit {
  const src = ctx.src;
  const first = node.items[0];
  const indent = first && src.startsLine(first.span.start) ? src.indentAt(first.span.start) : `${src.indentAt(node.keyword.span.start)}  `;
  if (node.close && src.startsLine(node.close.start)) {
    const at = src.lineStart(node.close.start);
    return { span: { start: at, end: at }, newText: `${indent}${text}\n` };
  }
  if (node.close) return { span: { start: node.close.start, end: node.close.start }, newText: `\n${indent}${text}\n${src.indentAt(node.keyword.span.start)}` };
  return { span: { start: node.span.end, end: node.span.end }, newText: `\n${indent}${text}` };
}

/** A minimal valid block for a missing required block: its label and required attributes. */
function skeleton(ctx: Ctx, spec: BlockSpec): string {
  const label = spec.label.kind === 'technique' ? ` ${exampleText({ kind: 'technique', of: [spec.label.of] }, ctx.catalog)}` : spec.label.kind === 'string' && spec.label.required ? ' "name"' : '';
  const lines = spec.attributes.filter((a) => a.required).map((a) => `  ${a.name} = ${exampleText(a.type, ctx.catalog)}\n`);
  return `${spec.name}${label} {\n${lines.join('')}}\n`;
}

// Technique values: an identifier (`relu`) or a call (`sam(rho: 0.05, base: sgd())`) naming a
// catalog entry of the kinds the place accepts. Arguments are mapped (positional by the entry's
// `positional` params in order, then named), typed, defaulted, and the entry's rules run on the
// result.

import type { ParamSpec, PlanValue, TechniqueEntry, TechniqueKind, TechniqueUse } from '../catalog';
import { CODES, type ArgNode, type CallNode, type Fix, type Ident, type Span, type Value } from '../language';
import { errorsSince, mark, report, type Ctx } from './context';
import { describeNode, exampleText, kindNoun, kindPhrase } from './describe';
import type { LayerScope } from './scope';
import { didYouMean, suggestions } from './suggest';
import { checkValue, replaceFix } from './values';
import { completeDefault } from './defaults';

/** Resolves a technique value; undefined (with diagnostics) when it or any of its arguments is wrong. */
export function checkTechnique(ctx: Ctx, node: Value, kinds: readonly TechniqueKind[], spec: ParamSpec, scope: LayerScope): TechniqueUse | undefined {
  if (node.kind !== 'ident' && node.kind !== 'call') {
    report(ctx, CODES.typeMismatch, 'error', node.span, `expected ${kindPhrase(kinds)}, found ${describeNode(node)}`);
    return undefined;
  }
  const entry = lookup(ctx, node, kinds, spec.name);
  return entry ? checkArgs(ctx, entry, node, scope) : undefined;
}

/** Finds the entry a callee names, reporting unknown names and names of the wrong kind. */
export function lookup(ctx: Ctx, node: Ident | CallNode, kinds: readonly TechniqueKind[], place: string): TechniqueEntry | undefined {
  const callee = node.kind === 'ident' ? node : node.callee;
  const entry = ctx.catalog.get(callee.name, kinds);
  if (entry) {
    ctx.resolutions.set(callee, { kind: 'technique', entry });
    return entry;
  }
  const other = ctx.catalog.get(callee.name);
  if (other) {
    report(ctx, CODES.wrongKind, 'error', callee.span, `'${callee.name}' is ${kindPhrase([other.kind])}; \`${place}\` takes ${kindPhrase(kinds)}`);
    return undefined;
  }
  const names = ctx.catalog.ofKind(kinds).map((e) => e.name);
  const s = suggestions(callee.name, names);
  const listed = s.length > 0 ? '' : names.length ? ` (known: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''})` : '';
  report(ctx, CODES.unknownName, 'error', callee.span, `unknown ${kindNoun(kinds)} '${callee.name}'${didYouMean(s)}${listed}`, replaceFix(callee.span, s));
  return undefined;
}

/** Maps, checks and defaults the arguments of a resolved entry, then runs its rules. */
export function checkArgs(ctx: Ctx, entry: TechniqueEntry, node: Ident | CallNode, scope: LayerScope): TechniqueUse | undefined {
  const start = mark(ctx);
  const callee = node.kind === 'ident' ? node : node.callee;
  const args = node.kind === 'call' ? node.args : [];
  const written = new Map<string, { arg: ArgNode; value: PlanValue | undefined }>();
  const positional = entry.params.filter((p) => p.positional);
  let nextPositional = 0;
  let sawNamed = false;
  args.forEach((arg, i) => {
    const param = paramFor(ctx, entry, arg, positional, nextPositional, sawNamed);
    if (arg.name) sawNamed = true;
    else nextPositional++;
    if (!param) return;
    if (written.has(param.name)) {
      const prev = args[i - 1];
      const del: Fix = { title: `Remove the second ${param.name}`, edits: [{ span: { start: prev ? prev.span.end : arg.span.start, end: arg.span.end }, newText: '' }] };
      report(ctx, CODES.duplicateAttribute, 'error', arg.span, `${param.name} is given twice`, { fixes: [del], tags: ['unnecessary'], related: [{ span: written.get(param.name)!.arg.span, message: `first ${param.name} here` }] });
      return;
    }
    written.set(param.name, { arg, value: checkValue(ctx, arg.value, param, scope) });
  });
  // A misspelled required argument is reported once, as unknown (with a fix), not also as missing.
  const unknown = args.filter((a) => a.name && !entry.params.some((p) => p.name === a.name?.name));
  const names = unknown.length > 0 ? entry.params.map((p) => p.name) : [];
  const misspelled = unknown.length > 0 ? new Set(unknown.flatMap((a) => suggestions(a.name?.name ?? '', names))) : undefined;
  for (const p of entry.params) if (p.required && !written.has(p.name) && !misspelled?.has(p.name)) missingParam(ctx, entry, p, node, callee);
  if (errorsSince(ctx, start)) return undefined;
  const values: Record<string, PlanValue> = {};
  for (const p of entry.params) {
    const w = written.get(p.name)?.value;
    const v = w ?? (p.default === undefined ? undefined : completeDefault(p.default, ctx.catalog));
    if (v !== undefined) values[p.name] = v;
  }
  for (const rule of entry.rules ?? []) {
    if (!rule.when(values)) continue;
    const at = (rule.param !== undefined ? written.get(rule.param)?.arg.value.span : undefined) ?? callee.span;
    report(ctx, rule.severity === 'error' ? CODES.outOfRange : CODES.unusualValue, rule.severity, at, rule.message);
  }
  if (errorsSince(ctx, start)) return undefined;
  return { kind: 'technique', name: entry.name, entryKind: entry.kind, args: values };
}

function paramFor(ctx: Ctx, entry: TechniqueEntry, arg: ArgNode, positional: readonly ParamSpec[], index: number, sawNamed: boolean): ParamSpec | undefined {
  if (arg.name) {
    const name = arg.name;
    const param = entry.params.find((p) => p.name === name.name);
    if (param) {
      ctx.resolutions.set(name, { kind: 'param', entry, param });
      return param;
    }
    const s = suggestions(name.name, entry.params.map((p) => p.name));
    const known = entry.params.length ? ` (parameters: ${entry.params.map((p) => p.name).join(', ')})` : ' (it takes no parameters)';
    report(ctx, CODES.unknownParameter, 'error', name.span, `${entry.name} has no parameter '${name.name}'${didYouMean(s)}${s.length > 0 ? '' : known}`, replaceFix(name.span, s));
    return undefined;
  }
  if (sawNamed) {
    report(ctx, CODES.badArgument, 'error', arg.span, `a positional argument cannot follow named arguments; write it as \`name: value\``);
    return undefined;
  }
  const param = positional[index];
  if (!param) {
    const what = positional.length === 0 ? 'no positional arguments; name them as `name: value`' : `at most ${positional.length} positional argument${positional.length > 1 ? 's' : ''} (${positional.map((p) => p.name).join(', ')})`;
    report(ctx, CODES.badArgument, 'error', arg.span, `${entry.name} takes ${what}`);
    return undefined;
  }
  return param;
}

function missingParam(ctx: Ctx, entry: TechniqueEntry, p: ParamSpec, node: Ident | CallNode, callee: Ident): void {
  const isBase = entry.kind === 'wrapper' && p.name === entry.baseParam;
  // A wrapper's example base is plain SGD: it exists in every catalog and needs no arguments.
  const example = isBase && ctx.catalog.get('sgd', ['optimizer']) ? 'sgd(lr: 0.1)' : exampleText(p.type, ctx.catalog);
  const text = `${p.name}: ${example}`;
  const fix: Fix = { title: `Add ${text}`, edits: [insertArg(node, text)], preferred: true };
  if (isBase) report(ctx, CODES.missingBase, 'error', callee.span, `${entry.name} needs a base optimizer: ${entry.name}(${p.name}: sgd(lr: 0.1))`, { fixes: [fix] });
  else report(ctx, CODES.missingValue, 'error', callee.span, `${entry.name} needs ${p.name}: ${entry.name}(${p.name}: …)`, { fixes: [fix] });
}

function insertArg(node: Ident | CallNode, text: string): { span: Span; newText: string } {
  if (node.kind === 'ident') return { span: { start: node.span.end, end: node.span.end }, newText: `(${text})` };
  const last = node.args[node.args.length - 1];
  if (last) return { span: { start: last.span.end, end: last.span.end }, newText: `, ${text}` };
  return { span: { start: node.open.end, end: node.open.end }, newText: node.close ? text : `${text})` };
}

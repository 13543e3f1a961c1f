// Checks one written value against the ParamType it is expected to have and resolves it to a
// PlanValue. Problems are reported (one per problem) and yield `undefined`; `missing` and `error`
// nodes were reported by the parser and yield `undefined` silently.

import type { ParamSpec, ParamType, PlanValue } from '../catalog';
import { CODES, type Fix, type Value } from '../language';
import { report, type Ctx } from './context';
import { describeNode, typeName } from './describe';
import type { LayerScope } from './scope';
import { didYouMean, suggestions } from './suggest';
import { checkTechnique } from './techniques';

export function checkValue(ctx: Ctx, node: Value, spec: ParamSpec, scope: LayerScope): PlanValue | undefined {
  ctx.expected.set(node, spec);
  if (node.kind === 'missing' || node.kind === 'error') return undefined;
  const t = spec.type;
  switch (t.kind) {
    case 'number':
      return checkNumber(ctx, node, spec, t);
    case 'fraction':
      return checkFraction(ctx, node, spec, t);
    case 'duration':
      return checkDuration(ctx, node, spec);
    case 'ratio':
      return checkRatio(ctx, node, spec);
    case 'string':
    case 'path':
      if (node.kind === 'string') return node.value;
      return mismatch(ctx, node, t);
    case 'bool':
      if (node.kind === 'bool') return node.value;
      return mismatch(ctx, node, t);
    case 'enum': {
      if (node.kind !== 'ident') return mismatch(ctx, node, t);
      const member = t.members.find((m) => m.name === node.name);
      if (member) {
        ctx.resolutions.set(node, { kind: 'enum', param: spec, member });
        return member.name;
      }
      const s = suggestions(node.name, t.members.map((m) => m.name));
      report(ctx, CODES.unknownName, 'error', node.span, `unknown value '${node.name}' for ${spec.name}${didYouMean(s)}${s.length > 0 ? '' : ` (expected ${typeName(t)})`}`, replaceFix(node.span, s));
      return undefined;
    }
    case 'technique':
      return checkTechnique(ctx, node, t.of, spec, scope);
    case 'layer':
      return checkLayerRef(ctx, node, scope);
    case 'list': {
      if (node.kind !== 'list') {
        const wrap: Fix = { title: 'Wrap in a list', edits: [{ span: { start: node.span.start, end: node.span.start }, newText: '[' }, { span: { start: node.span.end, end: node.span.end }, newText: ']' }] };
        report(ctx, CODES.typeMismatch, 'error', node.span, `expected ${typeName(t)} in brackets such as [${node.kind === 'ident' ? node.name : ctx.src.text.slice(node.span.start, node.span.end) || '…'}], found ${describeNode(node)}`, { fixes: [wrap] });
        return undefined;
      }
      const item: ParamSpec = { ...spec, type: t.of };
      const out: PlanValue[] = [];
      let ok = true;
      for (const v of node.items) {
        const r = checkValue(ctx, v, item, scope);
        if (r === undefined) ok = false;
        else out.push(r);
      }
      return ok ? out : undefined;
    }
    case 'union': {
      const pick = t.of.find((m) => fits(node, m, ctx, scope)) ?? t.of.find((m) => shallowFits(node, m));
      if (!pick) return mismatch(ctx, node, t);
      return checkValue(ctx, node, { ...spec, type: pick }, scope);
    }
  }
}

/**
 * One quick fix per did-you-mean candidate. Only a sole candidate is preferred (applied by "fix
 * all"): among equally close ones, the user chooses.
 */
export function replaceFix(at: { start: number; end: number }, candidates: readonly string[]): { fixes?: Fix[] } {
  if (candidates.length === 0) return {};
  const preferred = candidates.length === 1;
  return { fixes: candidates.map((s) => ({ title: `Change to '${s}'`, edits: [{ span: at, newText: s }], ...(preferred ? { preferred: true } : {}) })) };
}

function mismatch(ctx: Ctx, node: Value, t: ParamType, fixes?: Fix[]): undefined {
  report(ctx, CODES.typeMismatch, 'error', node.span, `expected ${typeName(t)}, found ${describeNode(node)}`, fixes ? { fixes } : {});
  return undefined;
}

function checkNumber(ctx: Ctx, node: Value, spec: ParamSpec, t: Extract<ParamType, { kind: 'number' }>): number | undefined {
  if (node.kind !== 'number') return mismatch(ctx, node, t);
  const v = node.value;
  if (t.integer && !Number.isInteger(v)) return mismatch(ctx, node, t);
  const bound = rangeProblem(v, t.min, t.max, t.minExclusive, t.maxExclusive);
  if (bound) {
    report(ctx, CODES.outOfRange, 'error', node.span, `${spec.name} must be ${bound}, found ${node.text}`);
    return undefined;
  }
  return v;
}

function checkFraction(ctx: Ctx, node: Value, spec: ParamSpec, t: Extract<ParamType, { kind: 'fraction' }>): number | undefined {
  if (node.kind !== 'number' && node.kind !== 'percent') return mismatch(ctx, node, t);
  const v = node.value;
  if (node.kind === 'number' && v > 1 && v <= 100) {
    // `sparsity = 80` almost always means 80%.
    const fix: Fix = { title: `Change to ${node.text}%`, edits: [{ span: { start: node.span.end, end: node.span.end }, newText: '%' }], preferred: true };
    report(ctx, CODES.outOfRange, 'error', node.span, `${spec.name} must be a fraction between 0 and 1, found ${node.text}; did you mean ${node.text}%?`, { fixes: [fix] });
    return undefined;
  }
  const show = node.kind === 'percent' ? (n: number) => `${n * 100}%` : String;
  const bound = rangeProblem(v, 0, 1, t.minExclusive, t.maxExclusive, show);
  if (bound) {
    report(ctx, CODES.outOfRange, 'error', node.span, `${spec.name} must be ${bound}, found ${node.text}`);
    return undefined;
  }
  return v;
}

function checkDuration(ctx: Ctx, node: Value, spec: ParamSpec): PlanValue | undefined {
  const t: ParamType = { kind: 'duration' };
  if (node.kind === 'number') {
    const fixes: Fix[] | undefined = Number.isInteger(node.value) && node.value >= 0 ? [{ title: `Change to ${node.text}ep`, edits: [{ span: { start: node.span.end, end: node.span.end }, newText: 'ep' }], preferred: true }] : undefined;
    return mismatch(ctx, node, t, fixes);
  }
  if (node.kind !== 'duration') return mismatch(ctx, node, t);
  // Unknown units were reported by the lexer.
  if (node.unit !== 'ep' && node.unit !== 'step') return undefined;
  if (!(node.value >= 0)) {
    report(ctx, CODES.outOfRange, 'error', node.span, `${spec.name} must be ≥ 0, found ${node.text}`);
    return undefined;
  }
  if (node.unit === 'step' && !Number.isInteger(node.value)) {
    report(ctx, CODES.typeMismatch, 'error', node.span, `expected a whole number of steps, found ${node.text}`);
    return undefined;
  }
  return { kind: 'duration', value: node.value, unit: node.unit };
}

function checkRatio(ctx: Ctx, node: Value, spec: ParamSpec): PlanValue | undefined {
  if (node.kind !== 'ratio') return mismatch(ctx, node, { kind: 'ratio' });
  if (node.n < 1 || node.m < 1 || node.n > node.m) {
    const why = node.n < 1 ? 'N must be at least 1' : node.m < 1 ? 'M must be at least 1' : 'N cannot exceed M';
    report(ctx, CODES.outOfRange, 'error', node.span, `${spec.name} ${node.text} is not a valid N:M pattern: ${why} (keep N of every M weights)`);
    return undefined;
  }
  return { kind: 'ratio', n: node.n, m: node.m };
}

function checkLayerRef(ctx: Ctx, node: Value, scope: LayerScope): PlanValue | undefined {
  if (node.kind !== 'ident') return mismatch(ctx, node, { kind: 'layer' });
  if (!scope.known) return { kind: 'layer', name: node.name };
  const layer = scope.find(node.name);
  if (!layer) {
    const s = suggestions(node.name, scope.names());
    const known = scope.names();
    report(ctx, CODES.unknownLayer, 'error', node.span, `unknown layer '${node.name}'${didYouMean(s)}${s.length > 0 ? '' : known.length ? ` (layers: ${known.join(', ')})` : ' (the model has no layers)'}`, replaceFix(node.span, s));
    return undefined;
  }
  ctx.resolutions.set(node, { kind: 'layer', layer, definition: false });
  scope.addRef(layer, node.span);
  return { kind: 'layer', name: layer.name };
}

/** `≥ 0`, `> 0 and ≤ 1`, … when `v` is outside the bounds, else undefined. */
function rangeProblem(v: number, min: number | undefined, max: number | undefined, minEx?: boolean, maxEx?: boolean, show: (n: number) => string = String): string | undefined {
  const loOk = min === undefined || (minEx ? v > min : v >= min);
  const hiOk = max === undefined || (maxEx ? v < max : v <= max);
  if (loOk && hiOk) return undefined;
  const lo = min === undefined ? undefined : `${minEx ? '>' : '≥'} ${show(min)}`;
  const hi = max === undefined ? undefined : `${maxEx ? '<' : '≤'} ${show(max)}`;
  return lo && hi ? `${lo} and ${hi}` : (lo ?? hi);
}

/** Would `node` check cleanly against `t`? Used to pick a member of a union without reporting. */
function fits(node: Value, t: ParamType, ctx: Ctx, scope: LayerScope): boolean {
  if (!shallowFits(node, t)) return false;
  if (node.kind === 'ident') {
    if (t.kind === 'enum') return t.members.some((m) => m.name === node.name);
    if (t.kind === 'technique') return ctx.catalog.get(node.name, t.of) !== undefined;
    if (t.kind === 'layer') return !scope.known || scope.find(node.name) !== undefined;
  }
  if (node.kind === 'number' && t.kind === 'number') return rangeProblem(node.value, t.min, t.max, t.minExclusive, t.maxExclusive) === undefined && (!t.integer || Number.isInteger(node.value));
  return true;
}

function shallowFits(node: Value, t: ParamType): boolean {
  switch (t.kind) {
    case 'number':
      return node.kind === 'number';
    case 'fraction':
      return node.kind === 'number' || node.kind === 'percent';
    case 'duration':
      return node.kind === 'duration';
    case 'ratio':
      return node.kind === 'ratio';
    case 'string':
    case 'path':
      return node.kind === 'string';
    case 'bool':
      return node.kind === 'bool';
    case 'enum':
    case 'layer':
      return node.kind === 'ident';
    case 'technique':
      return node.kind === 'ident' || node.kind === 'call';
    case 'list':
      return node.kind === 'list';
    case 'union':
      return t.of.some((m) => shallowFits(node, m));
  }
}

// Expansion: a sweep's trials (grid products or seeded random draws) and each trial's own recipe
// text, made by editing the recipe's text: the sweep block removed, each swept value replaced or
// inserted where its path lands. The text is what the trial runs and what the checker checks,
// so what validates is exactly what runs. Each edit remembers the sweep value it came from, so
// a diagnostic inside it can be shown on that value.

import type { Span } from '../../language';
import type { Source } from '../source';
import type { PathTarget } from './paths';
import { prng } from './prng';
import type { SweepPath, SweepSpec, WrittenValue } from './spec';

/** One path's value in one trial. */
export interface Assignment {
  readonly path: string;
  /** The value as written into the trial's recipe. */
  readonly text: string;
  /** The sweep value it comes from: a list item, or the distribution call that drew it. */
  readonly source: Span;
}

export interface Trial {
  /** 0-based, in expansion order. */
  readonly index: number;
  readonly assignments: readonly Assignment[];
}

/** A trial's recipe text, and where its edits sit in it. */
export interface TrialText {
  readonly text: string;
  readonly edits: readonly AppliedEdit[];
}

export interface AppliedEdit {
  /** The replaced span of the original text. */
  readonly base: Span;
  /** Where the new text sits in the trial's text. */
  readonly trial: Span;
  /** The sweep value it comes from; absent on the entry for a whole edit (the value's own entry has it). */
  readonly source?: Span;
}

export interface Resolved {
  readonly path: SweepPath;
  readonly target: PathTarget;
}

/** Every trial of the sweep, in order: grid points with the last path varying fastest, or `trials` seeded draws. */
export function expandTrials(spec: SweepSpec, resolved: readonly Resolved[]): Trial[] {
  if (spec.strategy === 'grid') {
    let points: Assignment[][] = [[]];
    for (const { path } of resolved) {
      if (path.values.kind !== 'list') return [];
      const items = path.values.items;
      points = points.flatMap((p) => items.map((v) => [...p, { path: path.path, text: v.text, source: v.span }]));
    }
    return points.map((assignments, index) => ({ index, assignments }));
  }
  const next = prng(spec.seed);
  const trials: Trial[] = [];
  for (let index = 0; index < (spec.trials ?? 0); index++) {
    trials.push({ index, assignments: resolved.map((r) => draw(r, next)) });
  }
  return trials;
}

/** The values each path may take alone: its list items, or a range's two ends (what a single-value check tries). */
export function singleValues(r: Resolved): Assignment[] {
  const v = r.path.values;
  if (v.kind === 'list') return v.items.map((i) => ({ path: r.path.path, text: i.text, source: i.span }));
  return [v.low, v.high].map((end) => ({ path: r.path.path, text: r.target.integer ? String(Math.round(end.value)) : end.text, source: end.span }));
}

/** The recipe of one trial: `text` with the sweep blocks removed and the assignments applied. */
export function trialText(src: Source, sweepBlocks: readonly Span[], resolved: readonly Resolved[], assignments: readonly Assignment[]): TrialText {
  interface Edit {
    readonly base: Span;
    readonly parts: readonly { readonly text: string; readonly source?: Span }[];
  }
  const edits: Edit[] = sweepBlocks.map((s) => ({ base: src.lines(s), parts: [{ text: '' }] }));
  // Arguments and lines inserted at the same place are joined into one edit.
  const inserts = new Map<number, { target: PathTarget; items: { name: string; text: string; source: Span }[] }>();
  for (const a of assignments) {
    const target = resolved.find((r) => r.path.path === a.path)?.target;
    if (!target) continue;
    if (target.kind === 'replace') {
      edits.push({ base: target.span, parts: [{ text: a.text, source: a.source }] });
      continue;
    }
    const group = inserts.get(target.at) ?? { target, items: [] };
    group.items.push({ name: target.name, text: a.text, source: a.source });
    inserts.set(target.at, group);
  }
  for (const [at, { target, items }] of inserts) {
    const parts: { text: string; source?: Span }[] = [];
    if (target.kind === 'line') {
      items.forEach((i, k) => parts.push({ text: `${k === 0 ? target.indent : target.indent.replace(/^\n/, '')}${i.name} = ` }, { text: i.text, source: i.source }, { text: '\n' }));
    } else if (target.kind === 'arg') {
      if (target.parens) parts.push({ text: '(' });
      items.forEach((i, k) => parts.push({ text: `${k === 0 && (target.parens || target.first) ? '' : ', '}${i.name}: ` }, { text: i.text, source: i.source }));
      if (target.parens) parts.push({ text: ')' });
    }
    edits.push({ base: { start: at, end: at }, parts });
  }
  edits.sort((a, b) => a.base.start - b.base.start || a.base.end - b.base.end);
  let out = '';
  let pos = 0;
  const applied: AppliedEdit[] = [];
  for (const e of edits) {
    if (e.base.start < pos) continue; // overlapping edits cannot happen for distinct paths; keep the first
    out += src.text.slice(pos, e.base.start);
    const start = out.length;
    for (const p of e.parts) {
      const s = out.length;
      out += p.text;
      if (p.source) applied.push({ base: e.base, trial: { start: s, end: out.length }, source: p.source });
    }
    applied.push({ base: e.base, trial: { start, end: out.length } });
    pos = e.base.end;
  }
  out += src.text.slice(pos);
  return { text: out, edits: applied };
}

/** Maps a span of a trial's text back: to the sweep value it came from, or to the original text. */
export function mapBack(t: TrialText, span: Span): { readonly span: Span; readonly source?: Span } {
  for (const e of t.edits) {
    if (e.source && span.start < e.trial.end && span.end > e.trial.start) return { span: e.source, source: e.source };
    if (e.source && span.start === span.end && span.start >= e.trial.start && span.start <= e.trial.end) return { span: e.source, source: e.source };
  }
  const back = (o: number) => {
    let shift = 0;
    for (const e of t.edits) if (!e.source && o >= e.trial.end) shift = e.base.end - e.trial.end;
    return o + shift;
  };
  return { span: { start: back(span.start), end: back(span.end) } };
}

function draw(r: Resolved, next: () => number): Assignment {
  const v = r.path.values;
  const u = next();
  if (v.kind === 'list') {
    const item: WrittenValue = v.items[Math.min(v.items.length - 1, Math.floor(u * v.items.length))]!;
    return { path: r.path.path, text: item.text, source: item.span };
  }
  const x = v.kind === 'uniform' ? v.low.value + u * (v.high.value - v.low.value) : Math.exp(Math.log(v.low.value) + u * (Math.log(v.high.value) - Math.log(v.low.value)));
  return { path: r.path.path, text: r.target.integer ? String(Math.round(x)) : String(Number(x.toPrecision(4))), source: v.span };
}

// The fuzz harness shared by the CI fuzz test (server/test/fuzz.test.ts) and the long run
// (bench/fuzz.ts): one mutated recipe through analyze() and every editor feature, with the
// properties every answer must have. It lives outside any `test/` folder so node does not run it.

import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type * as lsp from 'vscode-languageserver';
import { analyze, type Analysis } from '../runtime/analysis';
import { format } from '../runtime/language';
import { fixtureRecipes } from '../runtime/testing/files';
import { Rng, mutate, vocabulary } from '../runtime/testing/fuzz';
import * as features from '../server/features';

/** No single handler call may take longer than this. */
export const HANDLER_LIMIT_MS = 1000;

export interface FuzzFailure {
  readonly seed: number;
  readonly index: number;
  readonly handler: string;
  readonly problem: string;
  readonly text: string;
}

export interface FuzzStats {
  cases: number;
  calls: number;
  /** Slowest call per handler, in ms. */
  readonly slowest: Map<string, number>;
  /** Total time per handler, in ms. */
  readonly total: Map<string, number>;
}

export interface FuzzCorpus {
  readonly recipes: readonly string[];
  readonly vocab: readonly string[];
}

export function loadCorpus(): FuzzCorpus {
  const recipes = fixtureRecipes().map((f) => fs.readFileSync(f, 'utf8'));
  if (recipes.length === 0) throw new Error('no fixture recipes under test-fixtures/ (run from the repository root)');
  return { recipes, vocab: vocabulary() };
}

export function newStats(): FuzzStats {
  return { cases: 0, calls: 0, slowest: new Map(), total: new Map() };
}

/** The mutant for case `index` of a run with `seed`: each case reproduces on its own. */
export function mutant(corpus: FuzzCorpus, seed: number, index: number): string {
  const rng = new Rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  return mutate(rng.pick(corpus.recipes), rng, corpus.vocab);
}

/** Runs one case; returns the first broken property, or undefined. */
export function runCase(corpus: FuzzCorpus, seed: number, index: number, stats: FuzzStats): FuzzFailure | undefined {
  const text = mutant(corpus, seed, index);
  const rng = new Rng(seed ^ Math.imul(index + 7, 0x27d4eb2f));
  const offsets = [rng.int(text.length + 1), rng.int(text.length + 1), text.length];
  const problem = checkDocument(text, offsets.map((o) => [o, rng.int(text.length + 1)]), stats);
  return problem && { seed, index, ...problem, text };
}

/** A broken property: the handler and what was wrong with its answer. */
export interface DocumentProblem {
  readonly handler: string;
  readonly problem: string;
}

/**
 * Runs `text` through analyze(), the formatter and every editor feature: the whole-document ones
 * once, the positional ones at each `[offset, other]` pair (`other` ends the range given to code
 * actions and ranged inlay hints). Returns the first broken property, or undefined.
 */
export function checkDocument(text: string, positions: readonly (readonly [number, number])[], stats: FuzzStats): DocumentProblem | undefined {
  // Problems are told apart from answers by identity, so no answer can pass for one.
  const problems = new WeakSet<DocumentProblem>();
  const fail = (handler: string, problem: string): DocumentProblem => {
    const p = { handler, problem };
    problems.add(p);
    return p;
  };
  const isProblem = (x: unknown): x is DocumentProblem => typeof x === 'object' && x !== null && problems.has(x as DocumentProblem);
  const lineLengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
  stats.cases++;
  const uri = 'file:///fuzz.minima';
  const call = <T>(name: string, f: () => T): T | DocumentProblem => {
    const t0 = performance.now();
    let result: T;
    try {
      result = f();
    } catch (e) {
      return fail(name, `threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const ms = performance.now() - t0;
    stats.calls++;
    stats.total.set(name, (stats.total.get(name) ?? 0) + ms);
    if (ms > (stats.slowest.get(name) ?? 0)) stats.slowest.set(name, ms);
    if (ms > HANDLER_LIMIT_MS) return fail(name, `took ${ms.toFixed(0)} ms (limit ${HANDLER_LIMIT_MS} ms)`);
    const bad = badRanges(result, lineLengths);
    if (bad !== undefined) return fail(name, bad);
    return result;
  };
  const analyzed = call('analyze', () => analyze(text));
  if (isProblem(analyzed)) return analyzed;
  const an: Analysis = analyzed;
  for (const d of an.diagnostics) {
    if (!(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= text.length)) return fail('analyze', `diagnostic ${d.code} has span ${JSON.stringify(d.span)} outside [0, ${text.length}]`);
  }
  const diags = call('diagnostics', () => features.diagnostics(an, uri));
  if (isProblem(diags)) return diags;
  const whole: lsp.Range = { start: { line: 0, character: 0 }, end: an.lines.position(text.length) };
  const once: [string, () => unknown][] = [
    ['documentSymbols', () => features.documentSymbols(an)],
    ['semanticTokens', () => features.semanticTokens(an)],
    ['foldingRanges', () => features.foldingRanges(an)],
    ['formatting', () => features.formatting(an, { tabSize: 2, insertSpaces: true })],
    ['inlayHints', () => features.inlayHints(an, whole)],
  ];
  for (const [name, f] of once) {
    const r = call(name, f);
    if (isProblem(r)) return r;
  }
  for (const [offset, otherOffset] of positions) {
    const pos = an.lines.position(offset);
    const p: lsp.Position = { line: pos.line, character: pos.character };
    const other = an.lines.position(otherOffset);
    const range: lsp.Range = offset <= an.lines.offset(other) ? { start: p, end: { ...other } } : { start: { ...other }, end: p };
    const context: lsp.CodeActionContext = { diagnostics: diags.filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line) };
    const atPos: [string, () => unknown][] = [
      ['completion', () => features.completion(an, p)],
      ['hover', () => features.hover(an, p)],
      ['signatureHelp', () => features.signatureHelp(an, p)],
      ['definition', () => features.definition(an, uri, p)],
      ['references', () => features.references(an, uri, p, true)],
      ['prepareRename', () => features.prepareRename(an, p)],
      ['rename', () => features.rename(an, uri, p, 'renamed_1')],
      ['codeActions', () => features.codeActions(an, uri, range, context)],
      ['inlayHints(range)', () => features.inlayHints(an, range)],
    ];
    for (const [name, f] of atPos) {
      const r = call(name, f);
      if (isProblem(r)) return r;
    }
  }
  const formatted = call('format', () => format(text));
  if (isProblem(formatted)) return formatted;
  if (formatted !== text) {
    const twice = format(formatted);
    if (twice !== formatted) return fail('format', `not idempotent: format(x) =\n${formatted}\nformat(format(x)) =\n${twice}`);
  }
  return undefined;
}

export function describeFailure(f: FuzzFailure): string {
  return [
    `fuzz failure in ${f.handler}: ${f.problem}`,
    `reproduce: seed ${f.seed}, case ${f.index} (FUZZ_SEED=${f.seed}; mutant(loadCorpus(), ${f.seed}, ${f.index}))`,
    `mutated text (JSON):`,
    JSON.stringify(f.text),
  ].join('\n');
}

/**
 * Every LSP range in a result must lie inside the document: 0 ≤ start ≤ end, lines that exist,
 * characters within their line. Returns a description of the first bad one.
 */
function badRanges(result: unknown, lineLengths: readonly number[]): string | undefined {
  const checkPos = (p: { line: number; character: number }): boolean => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lineLengths.length && p.character <= (lineLengths[p.line] ?? 0);
  const seen = new Set<object>();
  const visit = (v: unknown, where: string): string | undefined => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
    seen.add(v);
    if (isRange(v)) {
      const ok = checkPos(v.start) && checkPos(v.end) && (v.start.line < v.end.line || (v.start.line === v.end.line && v.start.character <= v.end.character));
      if (!ok) return `invalid range at ${where}: ${JSON.stringify(v)}`;
      return undefined;
    }
    for (const [k, x] of Object.entries(v)) {
      const bad = visit(x, `${where}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };
  return visit(result, 'result');
}

function isRange(v: object): v is lsp.Range {
  return 'start' in v && 'end' in v && isPosition(v.start) && isPosition(v.end);
}

function isPosition(v: unknown): v is lsp.Position {
  return typeof v === 'object' && v !== null && 'line' in v && 'character' in v && typeof v.line === 'number' && typeof v.character === 'number';
}

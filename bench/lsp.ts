// Editor latency benchmark (`npm run bench:lsp`): full diagnostics (analyze + diagnostics()) and
// completion on a cached analysis, for a generated 2,000-line recipe and for the example recipe.
// Targets (docs/architecture.md, design §6): diagnostics ≤ 20 ms median, completion p95 ≤ 10 ms.
// Prints a table; exits 1 when a target is missed. Results are printed only, never committed.

import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type * as lsp from 'vscode-languageserver';
import { analyze } from '../runtime/analysis';
import { Rng } from '../runtime/testing/fuzz';
import * as features from '../server/features';
import { generateRecipe } from './recipe-gen';

const DIAGNOSTICS_TARGET_MS = 20;
const COMPLETION_P95_TARGET_MS = 10;
const RUNS = 30;
const WARMUP = 5;
const POSITIONS = 500;

interface Row {
  readonly recipe: string;
  readonly lines: number;
  readonly measure: string;
  readonly p50: number;
  readonly p95: number;
  readonly target?: string;
  readonly pass?: boolean;
}

function main(): number {
  const recipes: [string, string][] = [
    ['generated-2000', generateRecipe(2000)],
    ['digits-sam (example)', fs.readFileSync('test-fixtures/recipes/examples/digits-sam.minima', 'utf8')],
  ];
  const rows = recipes.flatMap(([name, text]) => measure(name, text));
  print(rows);
  return rows.some((r) => r.pass === false) ? 1 : 0;
}

function measure(name: string, text: string): Row[] {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const uri = 'file:///bench.minima';
  const first = analyze(text);
  const errors = first.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) console.log(`note: ${name} has ${errors.length} errors (first: ${errors[0]?.code} ${errors[0]?.message})`);
  const full = time(RUNS, WARMUP, () => features.diagnostics(analyze(text), uri));
  const analysisOnly = time(RUNS, WARMUP, () => analyze(text));
  // The server analyzes once per document version and answers completions from that analysis.
  const rng = new Rng(42);
  const positions: lsp.Position[] = Array.from({ length: POSITIONS }, () => first.lines.position(rng.int(text.length + 1)));
  // One pass to warm up the JIT, then the measured pass over the same positions.
  for (const p of positions) features.completion(first, p);
  const completion = stats(positions.map((p) => timeOnce(() => features.completion(first, p))));
  return [
    { recipe: name, lines, measure: 'diagnostics (analyze + diagnostics())', p50: full.p50, p95: full.p95, target: `≤ ${DIAGNOSTICS_TARGET_MS} ms median`, pass: full.p50 <= DIAGNOSTICS_TARGET_MS },
    { recipe: name, lines, measure: 'analyze() only', p50: analysisOnly.p50, p95: analysisOnly.p95 },
    { recipe: name, lines, measure: `completion (${POSITIONS} positions, cached analysis)`, p50: completion.p50, p95: completion.p95, target: `p95 ≤ ${COMPLETION_P95_TARGET_MS} ms`, pass: completion.p95 <= COMPLETION_P95_TARGET_MS },
  ];
}

function time(runs: number, warmup: number, f: () => unknown): { p50: number; p95: number } {
  for (let i = 0; i < warmup; i++) f();
  return stats(Array.from({ length: runs }, () => timeOnce(f)));
}

function timeOnce(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function stats(xs: readonly number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95) };
}

function print(rows: readonly Row[]): void {
  const header = ['recipe', 'lines', 'measure', 'p50 ms', 'p95 ms', 'target', 'result'];
  const cells = rows.map((r) => [r.recipe, String(r.lines), r.measure, r.p50.toFixed(2), r.p95.toFixed(2), r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

process.exitCode = main();

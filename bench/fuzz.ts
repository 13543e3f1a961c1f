// The long fuzz run (`npm run bench:fuzz`): the CI fuzz test's harness for many more cases or a
// time budget. Usage: node out/bench/fuzz.js [--cases N] [--seconds S] [--seed K].

import { performance } from 'node:perf_hooks';
import { describeFailure, loadCorpus, newStats, runCase } from './fuzz-driver';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v)) throw new Error(`--${name} expects a number`);
  return v;
}

function main(): number {
  const cases = option('cases', 200_000);
  const seconds = option('seconds', 600);
  const seed = option('seed', Date.now() % 1_000_000_007);
  const corpus = loadCorpus();
  const stats = newStats();
  const t0 = performance.now();
  let failures = 0;
  console.log(`fuzz: up to ${cases} cases or ${seconds} s, seed ${seed}, ${corpus.recipes.length} fixture recipes`);
  for (let i = 0; i < cases; i++) {
    const f = runCase(corpus, seed, i, stats);
    if (f) {
      failures++;
      console.log(`\n${describeFailure(f)}\n`);
      if (failures >= 20) break;
    }
    if (i % 10_000 === 9_999) console.log(`  ${i + 1} cases, ${((performance.now() - t0) / 1000).toFixed(1)} s, ${failures} failures`);
    if (performance.now() - t0 > seconds * 1000) break;
  }
  const elapsed = (performance.now() - t0) / 1000;
  console.log(`\n${stats.cases} cases, ${stats.calls} handler calls in ${elapsed.toFixed(1)} s (${(stats.cases / elapsed).toFixed(0)} cases/s): ${failures} failures`);
  console.log('slowest call per handler:');
  for (const [name, ms] of [...stats.slowest].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(20)} ${ms.toFixed(2).padStart(8)} ms`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = main();

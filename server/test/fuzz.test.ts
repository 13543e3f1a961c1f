// Fuzzing the language core and every editor feature: 10,000 seeded mutants of the fixture
// recipes go through analyze() and each LSP handler at a few positions (bench/fuzz-driver.ts).
// A failure prints the seed, the case and the mutated text; FUZZ_SEED / FUZZ_CASES override.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, loadCorpus, newStats, runCase } from '../../bench/fuzz-driver';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20240601);
const CASES = Number(process.env['FUZZ_CASES'] ?? 10_000);

test(`fuzz: ${CASES} mutated recipes through analyze() and every handler (seed ${SEED})`, () => {
  const corpus = loadCorpus();
  const stats = newStats();
  const failures: string[] = [];
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const f = runCase(corpus, SEED, i, stats);
    if (f) failures.push(describeFailure(f));
  }
  assert.equal(stats.cases > 0, true);
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

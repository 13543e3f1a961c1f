// The wrappers of A15, A16 and A20 through the CLI on the wasm backend: `minima run --json`
// streams step events that carry the wrappers' own metrics (and DeepZero's host inputs reach the
// step), the run store keeps them, and `minima check` reports their warnings at the argument.
// AuON and dct_adam run on wasm in reference-ort.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../testing/cli';

const EXAMPLES = path.resolve('test-fixtures', 'recipes', 'examples');

const CASES: readonly { file: string; stepMetrics: readonly string[] }[] = [
  { file: 'digits-bloop.minima', stepMetrics: ['aux_loss', 'bloop_ratio'] },
  { file: 'digits-gr.minima', stepMetrics: ['gr_penalty'] },
  { file: 'moons-deepzero.minima', stepMetrics: [] },
];

for (const c of CASES) {
  test(`minima run ${c.file} on wasm: finished, and every step event carries ${c.stepMetrics.join(', ') || 'the loss'}`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-technique-'));
    try {
      fs.copyFileSync(path.join(EXAMPLES, c.file), path.join(dir, c.file));
      const r = runCli(['run', c.file, '--json', '--backend', 'wasm', '--epochs', '1', '--runs', 'runs'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; metrics?: Record<string, number> });
      const steps = events.filter((e) => e.type === 'step');
      assert.ok(steps.length > 0);
      for (const m of ['loss', ...c.stepMetrics]) assert.ok(steps.every((e) => Number.isFinite(e.metrics?.[m])), `${m} in every step event`);
      assert.equal(events.at(-1)?.type, 'finished');
      const [id] = fs.readdirSync(path.join(dir, 'runs'));
      const stored = fs.readFileSync(path.join(dir, 'runs', id ?? '', 'metrics.jsonl'), 'utf8');
      for (const m of c.stepMetrics) assert.ok(stored.includes(`"${m}"`), `${m} in metrics.jsonl`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('minima check shows the techniques\' warnings at their arguments', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-technique-'));
  try {
    const text = fs.readFileSync(path.join(EXAMPLES, 'moons-deepzero.minima'), 'utf8').replace('deepzero(mu: 5e-3,', 'deepzero(estimator: rge, sparsity: 50%, mu: 5e-5,');
    fs.writeFileSync(path.join(dir, 'zo.minima'), text);
    const r = runCli(['check', 'zo.minima'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /zo\.minima:\d+:\d+: warning.*sparsity applies to the cge estimator only/);
    assert.match(r.stdout, /zo\.minima:\d+:\d+: warning.*mu < 1e-4/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

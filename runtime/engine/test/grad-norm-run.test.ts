// The per-step grad_norm is reported exactly when the report asks for it (catalog: grad_norm): the
// train step then has the norm as an output, and otherwise the step metrics have no such key (not
// a 0 or a NaN). Without the norm, plain SGD's update is folded into the weight gradients' Gemms
// (compiler/optimize/gemm-update.ts); the losses of the two runs agree to float32 rounding.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { runRecipe, type RunEvent } from '..';

const FIXTURES = path.join(process.cwd(), 'test-fixtures', 'runs');

function moons(optimizer: string, report: string): string {
  return `recipe "grad-norm" {\n  seed = 3\n}\n\ndata moons(samples: 400, noise: 0.1) {\n  batch = 32\n}\n\nmodel mlp {\n  dense(16, act: tanh)\n  dense(2)\n}\n\ntrain {\n  epochs = 2\n  optimizer = ${optimizer}\n}\n${report}`;
}

async function stepMetrics(text: string, backend: 'wasm' | 'native'): Promise<Record<string, number>[]> {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  const events: RunEvent[] = [];
  const r = await runRecipe(a.recipe, { backend, baseDir: FIXTURES, recipeText: text, onEvent: (e) => events.push(e) });
  assert.equal(r.status, 'finished', r.message);
  return events.flatMap((e) => (e.type === 'step' ? [e.metrics] : []));
}

for (const backend of ['wasm', 'native'] as const) {
  test(`grad_norm is in the step metrics exactly when the report asks for it (${backend})`, async () => {
    for (const optimizer of ['sgd(lr: 0.1)', 'sgd(lr: 0.1, momentum: 0.9)', 'sam(rho: 0.05, base: sgd(lr: 0.1))']) {
      const asked = await stepMetrics(moons(optimizer, '\nreport {\n  metrics = [loss, accuracy, grad_norm]\n}\n'), backend);
      const not = await stepMetrics(moons(optimizer, ''), backend);
      assert.equal(asked.length, 20, optimizer);
      assert.equal(not.length, asked.length, optimizer);
      for (const m of asked) assert.ok(Number.isFinite(m['grad_norm']) && (m['grad_norm'] ?? 0) > 0, `${optimizer}: ${JSON.stringify(m)}`);
      for (const m of not) assert.ok(!('grad_norm' in m), `${optimizer}: ${JSON.stringify(m)}`);
      // The same training, with the update folded into the Gemms or not: float32 rounding apart.
      asked.forEach((m, i) => {
        const [x, y] = [m['loss'] ?? NaN, not[i]?.['loss'] ?? NaN];
        assert.ok(Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(x)), `${optimizer} step ${i + 1}: loss ${x} with the norm, ${y} without`);
      });
    }
  });
}

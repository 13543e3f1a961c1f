// `minima check` on recipes that import PyTorch exports (test-fixtures/import-check): the checker
// reads each model through the real resolver (runtime/cli/model-files.ts, the project's own ONNX
// importer), so names and globs that match nothing, N:M widths, ranks and operators Minima cannot
// train through are errors before any run. Each fixture's marker lines state its diagnostics
// (`UPDATE_EXPECT=1` rewrites them); the CLI prints the same lines and exits 1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../analysis';
import { CATALOG } from '../../catalog';
import { compareDiagnostics, parseMarkers, renderMarkers } from '../../testing/fixtures';
import { modelResolvers } from '../model-files';

const DIR = path.join('test-fixtures', 'import-check');
const CLI = path.join(__dirname, '..', 'main.js');
const FIXTURES = fs.readdirSync(DIR).filter((f) => f.endsWith('.minima')).sort();

for (const name of FIXTURES) {
  test(`import-check/${name}: the diagnostics its markers state, with the model read from disk`, () => {
    const file = path.join(DIR, name);
    const text = fs.readFileSync(file, 'utf8');
    const a = analyze(text, CATALOG, { resolveModel: modelResolvers()(DIR) });
    if (process.env['UPDATE_EXPECT'] === '1') {
      fs.writeFileSync(file, renderMarkers(text, a.diagnostics));
      return;
    }
    assert.deepEqual(compareDiagnostics(text, parseMarkers(text), a.diagnostics), []);
    assert.equal(a.recipe === undefined, parseMarkers(text).some((m) => m.severity === 'error'));
  });
}

test('minima check reads the imported models: one line per problem, exit 1; the clean recipe prints nothing', () => {
  const r = spawnSync(process.execPath, [CLI, 'check', DIR], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const at = (f: string) => lines.filter((l) => l.startsWith(path.join(DIR, f)));
  // The clean recipe's only line is the info on the initializers PyTorch's exporter merged.
  assert.deepEqual(at('transformer.minima').map((l) => l.replace(/^.*?: info /, 'info ')), ['info M038: the exporter stored 15 tensors as copies of 9 equal-valued initializers (e.g. encoder.layers.1.linear2.weight = encoder.layers.0.linear2.weight); each is trained as its own copy, as in PyTorch (tie = true keeps them shared)']);
  assert.ok(at('unsupported.minima').includes(`${path.join(DIR, 'unsupported.minima')}:6:12: error M037: cumsum.onnx: the model uses operators Minima cannot train through: CumSum (node /CumSum)`), r.stdout);
  assert.ok(at('missing.minima').some((l) => l.endsWith('error M037: cannot read the model not-exported-yet.onnx: no such file')), r.stdout);
  assert.ok(at('lenet.minima').some((l) => /:\d+:\d+: error M024: features\.4\.weight's input width 150 is not a multiple of 4/.test(l)), r.stdout);
  assert.equal(at('lenet.minima').length, 5, r.stdout);
});

test('the resolver reads a model once while it is unchanged, and again after it changes', () => {
  const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'minima-models-'));
  const model = path.join(tmp, 'm.onnx');
  fs.copyFileSync(path.join('test-fixtures', 'reference', 'import', 'activations.onnx'), model);
  const resolve = modelResolvers()(tmp);
  const first = resolve('m.onnx');
  assert.equal(first?.kind, 'model');
  assert.equal(resolve('m.onnx'), first, 'cached: the same value');
  fs.copyFileSync(path.join(DIR, 'cumsum.onnx'), model);
  fs.utimesSync(model, new Date(), new Date(Date.now() + 5000));
  assert.equal(resolve('m.onnx')?.kind, 'unsupported');
  assert.equal(resolve('gone.onnx')?.kind, 'error');
});

// Node placements: reading onnxruntime's verbose log, the webgpu graphs of the fixtures (no
// LogSoftmax on the CPU any more), and the LogSoftmax written without the op computing the same.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import * as c from '../../../compiler';
import { openBackend, parsePlacements, probeAdapter } from '..';

const LOG = `
@@graph 0
2026-12-04 03:54:17.479004004 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements
2026-12-04 03:54:17.479013298 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1
2026-12-04 03:54:17.479016823 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   LogSoftmax (SoftmaxCrossEntropy_142)
2026-12-04 03:54:17.479019647 [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 2
2026-12-04 03:54:17.479022231 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Reshape (Reshape_30)
2026-12-04 03:54:17.479022231 [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   MatMul (MatMul_31)
2026-12-04 03:54:17.479022231 [V:onnxruntime:, other.cc:1 Other] something else
@@graph 1
2026-12-04 03:57:35.043672178 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements
2026-12-04 03:57:35.043736243 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 344
`;

test('placements are read per graph from the verbose log', () => {
  assert.deepEqual(parsePlacements(LOG, ['train_step', 'eval_step']), [
    {
      graph: 'train_step',
      counts: { CPUExecutionProvider: 1, WebGpuExecutionProvider: 2 },
      providers: { CPUExecutionProvider: [{ op: 'LogSoftmax', node: 'SoftmaxCrossEntropy_142' }], WebGpuExecutionProvider: [{ op: 'Reshape', node: 'Reshape_30' }, { op: 'MatMul', node: 'MatMul_31' }] },
    },
    { graph: 'eval_step', counts: { WebGpuExecutionProvider: 344 }, providers: { WebGpuExecutionProvider: [] } },
  ]);
});

test('log softmax without the LogSoftmax op computes the same, forward and through the cross-entropy', async () => {
  const g = new c.GraphBuilder();
  const z = g.input('z', ['B', 5], 'float32');
  const q = g.input('q', ['B', 5], 'float32');
  const outputs = [
    { name: 'logp', value: c.logSoftmax(z) },
    { name: 'loss', value: c.softmaxCrossEntropy(z, q) },
  ];
  const b = await openBackend({ kind: 'wasm' });
  const feeds = {
    z: { dtype: 'float32' as const, shape: [3, 5], data: Float32Array.from({ length: 15 }, (_, i) => Math.sin(i) * 30) },
    q: { dtype: 'float32' as const, shape: [3, 5], data: Float32Array.from({ length: 15 }, (_, i) => (i % 5 === i % 3 ? 1 : 0)) },
  };
  const plain = await (await b.createSession(c.toOnnx(g, outputs, { name: 'ls', dtype: 'float32' }))).run(feeds);
  const spelled = await (await b.createSession(c.toOnnx(g, outputs, { name: 'ls', dtype: 'float32', avoid: ['LogSoftmax'] }))).run(feeds);
  for (const k of ['logp', 'loss']) {
    const [x, y] = [plain[k]!.data as Float32Array, spelled[k]!.data as Float32Array];
    x.forEach((v, i) => assert.ok(Math.abs(v - (y[i] ?? NaN)) <= 1e-5 * Math.max(1, Math.abs(v)), `${k}[${i}]: ${v} vs ${y[i]}`));
  }
});

test('[slow] minima debug placement: the webgpu train step runs on the GPU but for QAT\'s Round', async (t) => {
  const p = await probeAdapter();
  if (!p.ok && !process.env['CI']) {
    t.skip(`no WebGPU adapter here: ${p.reason}`);
    return;
  }
  const cli = (file: string) => spawnSync(process.execPath, [path.join('bin', 'minima.js'), 'debug', 'placement', path.join('test-fixtures', 'webgpu', file), '--json'], { encoding: 'utf8' });
  const sam = cli('cnn-sam.minima');
  assert.equal(sam.status, 0, sam.stderr);
  const graphs = JSON.parse(sam.stdout) as { graph: string; counts: Record<string, number> }[];
  assert.deepEqual(graphs.map((g) => g.graph), ['train_step', 'eval_step']);
  for (const g of graphs) assert.deepEqual(Object.keys(g.counts), ['WebGpuExecutionProvider'], JSON.stringify(g));
  const qat = cli('mlp-qat.minima');
  assert.equal(qat.status, 0, qat.stderr);
  const train = (JSON.parse(qat.stdout) as { providers: Record<string, { op: string }[]> }[])[0];
  assert.deepEqual(train?.providers['CPUExecutionProvider']?.map((n) => n.op), ['Round', 'Round']);
});

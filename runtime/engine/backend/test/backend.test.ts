// openBackend: which backend it picks, what it records, how it fails; sessions: names, tensor
// conversion, and the per-run overhead (reported, not asserted: the machine is shared).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../../../compiler';
import { type AdapterProbe, type Backend, type HostTensor, type NativeLoad, adapterInfo, defaultWasmThreads, loadNative, openBackend } from '..';

const native = loadNative();
const noNative = (): NativeLoad => ({ ok: false, reason: 'simulated: no binary for this platform' });

/** y = relu(x)·2 and a row sum: small, with two outputs and a symbolic batch dim. */
function tinyModel(dtype: 'float32' | 'float64'): Uint8Array {
  const g = new c.GraphBuilder();
  const x = g.input('x', ['B', 3], dtype);
  const y = c.mul(c.relu(x), 2);
  return c.toOnnx(g, [{ name: 'y', value: y }, { name: 'rows', value: c.reduceSum(y, [1], false) }], { name: 'tiny' });
}

const X: HostTensor = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([-1, 0.5, 2, 3, -4, 0.25]) };

test('wasm: info records backend, threads (by default defaultWasmThreads()) and versions; sessions run', async () => {
  const b = await openBackend({ kind: 'wasm' });
  assert.deepEqual(b.info, { backend: 'wasm', threads: defaultWasmThreads(), versions: { common: '1.30.0', web: '1.30.0' } });
  await checkTiny(b);
});

test('the wasm default is every core, at least 1 and at most 4', () => {
  assert.deepEqual([1, 2, 3, 4, 8, 16, 64].map((n) => defaultWasmThreads(n)), [1, 2, 3, 4, 4, 4, 4]);
});

test('wasm: the process-wide thread count cannot change once set', async () => {
  const n = defaultWasmThreads();
  await openBackend({ kind: 'wasm', threads: n });
  await assert.rejects(openBackend({ kind: 'wasm', threads: n + 1 }), new RegExp(`already runs with ${n} thread\\(s\\)`));
});

test('threads must be a positive integer', async () => {
  await assert.rejects(openBackend({ kind: 'wasm', threads: 0 }), /threads must be a positive integer/);
  await assert.rejects(openBackend({ kind: 'native', threads: 1.5 }), /threads must be a positive integer/);
});

test('native: info records backend, threads and versions; sessions run', { skip: native.ok ? false : `native unavailable: ${native.ok ? '' : native.reason}` }, async () => {
  const b = await openBackend({ kind: 'native', threads: 2 });
  assert.deepEqual(b.info, { backend: 'native', threads: 2, versions: { common: '1.30.0', node: '1.30.0' } });
  await checkTiny(b);
});

const software: AdapterProbe = { ok: true, adapter: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true } };
const noAdapter: AdapterProbe = { ok: false, reason: 'simulated: WebGPU found no adapter' };

test('auto picks native when it loads and there is no hardware adapter, and says why', { skip: native.ok ? false : 'native unavailable here' }, async () => {
  const logged: string[] = [];
  const b = await openBackend({ kind: 'auto', log: (m) => logged.push(m) }, { adapter: async () => noAdapter });
  assert.equal(b.name, 'native');
  assert.equal(b.info.note, 'auto: native (webgpu: simulated: WebGPU found no adapter)');
  assert.deepEqual(logged, [b.info.note]);
});

test('auto never picks a software adapter', { skip: native.ok ? false : 'native unavailable here' }, async () => {
  const b = await openBackend({ kind: 'auto' }, { adapter: async () => software });
  assert.equal(b.name, 'native');
  assert.equal(b.info.note, 'auto: native (webgpu: mesa llvmpipe: Mesa 25.0.7 (software) is a software adapter, slower than the CPU)');
});

test('webgpu without onnxruntime-node is a clear error', async () => {
  await assert.rejects(openBackend({ kind: 'webgpu' }, { native: noNative }), /the webgpu backend needs onnxruntime-node, which is unavailable: simulated/);
});

test('auto falls back to wasm and records why', async () => {
  const b = await openBackend({ kind: 'auto' }, { native: noNative });
  assert.equal(b.name, 'wasm');
  assert.equal(b.info.note, 'native backend unavailable, using wasm: simulated: no binary for this platform');
});

test('native asked for explicitly but unavailable is a clear error', async () => {
  await assert.rejects(openBackend({ kind: 'native' }, { native: noNative }), /the native backend is unavailable: simulated: no binary for this platform\. Use kind 'wasm'/);
});

test('a module that does not load is a reason, not a throw', () => {
  const r = loadNative('onnxruntime-does-not-exist');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /onnxruntime-does-not-exist did not load: Cannot find module/);
});

test('feeds are checked against their dtype and shape', async () => {
  const b = await openBackend({ kind: 'wasm' });
  const s = await b.createSession(tinyModel('float32'));
  await assert.rejects(s.run({ x: { dtype: 'float32', shape: [2, 3], data: new Float64Array(6) } }), /a float32 tensor needs a Float32Array, got Float64Array/);
  await assert.rejects(s.run({ x: { dtype: 'float32', shape: [2, 2], data: new Float32Array(6) } }), /shape \[2,2\] needs 4 values, got 6/);
  await s.release();
});

test('int64 and bool tensors round-trip', async () => {
  const g = new c.GraphBuilder();
  const i = g.input('i', [3], 'int64');
  const m = g.input('m', [3], 'bool');
  const model = c.toOnnx(g, [{ name: 'r', value: c.mod(i, g.constant(c.tensor([3], [4, 4, 4], 'int64'))) }, { name: 'n', value: c.equal(c.cast(m, 'int64'), i) }], { name: 'ints' });
  for (const kind of native.ok ? (['wasm', 'native'] as const) : (['wasm'] as const)) {
    const s = await (await openBackend({ kind })).createSession(model);
    const out = await s.run({ i: { dtype: 'int64', shape: [3], data: BigInt64Array.from([-5n, 1n, 2n ** 40n]) }, m: { dtype: 'bool', shape: [3], data: Uint8Array.from([1, 1, 0]) } });
    assert.deepEqual(out['r'], { dtype: 'int64', shape: [3], data: BigInt64Array.from([3n, 1n, 0n]) }, kind);
    assert.deepEqual(out['n'], { dtype: 'bool', shape: [3], data: Uint8Array.from([0, 1, 0]) }, kind);
    await s.release();
  }
});

test('per-run overhead (reported)', async (t) => {
  for (const kind of native.ok ? (['wasm', 'native'] as const) : (['wasm'] as const)) {
    const s = await (await openBackend({ kind })).createSession(tinyModel('float32'));
    const times: number[] = [];
    for (let k = 0; k < 300; k++) {
      const start = process.hrtime.bigint();
      await s.run({ x: X });
      times.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    await s.release();
    times.sort((a, b) => a - b);
    t.diagnostic(`${kind}: median run of a 4-node graph ${times[150]?.toFixed(0)} µs (p90 ${times[270]?.toFixed(0)} µs)`);
  }
});

async function checkTiny(b: Backend): Promise<void> {
  const s = await b.createSession(tinyModel('float32'));
  assert.deepEqual([s.inputNames, s.outputNames], [['x'], ['y', 'rows']]);
  const out = await s.run({ x: X });
  assert.deepEqual(out['y'], { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0, 1, 4, 6, 0, 0.5]) });
  assert.deepEqual(out['rows'], { dtype: 'float32', shape: [2], data: Float32Array.from([5, 6.5]) });
  await s.release();
}

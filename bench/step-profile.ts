// A measurement tool for changes to the train-step graph (not part of `npm run bench:train`):
//
//     node out/bench/step-profile.js write '<workload>' step.onnx [--plain]   the workload's float32 train step
//                                                                  (--plain: without compiler/optimize's rewrites)
//     node out/bench/step-profile.js profile step.onnx [steps]      kernel time per op type (native, 1 thread)
//     node out/bench/step-profile.js ab old.onnx new.onnx [reps]    interleaved A/B timing in one process
//
// `write` builds the step as bench/train-engine.ts does, so a graph written by an older checkout and
// one written by this one can be compared on a loaded machine: `ab` alternates the two sessions
// step by step (same feeds, many repetitions) and reports the medians and the median per-pair
// ratio; `profile` runs onnxruntime's per-node profiler and sums each op type's kernel time, and the
// `model_run` time, whose excess over the kernels is the executor's per-node overhead.
// Environment knobs: TOPN (how many slowest nodes `profile` lists, 12 by default) and ORT_LEVEL
// (onnxruntime's graphOptimizationLevel for both commands, 'all' by default, as the engine uses).
// The feeds are random (parameters ~ N(0, 0.05²), state zero, the step count and host scalars 1):
// the step's values are not checked here, only its time.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as ortTypes from 'onnxruntime-common';
import { toOnnx } from '../runtime/compiler/onnx';
import { createRng } from '../runtime/engine/data';
import { workloadNamed } from './train-workloads';
import { trainStepOf } from './train-step-of';

type Ort = typeof ortTypes;

function writeStep(name: string, file: string, plain: boolean): void {
  const w = workloadNamed(name);
  const { step } = trainStepOf(w);
  fs.writeFileSync(file, toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32', optimize: !plain }));
  fs.writeFileSync(`${file}.json`, JSON.stringify({ batch: w.batch, classes: w.classes }));
}

async function open(ort: Ort, file: string, profile: boolean): Promise<{ session: ortTypes.InferenceSession; feeds: Record<string, ortTypes.Tensor> }> {
  const options: ortTypes.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: (process.env.ORT_LEVEL ?? 'all') as 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    ...(profile ? { enableProfiling: true, profileFilePrefix: path.join(os.tmpdir(), `step-profile-${process.pid}`) } : {}),
  };
  const session = await ort.InferenceSession.create(fs.readFileSync(file), options);
  const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as { batch: number; classes: number };
  const rng = createRng(1, 'step-profile', file);
  const feeds: Record<string, ortTypes.Tensor> = {};
  for (const m of session.inputMetadata) {
    if (!m.isTensor) throw new Error(`${m.name}: not a tensor`);
    const dims = m.shape.map((d) => (typeof d === 'number' ? d : meta.batch));
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (m.name === 'y') for (let r = 0; r < meta.batch; r++) data[r * meta.classes + (r % meta.classes)] = 1;
    else if (m.name === 'lr') data[0] = 1e-3;
    else if (dims.length === 0) data[0] = 1;
    else if (m.name === 'x' || !m.name.includes('.')) for (let i = 0; i < n; i++) data[i] = m.name === 'x' ? rng.normal() : 0.05 * rng.normal();
    // Optimizer state (`<param>.<state>`) stays zero.
    feeds[m.name] = new ort.Tensor('float32', data, dims);
  }
  return { session, feeds };
}

async function profile(ort: Ort, file: string, steps: number): Promise<void> {
  const { session, feeds } = await open(ort, file, true);
  for (let i = 0; i < 3; i++) await session.run(feeds);
  for (let i = 0; i < steps; i++) await session.run(feeds);
  session.endProfiling();
  const prefix = `step-profile-${process.pid}`;
  const written = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(prefix));
  const events = written.flatMap((f) => {
    const full = path.join(os.tmpdir(), f);
    const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
    fs.rmSync(full);
    return parsed;
  });
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').slice(3);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const perRun = kernels.length / (runs.length + 3);
  const measured = kernels.slice(Math.round(perRun * 3));
  const byOp = new Map<string, number>();
  for (const k of measured) byOp.set(k.args?.op_name ?? '?', (byOp.get(k.args?.op_name ?? '?') ?? 0) + k.dur);
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  const runUs = runs.reduce((a, r) => a + r.dur, 0);
  console.log(`${file}: ${perRun} kernels per run; model_run ${(runUs / runs.length / 1000).toFixed(3)} ms, kernels ${(total / runs.length / 1000).toFixed(3)} ms per step`);
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1])) {
    const count = measured.filter((k) => k.args?.op_name === op).length / runs.length;
    console.log(`  ${op.padEnd(24)} ${(us / runs.length / 1000).toFixed(3).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ×${count}`);
  }
  const byNode = new Map<string, number>();
  for (const k of measured) byNode.set(k.name, (byNode.get(k.name) ?? 0) + k.dur);
  console.log('  slowest nodes:');
  for (const [node, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOPN ?? 12))) console.log(`    ${node.replace(/_kernel_time$/, '').padEnd(40)} ${(us / runs.length / 1000).toFixed(3).padStart(8)} ms`);
  await session.release();
}

async function ab(ort: Ort, a: string, b: string, reps: number): Promise<void> {
  const sa = await open(ort, a, false);
  const sb = await open(ort, b, false);
  for (let i = 0; i < 3; i++) {
    await sa.session.run(sa.feeds);
    await sb.session.run(sb.feeds);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < reps; r++) {
    // Alternate which goes first, so that neither always runs on a cache the other warmed.
    const order = r % 2 === 0 ? [sa, sb] : [sb, sa];
    const times = new Map<object, number>();
    for (const s of order) {
      const start = performance.now();
      await s.session.run(s.feeds);
      times.set(s, performance.now() - start);
    }
    const [x, y] = [times.get(sa) ?? NaN, times.get(sb) ?? NaN];
    ta.push(x);
    tb.push(y);
    ratio.push(x / y);
  }
  console.log(`A ${a}: median ${median(ta).toFixed(3)} ms`);
  console.log(`B ${b}: median ${median(tb).toFixed(3)} ms`);
  console.log(`A/B per pair: median ${median(ratio).toFixed(3)} (B is ${((1 - 1 / median(ratio)) * 100).toFixed(1)} % faster), ${reps} pairs`);
  await sa.session.release();
  await sb.session.release();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'write' && args[0] !== undefined && args[1] !== undefined) return writeStep(args[0], args[1], args[2] === '--plain');
  const ort = require('onnxruntime-node') as Ort;
  if (cmd === 'profile' && args[0] !== undefined) return profile(ort, args[0], Number(args[1] ?? 20));
  if (cmd === 'ab' && args[0] !== undefined && args[1] !== undefined) return ab(ort, args[0], args[1], Number(args[2] ?? 50));
  throw new Error('usage: step-profile write <workload> <file> | profile <file> [steps] | ab <a> <b> [reps]');
}

main().catch((e: unknown) => {
  process.stderr.write(`step-profile: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

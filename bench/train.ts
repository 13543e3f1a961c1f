// Training-throughput benchmark (`npm run bench:train`): ms per step, samples/s and GFLOP/s of the
// fused train step on the native (onnxruntime-node) and wasm (onnxruntime-web) backends at 1 and 2
// threads, side by side with PyTorch on the same architecture, batch and optimizer
// (bench/torch_train.py), and against each engine's measured fp32 GEMM rate (a 1024³ MatMul).
//
// Every (workload, engine, threads) runs in a process of its own (bench/train-engine.ts drives the
// step as runtime/engine/run.ts does: device-resident state, one session.execute per step), so its
// peak resident memory and its time from process start to the first step are its own. The
// repetitions of all of them alternate within rounds, so that a change in a shared machine's load
// hits both sides of a ratio; "vs PyTorch" is the median of the per-round ratios.
//
// The PyTorch peer must run on an optimized BLAS: Debian's python3-torch uses whatever
// libblas.so.3 points at, the slow reference BLAS unless libopenblas0-pthread is installed, and its
// BLAS_INFO cannot tell them apart. So the bench measures torch.matmul's 1024³ rate first and, below
// PEER_MIN_GFLOPS, reports the peer invalid and prints no ratios.
//
// A benchmark reports and does not gate: it prints a table and exits 0. Nothing is committed.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { type BackendName, loadNative } from '../runtime/engine/backend';
import * as fs from 'node:fs';
import { TRANSFORMER_ONNX, WORKLOADS, checked, stepFlops, torchSpec, type Workload } from './train-workloads';

const THREADS = [1, 2] as const;
/** Untimed steps of every process before the first round, after its first step. */
const WARMUP_STEPS = 3;
/** Rounds: the ratio is their median; on a shared 2-core machine single rounds vary by ±30 %. */
const ROUNDS = Number(process.env['MINIMA_BENCH_ROUNDS'] ?? 5);
/** The pause after each repetition, before the next process's (see measure). */
const SETTLE_MS = 400;
const GEMM = { n: 1024, reps: 5 } as const;
/** Below this torch.matmul 1024³ rate (1 thread) the peer runs on the reference BLAS. */
const PEER_MIN_GFLOPS = 50;
const WASM_TARGET = 0.5;
const PYTHON = '/usr/bin/python3';

type EngineName = BackendName | 'pytorch';

/** One running process of the bench, answering one JSON command per line. */
interface Peer {
  readonly engine: EngineName;
  readonly threads: number;
  /** Milliseconds from spawning the process to the end of its first step. */
  readonly startToFirstStepMs: number;
  ask(cmd: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
  /** Ends its input and waits for it to exit, so that it no longer competes for the cores. */
  close(): Promise<void>;
}

/** What one (workload, engine, threads) measured. */
interface Result {
  readonly engine: EngineName;
  readonly threads: number;
  /** ms per step of each round (index r: round r), NaN where a round failed. */
  readonly rounds: readonly number[];
  readonly startToFirstStepMs: number;
  readonly peakRssMiB: number;
}

async function main(): Promise<void> {
  const native = loadNative();
  const engines: BackendName[] = native.ok ? ['native', 'wasm'] : ['wasm'];
  if (!native.ok) console.log(`note: the native backend is unavailable (${native.reason}); only wasm is measured`);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${loadAverage()} (shared machine: numbers vary with load)`);

  // GEMM rates, each engine and thread count in a fresh process.
  const gemm = new Map<string, number>();
  for (const e of engines) {
    for (const t of THREADS) {
      const p = await startEngine(e, t, undefined).catch((err: unknown) => String(err));
      if (typeof p === 'string') {
        console.log(`note: ${e} at ${t} threads did not start: ${p}`);
        continue;
      }
      gemm.set(`${e}/${t}`, rate(nums((await p.ask({ cmd: 'gemm' }))['seconds'])));
      await p.close();
    }
  }
  const peer = await checkPeer(gemm);
  console.log(`fp32 GEMM ${GEMM.n}³ (median of ${GEMM.reps}), GFLOP/s: ${[...gemm].map(([k, r]) => `${k} ${r.toFixed(1)}`).join(', ')}`);
  console.log(peer.line);
  console.log('');

  const tables: string[][] = [];
  for (const w of WORKLOADS) {
    if (w.transformer) {
      const exported = exportTransformer(w);
      if (exported !== undefined) {
        console.log(`note: ${w.name} skipped: ${exported}`);
        continue;
      }
    }
    const recipe = checked(w);
    process.stderr.write(`bench:train: ${w.name}…\n`);
    const results = await measure(w, engines, peer.valid);
    tables.push(...rows(w, stepFlops(w, recipe), results, gemm, peer.valid));
  }
  console.log(`each cell: median over ${ROUNDS} rounds; a round runs one repetition of every (engine, threads) process in turn, PyTorch's last. A repetition is the workload's untimed steps, then its timed ones (the same counts on both sides).`);
  console.log(`the transformer: PyTorch's nn.TransformerEncoder exported by torch.onnx.export (${TRANSFORMER_ONNX}) and imported by Minima as \`model onnx(…)\` is; PyTorch trains the module itself.`);
  console.log('');
  printTable(tables);
  console.log('');
  console.log('"of GEMM": the step\'s counted GFLOP/s as a share of the same engine\'s 1024³ GEMM rate at the same thread count (PyTorch\'s rows: of torch.matmul).');
  console.log('"vs PyTorch": the median over rounds of PyTorch ms/step ÷ ours in the same round, at the same thread count; "best" rows compare each engine\'s best thread count with PyTorch\'s best.');
  console.log('"peak RSS" and "first step": the process\'s peak resident memory and the time from its start to the end of its first step (runtime load, compile, session, one step).');
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Writes the transformer workload's ONNX file with PyTorch's exporter; a message when it cannot. */
function exportTransformer(w: Workload): string | undefined {
  fs.mkdirSync(path.dirname(TRANSFORMER_ONNX), { recursive: true });
  const spec = JSON.stringify({ transformer: w.transformer, classes: w.classes });
  const r = spawnSync(PYTHON, [path.join('bench', 'torch_train.py'), '--export', spec, TRANSFORMER_ONNX], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `PyTorch could not export it (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
  return undefined;
}

async function checkPeer(gemm: Map<string, number>): Promise<{ valid: boolean; line: string }> {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { valid: false, line: `PyTorch skipped: \`${PYTHON} -c "import torch, numpy"\` failed (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})` };
  let info: Record<string, unknown> = {};
  let best1 = NaN;
  for (const t of THREADS) {
    const p = await startTorch(undefined, t);
    if (t === 1) info = await p.ask({ cmd: 'info' });
    const g = await p.ask({ cmd: 'gemm' });
    gemm.set(`pytorch/${t}`, rate(nums(g['torch'])));
    gemm.set(`numpy/${t}`, rate(nums(g['numpy'])));
    // The check takes the best of the runs, so that a loaded machine does not fail a good peer.
    if (t === 1) best1 = (2 * GEMM.n ** 3) / Math.min(...nums(g['torch'])) / 1e9;
    await p.close();
  }
  const about = `PyTorch ${String(info['torch'])} (numpy ${String(info['numpy'])}, BLAS_INFO ${String(info['blas'])}); inputs Gaussian of the same shapes`;
  const rateLine = `torch.matmul ${GEMM.n}³ at ${best1.toFixed(1)} GFLOP/s (1 thread, best of ${GEMM.reps})`;
  if (best1 >= PEER_MIN_GFLOPS) return { valid: true, line: `${about}; peer valid: ${rateLine} ≥ ${PEER_MIN_GFLOPS}` };
  return {
    valid: false,
    line: `${about}\nPyTorch peer INVALID: ${rateLine} < ${PEER_MIN_GFLOPS}: it runs on the reference BLAS (or the machine is too loaded to measure), so no ratios are printed. Fix: apt-get install libopenblas0-pthread (Debian's libblas.so.3 then points at OpenBLAS).`,
  };
}

/** Every (engine, threads) process of one workload, alternating repetitions within rounds. */
async function measure(w: Workload, engines: readonly BackendName[], withTorch: boolean): Promise<Result[]> {
  const peers: Peer[] = [];
  const notes: string[] = [];
  // Started one by one, so that no start competes with another for the cores.
  for (const e of [...engines, ...(withTorch ? (['pytorch'] as const) : [])]) {
    for (const t of THREADS) {
      const p = await (e === 'pytorch' ? startTorch(w, t) : startEngine(e, t, w)).catch((err: unknown) => String(err));
      if (typeof p === 'string') notes.push(`${w.name}: ${e} at ${t} threads did not start: ${p}`);
      else peers.push(p);
    }
  }
  for (const n of notes) console.log(`note: ${n}`);
  const rounds = peers.map((): number[] => []);
  try {
    for (const p of peers) await p.ask({ cmd: 'warmup', steps: WARMUP_STEPS });
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, p] of peers.entries()) {
        rounds[i]?.push(msOf(await p.ask({ cmd: 'rep' })));
        // NOTE: a process's worker threads spin on after its repetition (OpenBLAS's for about
        // 0.1 s, OpenMP's and onnxruntime's pools briefly) and would share the cores with the
        // next process's timed steps: the 784-256-10 MLP measured 1.52 ms per step on native
        // right after PyTorch's two-thread process, 1.08-1.25 ms alone.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    }
    const results: Result[] = [];
    for (const [i, p] of peers.entries()) {
      const mem = await p.ask({ cmd: 'memory' });
      results.push({ engine: p.engine, threads: p.threads, rounds: rounds[i] ?? [], startToFirstStepMs: p.startToFirstStepMs, peakRssMiB: Number(mem['peakRssMiB']) });
    }
    return results;
  } finally {
    for (const p of peers) await p.close();
  }
}

function startEngine(engine: BackendName, threads: number, w: Workload | undefined): Promise<Peer> {
  const spec = { backend: engine, threads, ...(w ? { workload: w.name } : { gemm: GEMM }) };
  return start(engine, threads, process.execPath, [path.join(__dirname, 'train-engine.js'), JSON.stringify(spec)], process.env);
}

function startTorch(w: Workload | undefined, threads: number): Promise<Peer> {
  const spec = w ? torchSpec(w, checked(w), threads, GEMM) : { threads, gemm: GEMM };
  const t = String(threads);
  const env = { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
  return start('pytorch', threads, PYTHON, [path.join('bench', 'torch_train.py'), JSON.stringify(spec)], env);
}

/** Spawns a bench process and waits for its {"ready": epoch ms} line (sent after its first step). */
async function start(engine: EngineName, threads: number, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Peer> {
  const spawnedAt = Date.now();
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { env });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const next = async (): Promise<Record<string, unknown>> => {
    const n = await lines.next();
    if (n.done === true) throw new Error(`${engine} (${threads} threads) stopped: ${stderr.join('').trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(n.value) as Record<string, unknown>;
  };
  const ready = Number((await next())['ready']);
  return {
    engine,
    threads,
    startToFirstStepMs: ready - spawnedAt,
    ask: async (cmd) => {
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
      return next();
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const HEADER = ['workload', 'engine', 'threads', 'ms/step', 'samples/s', 'GFLOP/s', 'of GEMM', 'vs PyTorch', 'peak RSS', 'first step', 'target'];

function rows(w: Workload, flops: number, results: readonly Result[], gemm: ReadonlyMap<string, number>, withTorch: boolean): string[][] {
  const out: string[][] = [];
  const torch = (t: number) => results.find((r) => r.engine === 'pytorch' && r.threads === t);
  const cells = (r: Result, label: string, vs: Result | undefined, target: string): string[] => {
    const ms = median(r.rounds);
    const gflops = flops / (ms / 1000) / 1e9;
    const ratio = vs && r.engine !== 'pytorch' ? roundRatio(vs.rounds, r.rounds) : undefined;
    return [w.name, r.engine, label, ms.toFixed(2), ((1000 / ms) * w.batch).toFixed(0), gflops.toFixed(1), percent(gflops / (gemm.get(`${r.engine}/${r.threads}`) ?? NaN)), ratio !== undefined ? `${ratio.toFixed(2)}×` : r.engine === 'pytorch' ? '(peer)' : 'n/a', `${r.peakRssMiB.toFixed(0)} MiB`, `${(r.startToFirstStepMs / 1000).toFixed(2)} s`, target];
  };
  for (const r of results) {
    const vs = withTorch ? torch(r.threads) : undefined;
    const ratio = vs && r.engine !== 'pytorch' ? roundRatio(vs.rounds, r.rounds) : undefined;
    const target = r.engine === 'native' && r.threads === 1 && ratio !== undefined && w.nativeTarget !== undefined ? verdict(ratio, w.nativeTarget) : '';
    out.push(cells(r, String(r.threads), vs, target));
  }
  const engines = [...new Set(results.map((r) => r.engine))];
  const best = (e: EngineName) => results.filter((r) => r.engine === e).reduce<Result | undefined>((b, r) => (b === undefined || median(r.rounds) < median(b.rounds) ? r : b), undefined);
  const torchBest = withTorch ? best('pytorch') : undefined;
  for (const e of engines) {
    const b = best(e);
    if (!b) continue;
    const ratio = torchBest && e !== 'pytorch' ? roundRatio(torchBest.rounds, b.rounds) : undefined;
    const target = e === 'wasm' && ratio !== undefined ? verdict(ratio, WASM_TARGET) : '';
    out.push(cells(b, `best: ${b.threads}`, torchBest, target));
  }
  out.push([`  (${(flops / 1e6).toFixed(0)} MFLOP per step, counted, B=${w.batch}; ${w.steps} timed steps after ${w.rewarm} untimed per repetition)`, ...HEADER.slice(1).map(() => '')]);
  return out;
}

function verdict(ratio: number, target: number): string {
  return `${ratio >= target ? 'MEETS' : 'MISSES'} ≥ ${target}×`;
}

function printTable(rowsOf: readonly string[][]): void {
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rowsOf.filter((r) => !(r[0] ?? '').startsWith('  (')).map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(line(HEADER));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rowsOf) console.log((r[0] ?? '').startsWith('  (') ? r[0] : line(r));
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function msOf(answer: Record<string, unknown>): number {
  const ms = answer['ms'];
  if (typeof ms !== 'number') throw new Error(`expected {"ms": number}, got ${JSON.stringify(answer)}`);
  return ms;
}

function nums(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}

/** GFLOP/s of the GEMM from the seconds of its runs (their median). */
function rate(seconds: readonly number[]): number {
  return (2 * GEMM.n ** 3) / median(seconds) / 1e9;
}

/** The median over rounds of PyTorch's ms per step ÷ ours in the same round. */
function roundRatio(torchMs: readonly number[], oursMs: readonly number[]): number {
  return median(oursMs.map((ms, r) => (torchMs[r] ?? NaN) / ms).filter(Number.isFinite));
}

function median(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

function percent(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : 'n/a';
}

function loadAverage(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

main().then(
  () => (process.exitCode = 0),
  (e: unknown) => {
    // A benchmark that cannot run says why; it still does not fail CI.
    console.error(`bench:train could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 0;
  },
);

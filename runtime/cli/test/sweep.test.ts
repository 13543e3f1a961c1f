// `minima sweep`: trial ids that follow what trains, a 2×2 grid run in two processes whose table
// and sweep.json agree with the run folders, a rerun that trains only what did not finish, ASHA's
// early stopping on digits, --rerun failed|all, and Ctrl-C / kill -9 in the middle of a sweep.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { listRuns, readEvents, readSummary } from '../../engine';
import { runCli } from '../../testing/cli';
import { stableJson, trialId } from '../trial-id';
import type { SweepRecord } from '../sweep';

const FIXTURE = path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima');

function idOf(text: string): string {
  const a = analyze(text);
  assert.ok(a.recipe, a.diagnostics.map((d) => d.message).join('; '));
  return trialId(a.recipe);
}

test('a trial id follows what trains, not how the recipe is written', () => {
  const base = 'data digits {\n  batch = 32\n}\n\nmodel mlp {\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n';
  const id = idOf(base);
  assert.match(id, /^[0-9a-f]{12}$/);
  assert.equal(idOf(`# a comment\n${base.replace('batch = 32', 'batch   =   32')}`), id);
  assert.notEqual(idOf(base.replace('lr: 0.1', 'lr: 0.03')), id);
  assert.notEqual(idOf(base.replace('batch = 32', 'batch = 16')), id);
  assert.equal(stableJson({ b: 1, a: [2, { d: 3, c: undefined }] }), '{"a":[2,{"d":3}],"b":1}');
});

test('a 2×2 grid runs 4 trials two at a time; a rerun trains only the trial that did not finish', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const first = runCli(['sweep', 'grid.minima', '--parallel', '2', '--json'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.equal(lines.filter((l) => l.type === 'trial').length, 4);
  const sweepDir = path.join(dir, '.minima', 'sweeps', 'grid');
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.equal(record.status, 'finished');
  assert.deepEqual(record.spec.paths, ['train.optimizer.lr', 'data.batch']);
  assert.deepEqual(record.trials.map((t) => `${t.values['train.optimizer.lr']}/${t.values['data.batch']}`).sort(), ['0.03/16', '0.03/32', '0.1/16', '0.1/32']);
  assert.equal(new Set(record.trials.map((t) => t.id)).size, 4);
  // sweep.json agrees with the run folders, and its best is the best of them.
  for (const t of record.trials) {
    assert.equal(t.status, 'finished');
    const s = readSummary(t.runDir ?? '');
    assert.equal(s?.status, 'finished');
    assert.equal(s?.final?.['val_accuracy'], t.metrics?.['val_accuracy']);
    const trialRecipe = fs.readFileSync(path.join(t.runDir ?? '', 'recipe.minima'), 'utf8');
    assert.match(trialRecipe, new RegExp(`batch = ${t.values['data.batch']}`));
    assert.doesNotMatch(trialRecipe, /sweep grid/);
  }
  const bestValue = Math.max(...record.trials.map((t) => t.metrics?.['val_accuracy'] ?? -1));
  assert.equal(record.best?.value, bestValue);

  // A rerun skips all four; after one trial's folder is removed, only that one trains again.
  const again = runCli(['sweep', 'grid.minima'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /4 trials \(4 finished before\)/);
  const gone = record.trials[2]!;
  fs.rmSync(path.join(sweepDir, gone.id), { recursive: true, force: true });
  const third = runCli(['sweep', 'grid.minima', '--json'], { cwd: dir });
  assert.equal(third.code, 0, third.stderr);
  const ran = third.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string }).filter((l) => l.type === 'trial');
  assert.deepEqual(ran.map((l) => l.id), [gone.id]);
});

test('minima run trains the base recipe and says the sweep block is ignored; a recipe without one is refused by sweep', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const run = runCli(['run', 'grid.minima', '--backend', 'wasm'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /ignores its sweep block; `minima sweep grid.minima` runs the trials/);
  fs.writeFileSync(path.join(dir, 'plain.minima'), 'data digits {\n  batch = 32\n}\n\nmodel mlp {\n  dense(10)\n}\n\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n');
  const none = runCli(['sweep', 'plain.minima'], { cwd: dir });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /has no sweep block/);
  const bad = runCli(['sweep', 'grid.minima', '--parallel', '0'], { cwd: dir });
  assert.equal(bad.code, 2);
});

/** The fixture with `edits` applied (plain text replacements), written as `name` in a new folder. */
function variant(name: string, edits: readonly [string | RegExp, string][]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  let text = fs.readFileSync(FIXTURE, 'utf8');
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    assert.notEqual(next, text, `the fixture has ${String(from)}`);
    text = next;
  }
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

type Line = { type: string; id?: string; status?: string };
const jsonLines = (out: string): Line[] => out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);

test('early_stop = asha(…) stops the trials that trail at a rung, by the rule, and a rerun keeps the decisions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-asha.minima'), path.join(dir, 'asha.minima'));
  const r = runCli(['sweep', 'asha.minima'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /not applied/);
  const sweepDir = path.join(dir, '.minima', 'sweeps', 'asha');
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.deepEqual(record.spec.earlyStop, { kind: 'asha', minEpochs: 1, reduction: 2 });
  const stopped = record.trials.filter((t) => t.status === 'stopped');
  assert.ok(stopped.length >= 1, 'a trailing trial is stopped');
  assert.ok(record.trials.some((t) => t.status === 'finished'), 'the leader runs to the end');
  // One trial at a time, in order: at each rung, each trial is compared with those that reached it before.
  const seen = new Map<number, number[]>();
  for (const t of record.trials) {
    const events = readEvents(t.runDir ?? '');
    const epochs = events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.metrics['val_accuracy']! : 0));
    for (const rung of [1, 2]) {
      if (epochs.length < rung) break;
      const before = seen.get(rung) ?? [];
      const value = epochs[rung - 1]!;
      const keep = before.filter((v) => v > value).length < Math.max(1, Math.floor((before.length + 1) / 2));
      seen.set(rung, [...before, value]);
      if (!keep) {
        assert.equal(t.status, 'stopped', `trial ${t.index + 1} trails at rung ${rung}`);
        assert.equal(t.rung, rung === 1 ? 1 : 2);
        assert.equal(t.epochs, rung);
        assert.equal(t.message, `stopped early (rung ${t.rung})`);
        assert.equal(epochs.length, rung, 'it stops right after the rung epoch');
        assert.equal(t.metrics?.['val_accuracy'], value, 'its metric is the one at the rung');
        const summary = readSummary(t.runDir ?? '');
        assert.equal(summary?.status, 'cancelled');
        assert.match(summary?.message ?? '', new RegExp(`^stopped early \\(rung ${t.rung}\\) after epoch ${rung}$`), 'the run folder says why it stopped, not "by the user"');
        break;
      }
      if (rung === 2) assert.equal(t.status, 'finished');
    }
  }
  assert.match(r.stdout, /stopped early \(rung 1\)/);
  assert.equal(record.best?.index, record.trials.find((t) => t.status === 'finished' && t.metrics?.['val_accuracy'] === record.best?.value)?.index);
  // A rerun trains nothing: finished and stopped trials are both done.
  const again = runCli(['sweep', 'asha.minima', '--json'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(jsonLines(again.stdout).filter((l) => l.type === 'trial').length, 0);
  const status = runCli(['sweep', 'asha.minima', '--status'], { cwd: dir });
  assert.match(status.stdout, new RegExp(`${stopped.length} stopped early`));
});

test('a rerun runs the failed trial again (as --rerun failed does); --rerun all trains every trial again', () => {
  const dir = variant('f.minima', [['train.optimizer.lr = [0.03, 0.1]', 'train.optimizer.lr = [0.1, 1e30]'], [/ {2}data\.batch = \[16, 32\]\n/, '']]);
  const first = runCli(['sweep', 'f.minima', '--json'], { cwd: dir });
  assert.equal(first.code, 1);
  const trials = jsonLines(first.stdout).filter((l) => l.type === 'trial');
  assert.deepEqual(trials.map((t) => t.status).sort(), ['failed', 'finished']);
  const failed = trials.find((t) => t.status === 'failed')!;
  const again = runCli(['sweep', 'f.minima'], { cwd: dir });
  assert.equal(again.code, 1, 'the trial fails again');
  assert.match(again.stdout, /2 trials \(1 finished before, 1 failed before and run again\)/);
  assert.match(again.stdout, /training diverged/);
  const rerunFailed = runCli(['sweep', 'f.minima', '--rerun', 'failed', '--json'], { cwd: dir });
  assert.deepEqual(jsonLines(rerunFailed.stdout).filter((l) => l.type === 'trial').map((l) => l.id), [failed.id]);
  const all = runCli(['sweep', 'f.minima', '--rerun', 'all', '--json'], { cwd: dir });
  assert.equal(jsonLines(all.stdout).filter((l) => l.type === 'trial').length, 2);
  const bad = runCli(['sweep', 'f.minima', '--rerun', 'some'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--rerun takes failed or all, not some/);
});

/** Starts a sweep of two short and two long trials, two at a time, and resolves once both short ones have finished and a long one is training. */
async function midSweep(): Promise<{ dir: string; child: ChildProcess; sweepDir: string; finished: string[] }> {
  const dir = variant('g.minima', [['data.batch = [16, 32]', 'train.epochs = [1, 600]']]);
  const main = path.join(__dirname, '..', 'main.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'sweep', 'g.minima', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const sweepDir = path.join(dir, '.minima', 'sweeps', 'g');
  const deadline = Date.now() + 120_000;
  for (;;) {
    assert.ok(Date.now() < deadline, 'the short trials finish');
    assert.equal(child.exitCode, null, 'the sweep is still running');
    await new Promise((r) => setTimeout(r, 100));
    let record: SweepRecord;
    try {
      record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
    } catch {
      continue;
    }
    const finished = record.trials.filter((t) => t.status === 'finished').map((t) => t.id);
    const training = record.trials.filter((t) => t.status === 'pending').filter((t) => listRuns(path.join(sweepDir, t.id)).some((r) => r.status === 'running' && (readEvents(path.join(sweepDir, t.id, r.id)).filter((e) => e.type === 'epoch').length ?? 0) >= 1));
    if (finished.length === 2 && training.length === 2) return { dir, child, sweepDir, finished };
  }
}

function trialPids(sweepDir: string): number[] {
  const pids: number[] = [];
  for (const id of fs.readdirSync(sweepDir)) for (const r of listRuns(path.join(sweepDir, id))) pids.push(r.pid);
  return pids;
}

/** Whether `pid` is a live process: a zombie (dead, not yet reaped by whoever inherited it) is not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

test('Ctrl-C stops every trial within a second and leaves a resumable sweep: the rerun trains only the unfinished trials', { timeout: 300_000 }, async (t) => {
  const { dir, child, sweepDir, finished } = await midSweep();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const t0 = Date.now();
  child.kill('SIGINT');
  const code = await exited;
  const ms = Date.now() - t0;
  assert.equal(code, 130);
  t.diagnostic(`the sweep ended ${ms} ms after Ctrl-C`);
  assert.ok(ms < 1000, `the sweep ended ${ms} ms after Ctrl-C`);
  assert.deepEqual(trialPids(sweepDir).filter(alive), [], 'no trial process is left');
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.equal(record.status, 'cancelled');
  assert.deepEqual(record.trials.filter((t) => t.status === 'finished').map((t) => t.id).sort(), [...finished].sort());
  assert.equal(record.trials.filter((t) => t.status === 'cancelled').length, 2);
  assert.match(stdout, /"type":"sweep"/);
  const rerun = runCli(['sweep', 'g.minima', '--json'], { cwd: dir });
  assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
  const ran = jsonLines(rerun.stdout).filter((l) => l.type === 'trial');
  assert.equal(ran.length, 2);
  for (const l of ran) assert.ok(!finished.includes(l.id ?? ''), `trial ${l.id} had not finished`);
});

test('kill -9 of the sweep ends its trials too; the rerun trains only the unfinished trials', { timeout: 300_000 }, async (t) => {
  const { dir, child, sweepDir, finished } = await midSweep();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  const t0 = Date.now();
  while (trialPids(sweepDir).some(alive) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
  const ms = Date.now() - t0;
  assert.deepEqual(trialPids(sweepDir).filter(alive), [], 'no orphaned trial keeps training');
  t.diagnostic(`the trials ended ${ms} ms after their sweep was killed`);
  assert.ok(ms < 1500, `the trials ended ${ms} ms after their sweep was killed`);
  const rerun = runCli(['sweep', 'g.minima', '--json'], { cwd: dir });
  assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
  const ran = jsonLines(rerun.stdout).filter((l) => l.type === 'trial');
  assert.equal(ran.length, 2);
  for (const l of ran) assert.ok(!finished.includes(l.id ?? ''), `trial ${l.id} had not finished`);
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.equal(record.status, 'finished');
  assert.equal(record.trials.filter((t) => t.reused).length, 2);
});

test('--trial, --status and --collect: a trial by its id, the state from the folders, clear usage errors', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-sweep-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  const status = runCli(['sweep', 'grid.minima', '--status'], { cwd: dir });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /4 trials: 0 finished, 0 stopped early, 0 running, 0 failed, 4 to run/);
  const id = /trial 2 ([0-9a-f]{12}) pending/.exec(status.stdout)?.[1];
  assert.ok(id, status.stdout);
  // One trial, in this process, as a cluster's task runs it; the others stay pending.
  const one = runCli(['sweep', 'grid.minima', '--trial', id], { cwd: dir });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, new RegExp(`^trial 2 ${id} finished\\n$`));
  const collected = runCli(['sweep', 'grid.minima', '--collect', '--json'], { cwd: dir });
  assert.equal(collected.code, 1, 'the sweep is not finished');
  const record = JSON.parse(collected.stdout) as SweepRecord & { type: string };
  assert.equal(record.status, 'running');
  assert.deepEqual(record.trials.map((t) => t.status), ['pending', 'finished', 'pending', 'pending']);
  assert.equal(record.best?.id, id);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, '.minima', 'sweeps', 'grid', 'sweep.json'), 'utf8')).trials[1].status, 'finished');
  const unknown = runCli(['sweep', 'grid.minima', '--trial', '000000000000'], { cwd: dir });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /the sweep has no trial 000000000000: the recipe changed since the trials were submitted/);
  for (const [args, message] of [
    [['--trial', 'abc'], /--trial takes a trial id \(12 hex digits\), not abc/],
    [['--status', '--collect'], /--status and --collect do not go together/],
    [['--partition', 'gpu'], /--partition goes with --on slurm/],
    [['--image', 'x'], /--image goes with --on kubernetes/],
    [['--on', 'lsf'], /--on takes local, slurm or kubernetes, not lsf/],
  ] as const) {
    const r = runCli(['sweep', 'grid.minima', ...args], { cwd: dir });
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
});

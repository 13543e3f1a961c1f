// `minima sweep --on slurm`: the batch script and the array split, submission errors, and on a
// real cluster (`npm run slurm:up`) a 2×2 digits sweep that gives the same trials and metrics as
// the local pool. Without a cluster the cluster tests skip, except on CI (CI=1), where they fail.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../testing/cli';
import { listRuns, readEvents } from '../../engine';
import { batchScript, jobsActive, maxArraySize, shellQuote, splitArrays, submitSlurm } from '../slurm';
import { loadSweep, type SweepRecord } from '../sweep';

const FIXTURE = path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima');
const CI = process.env['CI'] === '1' || process.env['CI'] === 'true';

function cluster(): string | undefined {
  const r = spawnSync('sinfo', ['-h', '-o', '%a %t'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return 'sinfo is not on PATH (`npm run slurm:up` starts a local cluster)';
  if (r.status !== 0) return `sinfo failed: ${r.stderr.trim()}`;
  if (!/up\s+(idle|mix|alloc)/.test(r.stdout)) return `no node takes jobs: ${r.stdout.trim()}`;
  return undefined;
}
const missing = cluster();
const skip = missing !== undefined && !CI ? `no Slurm cluster here: ${missing}` : false;

function sweepDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-slurm-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'grid.minima'));
  return dir;
}

test('MaxArraySize comes from scontrol show config, and arrays are split below it', () => {
  assert.equal(maxArraySize('AuthType = auth/munge\nMaxArraySize            = 40\nMaxJobCount = 10000\n'), 40);
  assert.equal(maxArraySize('nothing here'), 1001);
  assert.deepEqual(splitArrays(5, 2), [{ offset: 0, count: 2 }, { offset: 2, count: 2 }, { offset: 4, count: 1 }]);
  assert.deepEqual(splitArrays(3, 1001), [{ offset: 0, count: 3 }]);
  assert.deepEqual(splitArrays(0, 10), []);
  assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
  const script = batchScript({ sweepId: 'g r', sweepDir: '/shared/p/.minima/sweeps/g r', recipeDir: '/shared/p', recipe: 'g r.minima', node: '/usr/bin/node', cli: '/opt/minima/bin/minima.js', trials: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], partition: 'gpu', time: '00:10:00' });
  assert.match(script, /^#!\/bin\/bash\n/);
  assert.match(script, /#SBATCH --job-name=minima-g_r\n/);
  assert.match(script, /#SBATCH --partition=gpu\n#SBATCH --time=00:10:00\n/);
  assert.match(script, /TRIALS=\(aaaaaaaaaaaa bbbbbbbbbbbb\)\n/);
  assert.match(script, /exec \/usr\/bin\/node \/opt\/minima\/bin\/minima.js sweep 'g r.minima' --trial "\$\{TRIALS\[\$i\]\}"/);
  // The script picks the trial at MINIMA_TRIAL_OFFSET + SLURM_ARRAY_TASK_ID.
  const picked = spawnSync('bash', ['-c', script.replace(/^cd .*$/m, '').replace(/^exec .*$/m, 'echo "${TRIALS[$i]}"')], { encoding: 'utf8', env: { SLURM_ARRAY_TASK_ID: '0', MINIMA_TRIAL_OFFSET: '1', PATH: '/usr/bin:/bin' } });
  assert.equal(picked.stdout.trim(), 'bbbbbbbbbbbb');
});

test('a sweep larger than MaxArraySize is submitted as several arrays with their offsets', () => {
  const dir = sweepDir();
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-fake-slurm-'));
  const log = path.join(bin, 'sbatch.log');
  fs.writeFileSync(path.join(bin, 'scontrol'), '#!/bin/sh\necho "MaxArraySize            = 3"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'sbatch'), `#!/bin/sh\n[ "$1" = --version ] && { echo "slurm 22.05.8"; exit 0; }\necho "$@" >> ${shellQuote(log)}\nn=$(wc -l < ${shellQuote(log)})\necho "$((100 + n))"\n`, { mode: 0o755 });
  const loaded = loadSweep('grid.minima', { out: () => {}, err: () => {}, cwd: dir });
  assert.ok(typeof loaded !== 'number');
  const ids = loaded.trials.map((t) => t.record.id);
  const r = submitSlurm(loaded, { trials: ids, parallel: 2, commands: { sbatch: path.join(bin, 'sbatch'), scontrol: path.join(bin, 'scontrol') } });
  assert.ok(typeof r !== 'string', String(r));
  assert.deepEqual(r.jobs, [{ id: '101', offset: 0, count: 3 }, { id: '102', offset: 3, count: 1 }]);
  const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
  assert.match(calls[0]!, /^--parsable --array=0-2%2 --export=ALL,MINIMA_TRIAL_OFFSET=0 .*sweep.sbatch$/);
  assert.match(calls[1]!, /^--parsable --array=0-0%1 --export=ALL,MINIMA_TRIAL_OFFSET=3 .*sweep.sbatch$/);
  const jobs = JSON.parse(fs.readFileSync(path.join(loaded.sweepDir, 'slurm', 'jobs.json'), 'utf8')) as { maxArraySize: number; trials: string[] };
  assert.equal(jobs.maxArraySize, 3);
  assert.deepEqual(jobs.trials, ids);
  assert.match(fs.readFileSync(path.join(loaded.sweepDir, 'slurm', 'sweep.sbatch'), 'utf8'), new RegExp(`TRIALS=\\(${ids.join(' ')}\\)`));
});

test('without sbatch, or without a controller, --on slurm says so and what to do', () => {
  const dir = sweepDir();
  const loaded = loadSweep('grid.minima', { out: () => {}, err: () => {}, cwd: dir });
  assert.ok(typeof loaded !== 'number');
  const r = submitSlurm(loaded, { trials: [loaded.trials[0]!.record.id], parallel: 1, commands: { sbatch: path.join(dir, 'no-sbatch-here') } });
  assert.equal(typeof r, 'string');
  assert.match(String(r), /needs Slurm's sbatch, which is not on PATH here \(ENOENT\); run this on a login node of the cluster, or start a local cluster with `npm run slurm:up`/);
  // sbatch is there but the controller does not answer.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-fake-slurm-'));
  fs.writeFileSync(path.join(bin, 'sbatch'), '#!/bin/sh\necho "slurm 22.05.8"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'scontrol'), '#!/bin/sh\necho "slurm_load_ctl_conf error: Unable to contact slurm controller (connect failure)" >&2\nexit 1\n', { mode: 0o755 });
  const down = submitSlurm(loaded, { trials: [loaded.trials[0]!.record.id], parallel: 1, commands: { sbatch: path.join(bin, 'sbatch'), scontrol: path.join(bin, 'scontrol') } });
  assert.match(String(down), /Slurm's controller does not answer \(`scontrol show config`: slurm_load_ctl_conf error: Unable to contact slurm controller \(connect failure\)\); is slurmctld running\? \(`npm run slurm:up` starts a local one\)/);
  const main = path.join(__dirname, '..', 'main.js');
  const cli = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'sweep', 'grid.minima', '--on', 'slurm', '--time', '1'], { cwd: dir, encoding: 'utf8', env: { PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'minima-empty-path-')) } });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /needs Slurm's sbatch/);
  assert.doesNotMatch(cli.stderr, /internal error/);
});

test('on the local cluster, a 2×2 sweep gives the same trials and metrics as the local pool; a bad partition is refused clearly', { skip, timeout: 300_000 }, () => {
  assert.equal(missing, undefined, `CI needs the Slurm cluster (npm run slurm:up): ${missing}`);
  const local = sweepDir();
  const onSlurm = sweepDir();
  const a = runCli(['sweep', 'grid.minima', '--json'], { cwd: local });
  assert.equal(a.code, 0, a.stderr);
  const b = runCli(['sweep', 'grid.minima', '--on', 'slurm', '--parallel', '2'], { cwd: onSlurm });
  assert.equal(b.code, 0, b.stderr + b.stdout);
  assert.match(b.stdout, /submitted job \d+ \(array 0-3%2\)/);
  assert.match(b.stdout, /\[4\/4\] trial/);
  const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, '.minima', 'sweeps', 'grid', 'sweep.json'), 'utf8')) as SweepRecord;
  const ra = read(local);
  const rb = read(onSlurm);
  assert.equal(rb.engine, 'slurm');
  assert.equal(rb.status, 'finished');
  for (const t of ra.trials) {
    const u = rb.trials.find((x) => x.id === t.id);
    assert.ok(u, `trial ${t.id} ran on Slurm`);
    assert.equal(u.status, 'finished');
    assert.equal(u.metrics?.['val_accuracy'], t.metrics?.['val_accuracy'], `trial ${t.id}: same seeds, same metrics`);
    assert.equal(u.metrics?.['loss'], t.metrics?.['loss']);
  }
  assert.deepEqual(rb.best, ra.best);
  // Each task's output is in the sweep's folder; --status and --collect read the folder.
  const outs = fs.readdirSync(path.join(onSlurm, '.minima', 'sweeps', 'grid', 'slurm')).filter((f) => f.endsWith('.out'));
  assert.equal(outs.length, 4);
  const status = runCli(['sweep', 'grid.minima', '--status'], { cwd: onSlurm });
  assert.equal(status.code, 0);
  assert.match(status.stdout, /4 trials: 4 finished/);
  assert.match(status.stdout, /slurm: jobs \d+/);
  fs.rmSync(path.join(onSlurm, '.minima', 'sweeps', 'grid', 'sweep.json'));
  const collected = runCli(['sweep', 'grid.minima', '--collect', '--json'], { cwd: onSlurm });
  assert.equal(collected.code, 0, collected.stderr);
  assert.deepEqual(read(onSlurm).best, ra.best);
  // A rerun submits nothing: every trial is finished.
  const again = runCli(['sweep', 'grid.minima', '--on', 'slurm'], { cwd: onSlurm });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /4 trials \(4 finished before\)/);
  assert.doesNotMatch(again.stdout, /submitted/);
  const bad = runCli(['sweep', 'grid.minima', '--on', 'slurm', '--rerun', 'all', '--partition', 'no-such-partition'], { cwd: onSlurm });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Slurm refused the job array: .*[Ii]nvalid partition.*\(--partition no-such-partition; `sinfo -s` lists the partitions\)/);
});

test('Ctrl-C while following a Slurm sweep cancels its jobs; the next --on slurm submits only the unfinished trials', { skip, timeout: 300_000 }, async () => {
  assert.equal(missing, undefined, `CI needs the Slurm cluster (npm run slurm:up): ${missing}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-slurm-'));
  fs.writeFileSync(path.join(dir, 'g.minima'), fs.readFileSync(FIXTURE, 'utf8').replace('data.batch = [16, 32]', 'train.epochs = [1, 600]'));
  const main = path.join(__dirname, '..', 'main.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'sweep', 'g.minima', '--on', 'slurm', '--parallel', '2'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const sweepDir = path.join(dir, '.minima', 'sweeps', 'g');
  // Wait until a long trial is training (its run folder has an epoch).
  const deadline = Date.now() + 120_000;
  for (;;) {
    assert.ok(Date.now() < deadline, `a long trial starts: ${stdout}`);
    assert.equal(child.exitCode, null, stdout);
    await new Promise((r) => setTimeout(r, 200));
    const training = fs.existsSync(sweepDir) && fs.readdirSync(sweepDir).some((id) => listRuns(path.join(sweepDir, id)).some((r) => r.status === 'running' && r.recipe !== '' && readEvents(path.join(sweepDir, id, r.id)).filter((e) => e.type === 'epoch').length >= 3));
    if (training) break;
  }
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.match(stdout, /cancelled the jobs \(scancel \d+\)/);
  const jobs = JSON.parse(fs.readFileSync(path.join(sweepDir, 'slurm', 'jobs.json'), 'utf8')) as { jobs: { id: string }[] };
  assert.equal(jobsActive(jobs.jobs as never), false, 'no task of the sweep is left in the queue');
  const record = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
  assert.equal(record.status, 'cancelled');
  const unfinished = record.trials.filter((t) => t.status !== 'finished').map((t) => t.id);
  assert.ok(unfinished.length >= 1);
  // Resume: only the unfinished trials are in the new batch script (no need to train them here).
  const loaded = loadSweep('g.minima', { out: () => {}, err: () => {}, cwd: dir });
  assert.ok(typeof loaded !== 'number');
  assert.deepEqual(loaded.trials.filter((t) => t.record.status === 'pending' || t.record.status === 'cancelled').map((t) => t.record.id).sort(), [...unfinished].sort());
  const again = runCli(['sweep', 'g.minima', '--on', 'slurm', '--parallel', '2', '--json'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  const ran = again.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string }).filter((l) => l.type === 'trial');
  assert.deepEqual(ran.map((l) => l.id).sort(), [...unfinished].sort());
  assert.match(fs.readFileSync(path.join(sweepDir, 'slurm', 'sweep.sbatch'), 'utf8'), new RegExp(`TRIALS=\\(${unfinished.join(' ')}\\)`));
});

test('kill -9 of the follower leaves the jobs running: a new sweep refuses to submit them twice, --status follows them', { skip, timeout: 300_000 }, async () => {
  assert.equal(missing, undefined, `CI needs the Slurm cluster (npm run slurm:up): ${missing}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-slurm-'));
  fs.writeFileSync(path.join(dir, 'g.minima'), fs.readFileSync(FIXTURE, 'utf8').replace('data.batch = [16, 32]', 'train.epochs = [600, 601]'));
  const main = path.join(__dirname, '..', 'main.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'sweep', 'g.minima', '--on', 'slurm', '--parallel', '1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!/submitted job (\d+)/.test(stdout)) {
    assert.ok(Date.now() < deadline && child.exitCode === null, stdout);
    await new Promise((r) => setTimeout(r, 100));
  }
  const job = /submitted job (\d+)/.exec(stdout)![1]!;
  child.kill('SIGKILL');
  await exited;
  try {
    const again = runCli(['sweep', 'g.minima', '--on', 'slurm'], { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`the sweep's Slurm job ${job} is still in the queue; \`minima sweep g.minima --status\` follows it, \`scancel ${job}\` stops it`));
    const local = runCli(['sweep', 'g.minima'], { cwd: dir });
    assert.equal(local.code, 1, 'nor does a local run of the same sweep');
    const status = runCli(['sweep', 'g.minima', '--status'], { cwd: dir });
    assert.equal(status.code, 0);
    assert.match(status.stdout, new RegExp(`slurm: jobs ${job}: \\d+ (pending|running)`));
  } finally {
    spawnSync('scancel', [job]);
    for (let i = 0; i < 50 && jobsActive([{ id: job, offset: 0, count: 2 }]); i++) await new Promise((r) => setTimeout(r, 200));
  }
});

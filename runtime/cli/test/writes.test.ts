// What `minima run` writes and where: usage errors for --runs/--report (missing values, paths
// outside the current folder and the recipe's, a report that is not .html), `--help` on each
// command, the exported model (`model: …`, never over a file Minima did not write), and the
// file system refusing a write (exit 73 with a message naming the path, never "internal error").
// Each workspace is a temporary folder with the recipe in rec/ and the command run from work/.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '..';
import { runCli, type CliOptions, type CliRun } from '../../testing/cli';

const MOONS = fs.readFileSync(path.join('test-fixtures', 'runs', 'moons-small.minima'), 'utf8').replace('epochs = 8', 'epochs = 1');
const RECIPE = `${MOONS}\nreport {\n  export = "out/m.onnx"\n}\n`;
const INVALID = path.join('test-fixtures', 'recipes', 'invalid');

interface Workspace {
  readonly root: string;
  /** The recipe's folder (rec/r.minima). */
  readonly rec: string;
  /** The folder the command runs in. */
  readonly work: string;
  run(args: readonly string[], options?: CliOptions): CliRun;
}

function workspace(recipe = RECIPE, files: Readonly<Record<string, string>> = {}): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-cli-writes-'));
  const rec = path.join(root, 'rec');
  const work = path.join(root, 'work');
  fs.mkdirSync(rec);
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(rec, 'r.minima'), recipe);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return { root, rec, work, run: (args, options = {}) => runCli(args, { cwd: work, ...options }) };
}

const R = path.join('..', 'rec', 'r.minima');

test('minima run --help and minima check --help print their usage and exit 0', () => {
  for (const [args, usage] of [
    [['run', '--help'], /^usage: minima run <recipe\.minima>/],
    [['run', '-h'], /^usage: minima run <recipe\.minima>/],
    [['check', '--help'], /^usage: minima check <files or folders…>/],
    [['check', '-h'], /^usage: minima check <files or folders…>/],
  ] as const) {
    const r = runCli(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, usage);
  }
});

// Usage errors: exit 2 before anything is trained or written, one line naming the problem.
const USAGE: readonly (readonly [args: readonly string[], message: RegExp])[] = [
  [['run', R, '--report'], /^minima run: --report needs a value; see `minima run --help`$/m],
  [['run', R, '--runs'], /^minima run: --runs needs a value; see `minima run --help`$/m],
  [['run', R, '--report', '--json'], /--report needs a value/],
  [['run', R, '--runs='], /--runs needs a path/],
  [['run', R, '--report', 'report.txt'], /--report report\.txt must end in \.html/],
  [['run', R, '--report', '.'], /--report \. names a folder/],
  [['run', R, '--report', path.join('..', 'elsewhere', 'r.html')], /is outside both the current folder .*work and the recipe's folder .*rec; the report must go inside one of them/],
  [['run', R, '--report', path.join(os.tmpdir(), 'minima-report.html')], /--report .* is outside both/],
  [['run', R, '--runs', path.join('..', '..')], /--runs .* is outside both the current folder .*; runs must go inside one of them/],
  [['run', R, '--runs', os.tmpdir()], /--runs .* is outside both/],
  [['run', R, '--bogus'], /unknown option --bogus/],
  [['check', '--bogus', 'x.minima'], /^minima check: unknown option --bogus; see `minima check --help`$/m],
];

for (const [args, message] of USAGE) {
  test(`minima ${args.join(' ')} is a usage error`, () => {
    const ws = workspace();
    const r = ws.run(args);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
    assert.deepEqual(fs.readdirSync(ws.rec), ['r.minima'], 'nothing was written next to the recipe');
  });
}

test('a symbolic link inside the current folder that leads out of it does not make --runs inside', () => {
  const ws = workspace();
  fs.symlinkSync(os.tmpdir(), path.join(ws.work, 'link'));
  const r = ws.run(['run', R, '--runs', path.join('link', 'runs')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--runs link.runs is outside both/);
});

test('every export-path fixture fails minima check with M036, and minima run refuses it before training', () => {
  const fixtures = fs.readdirSync(INVALID).filter((f) => f.startsWith('export-path-'));
  assert.ok(fixtures.length >= 6, `expected the export-path fixtures, found ${fixtures.join(', ')}`);
  for (const name of fixtures) {
    const ws = workspace(fs.readFileSync(path.join(INVALID, name), 'utf8'), { 'rec/self.minima': 'recipe "self" {}\n' });
    const check = ws.run(['check', R]);
    assert.equal(check.code, 1, `${name}: ${check.stdout}`);
    assert.match(check.stdout, /r\.minima:\d+:\d+: error M036: /, name);
    const run = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs']);
    assert.equal(run.code, 1, `${name}: ${run.stderr}`);
    assert.match(run.stderr, /error M036: .*\n.*has errors; fix them first/, name);
    assert.equal(fs.readFileSync(path.join(ws.rec, 'self.minima'), 'utf8'), 'recipe "self" {}\n', name);
    assert.ok(!fs.existsSync(path.join(ws.work, 'runs')), `${name}: no run was started`);
  }
});

test('--backend webgpu is accepted and passed to the engine', () => {
  const ws = workspace();
  const r = ws.run(['run', R, '--backend', 'webgpu', '--runs', 'runs']);
  assert.doesNotMatch(r.stderr, /--backend takes|unknown option/);
  assert.notEqual(r.code, 2, r.stderr);
});

test('the exported model is printed as model: …, next to a file Minima did not write, which is kept', () => {
  const ws = workspace(RECIPE, { 'rec/out/m.onnx': 'somebody else’s model\n' });
  const r = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs']);
  assert.equal(r.code, 0, r.stderr);
  const written = path.join('..', 'rec', 'out', 'm-2.onnx');
  assert.match(r.stdout, new RegExp(`^model: ${escape(written)}$`, 'm'));
  assert.match(r.stderr, new RegExp(`warning: ${escape(path.join('out', 'm.onnx'))} exists and was not written by Minima; wrote ${escape(path.join('out', 'm-2.onnx'))}`));
  assert.equal(fs.readFileSync(path.join(ws.rec, 'out', 'm.onnx'), 'utf8'), 'somebody else’s model\n');
  // A second run replaces its own model in place and says nothing about it.
  const again = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^model: ${escape(written)}$`, 'm'));
  assert.deepEqual(fs.readdirSync(path.join(ws.rec, 'out')).sort(), ['m-2.onnx', 'm.onnx']);
});

test('--report never replaces a page that is not a Minima report, and replaces its own', () => {
  const ws = workspace(MOONS, { 'work/report.html': '<html>my notes</html>\n' });
  const first = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs', '--report', 'report.html']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^report: report-2\.html$/m);
  assert.match(first.stderr, /warning: report\.html exists and is not a Minima report; wrote report-2\.html/);
  assert.equal(fs.readFileSync(path.join(ws.work, 'report.html'), 'utf8'), '<html>my notes</html>\n');
  assert.match(fs.readFileSync(path.join(ws.work, 'report-2.html'), 'utf8'), /<meta name="generator" content="minima">/);
  // Into the recipe's folder (allowed too), and then over its own page.
  for (let i = 0; i < 2; i++) {
    const r = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs', '--report', path.join('..', 'rec', 'r.html')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^report: ${escape(path.join('..', 'rec', 'r.html'))}$`, 'm'));
  }
});

// The file system refusing a write: exit 73, one line naming the path and what to do.

test('--runs naming a file exits 73 and names it', () => {
  const ws = workspace(MOONS, { 'work/runs': 'a file\n' });
  const r = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs']);
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, new RegExp(`^run failed: cannot create the run folder: ${escape(path.join(ws.work, 'runs'))}: a file is in the way where a folder should be \\(EEXIST\\); remove or rename that file, or choose another folder$`, 'm'));
  assert.doesNotMatch(r.stderr, /internal error/);
});

/** Makes `dir` read-only for the CLI: as root (who writes anyway) the CLI then runs as nobody. */
function readOnly(ws: Workspace, dir: string): CliOptions {
  const root = process.getuid?.() === 0;
  if (root) chownTree(ws.root, 65534, 65534);
  fs.chmodSync(dir, 0o555);
  return root ? { uid: 65534, gid: 65534 } : {};
}

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}

test('a read-only recipe folder exits 73, names the run folder and says how to choose another', () => {
  const ws = workspace(MOONS);
  const as = readOnly(ws, ws.rec);
  const r = ws.run(['run', R, '--backend', 'wasm'], as);
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, new RegExp(`^run failed: cannot create the run folder: ${escape(path.join(ws.rec, '.minima'))}\\S*: permission denied \\(EACCES\\); make the folder writable or choose another one$`, 'm'));
  assert.match(r.stderr, /^minima run: keep runs in another folder with --runs DIR$/m);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('a read-only runs folder exits 73 and names it', () => {
  const ws = workspace(MOONS);
  fs.mkdirSync(path.join(ws.work, 'runs'));
  const as = readOnly(ws, path.join(ws.work, 'runs'));
  const r = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs'], as);
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot create the run folder: ${escape(path.join(ws.work, 'runs'))}\\S*: permission denied \\(EACCES\\)`));
});

test('an export into a read-only folder exits 73 after training and says where the model is kept', () => {
  const ws = workspace();
  const as = readOnly(ws, ws.rec);
  const r = ws.run(['run', R, '--backend', 'wasm', '--runs', 'runs'], as);
  assert.equal(r.code, 73, r.stderr);
  assert.match(r.stderr, /^run failed: cannot write the model: .*rec.out: permission denied \(EACCES\); make the folder writable or choose another one \(the trained model is kept in .*model\.onnx\)$/m);
  assert.match(r.stdout, /^run folder: runs.\d{8}-\d{6}-moons-small$/m);
});

test('an environment error thrown anywhere is exit 73 with its path, not an internal error', async () => {
  const err: string[] = [];
  const code = await main(['--version'], {
    out: () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/runs/1/metrics.jsonl' });
    },
    err: (s) => err.push(s),
    cwd: process.cwd(),
  });
  assert.equal(code, 73);
  assert.equal(err.join(''), 'minima: cannot write a file: /data/runs/1/metrics.jsonl: the disk is full (ENOSPC); free some space or choose another disk\n');
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// `minima report` through the CLI, on run folders written by hand as the run store writes them
// (no training): usage errors, folders that hold no run, a sweep folder and a folder of runs
// standing for their runs, the page written inside the current folder and never over a file
// that is not Minima's report. The pages themselves are opened in Chromium by the e2e's report mode.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../testing/cli';
import { REPORT_DATA_ID } from '../report-page';
import type { ReportPayload } from '../report-data';
import { syntheticRun } from './report-fixture';

function workspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-report-cli-'));
}

/** A finished run folder `dir` of `steps` steps with learning rate `lr`. */
function writeRun(dir: string, steps: number, lr: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), syntheticRun(steps).map((e) => JSON.stringify(e)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'recipe.minima'), `recipe "moons" {\n  seed = 3\n}\n# lr ${lr}\n`);
  const id = path.basename(dir);
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ id, recipe: 'moons', status: 'finished', pid: 1, started: `2026-01-01T00:00:0${lr.length % 10}.000Z`, seconds: 3, steps, backend: 'wasm', hyper: { optimizer: `sgd(lr: ${lr})` }, final: { val_accuracy: Number(lr) } }));
}

function payloadOf(file: string): ReportPayload {
  const html = fs.readFileSync(file, 'utf8');
  const m = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^<]*)</script>`).exec(html);
  assert.ok(m, 'the data block');
  return JSON.parse(m[1]!) as ReportPayload;
}

test('minima report writes one page of several runs, in the order given', () => {
  const ws = workspace();
  writeRun(path.join(ws, 'runs', 'a'), 300, '0.1');
  writeRun(path.join(ws, 'runs', 'b'), 300, '0.03');
  const r = runCli(['report', 'runs/b', 'runs/a', '-o', 'out/compare.html'], { cwd: ws });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^report: out[/\\]compare\.html \(2 runs, \d+ KB\)$/m);
  const p = payloadOf(path.join(ws, 'out', 'compare.html'));
  assert.deepEqual(p.runs.map((x) => x.summary.id), ['b', 'a']);
  assert.equal(p.title, 'moons');
  assert.equal(p.runs[0]!.folder, path.join('runs', 'b'));
  assert.match(p.runs[0]!.recipeText ?? '', /lr 0\.03/);
  assert.equal(p.runs[0]!.steps.recorded, 300);
  assert.ok(p.runs[0]!.events.some((e) => e.type === 'started') && !p.runs[0]!.events.some((e) => e.type === 'step'));
});

test('a sweep folder stands for its trials’ runs, a folder of runs for every run in it', () => {
  const ws = workspace();
  const sweep = path.join(ws, '.minima', 'sweeps', 'moons', 'grid-1');
  writeRun(path.join(sweep, 'lr-0.1', '20260101-000000-moons'), 50, '0.1');
  writeRun(path.join(sweep, 'lr-0.3', '20260101-000000-moons'), 50, '0.3');
  fs.writeFileSync(path.join(sweep, 'sweep.json'), JSON.stringify({ id: 'grid-1', recipe: 'moons', trials: [{ index: 0, id: 'lr-0.3' }, { index: 1, id: 'lr-0.1' }, { index: 2, id: 'lr-1' }, { index: 3, id: '../escape' }] }));
  const r = runCli(['report', path.join('.minima', 'sweeps', 'moons', 'grid-1'), '-o', 'sweep.html'], { cwd: ws });
  assert.equal(r.code, 0, r.stderr);
  const p = payloadOf(path.join(ws, 'sweep.html'));
  assert.equal(p.title, 'sweep grid-1');
  // Both trials' runs share a folder name: the second gets a distinct id in the page.
  assert.deepEqual(p.runs.map((x) => x.summary.id), ['20260101-000000-moons', '20260101-000000-moons (2)']);
  assert.deepEqual(p.runs.map((x) => x.summary.hyper?.['optimizer']), ['sgd(lr: 0.3)', 'sgd(lr: 0.1)']);

  writeRun(path.join(ws, 'runs', 'x'), 20, '0.1');
  writeRun(path.join(ws, 'runs', 'y'), 20, '0.2');
  const all = runCli(['report', 'runs', 'runs/x', '-o', 'all.html', '--title', 'Everything'], { cwd: ws });
  assert.equal(all.code, 0, all.stderr);
  const q = payloadOf(path.join(ws, 'all.html'));
  assert.equal(q.title, 'Everything');
  assert.deepEqual(q.runs.map((x) => x.summary.id).sort(), ['x', 'y'], 'each folder once');
});

test('minima report: usage errors exit 2, folders without a run exit 1, each with one clear line', () => {
  const ws = workspace();
  writeRun(path.join(ws, 'runs', 'a'), 10, '0.1');
  fs.mkdirSync(path.join(ws, 'empty'));
  fs.writeFileSync(path.join(ws, 'file.txt'), 'x');
  fs.mkdirSync(path.join(ws, 'sweep-new'));
  fs.writeFileSync(path.join(ws, 'sweep-new', 'sweep.json'), JSON.stringify({ id: 's', trials: [{ index: 0, id: 't0' }] }));
  fs.mkdirSync(path.join(ws, 'sweep-bad'));
  fs.writeFileSync(path.join(ws, 'sweep-bad', 'sweep.json'), '{"id": ');
  const cases: Array<[string[], number, RegExp]> = [
    [['report'], 2, /^minima report: give one or more run or sweep folders/],
    [['report', 'runs/a'], 2, /^minima report: give the page to write with -o FILE\.html/],
    [['report', 'runs/a', '-o'], 2, /^minima report: -o needs a value/],
    [['report', 'runs/a', '-o', 'r.txt'], 2, /^minima report: -o r\.txt must end in \.html/],
    [['report', 'runs/a', '-o', path.join('..', 'r.html')], 2, /^minima report: -o \.\.[/\\]r\.html is outside the current folder .*; the report must go inside it$/m],
    [['report', 'runs/a', '--bogus', '-o', 'r.html'], 2, /^minima report: unknown option --bogus/],
    [['report', 'missing', '-o', 'r.html'], 1, /^minima report: missing: cannot read it \(ENOENT\)$/m],
    [['report', 'empty', '-o', 'r.html'], 1, /^minima report: empty: holds no run/],
    [['report', 'file.txt', '-o', 'r.html'], 1, /^minima report: file\.txt: is not a folder/],
    [['report', 'sweep-new', '-o', 'r.html'], 1, /^minima report: sweep-new: the sweep has no trial run yet/],
    [['report', 'sweep-bad', '-o', 'r.html'], 1, /^minima report: sweep-bad: sweep\.json cannot be read \(not JSON\)$/m],
  ];
  for (const [args, code, message] of cases) {
    const r = runCli(args, { cwd: ws });
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(fs.existsSync(path.join(ws, 'r.html')), false);
  const help = runCli(['report', '--help'], { cwd: ws });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: minima report/);
});

test('minima report never replaces a page that is not a Minima report, and replaces its own', () => {
  const ws = workspace();
  writeRun(path.join(ws, 'runs', 'a'), 10, '0.1');
  fs.writeFileSync(path.join(ws, 'report.html'), '<html>my notes</html>\n');
  const first = runCli(['report', 'runs/a', '-o', 'report.html'], { cwd: ws });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^warning: report\.html exists and is not a Minima report; wrote report-2\.html$/m);
  assert.equal(fs.readFileSync(path.join(ws, 'report.html'), 'utf8'), '<html>my notes</html>\n');
  const again = runCli(['report', 'runs/a', '-o', 'report-2.html'], { cwd: ws });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stderr, '');
  assert.deepEqual(fs.readdirSync(ws).filter((f) => f.endsWith('.html')).sort(), ['report-2.html', 'report.html']);
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli, type CliRun } from '../../testing/cli';

const MOONS = path.resolve('test-fixtures', 'runs', 'moons-small.minima');
const LONG = path.resolve('test-fixtures', 'runs', 'long.minima');
const MAIN = path.join(__dirname, '..', 'main.js');

function cliIn(cwd: string, args: readonly string[]): CliRun {
  return runCli(args, { cwd });
}

function cli(...args: string[]): CliRun {
  return runCli(args);
}

test('minima run --json streams events and --report writes a self-contained page', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-cli-run-'));
  const report = path.join(dir, 'report.html');
  const r = cliIn(dir, ['run', MOONS, '--json', '--backend', 'wasm', '--runs', 'runs', '--report', 'report.html']);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.equal(events[0]?.type, 'started');
  assert.equal(events[events.length - 1]?.type, 'finished');
  const html = fs.readFileSync(report, 'utf8');
  // The page `minima report` makes of the run folder: its data, the dashboard's bundle inlined,
  // nothing remote (client/test-e2e's report mode opens such pages in Chromium).
  const runId = fs.readdirSync(path.join(dir, 'runs'));
  assert.equal(runId.length, 1);
  const data = /<script type="application\/json" id="minima-report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(data, 'the data block');
  const payload = JSON.parse(data[1]!) as { runs: { summary: { id: string; status: string }; steps: { metrics: Record<string, unknown> } }[] };
  assert.deepEqual(payload.runs.map((r) => [r.summary.id, r.summary.status]), [[runId[0], 'finished']]);
  assert.ok('loss' in payload.runs[0]!.steps.metrics);
  assert.match(html, /content="default-src 'none'; script-src 'sha256-/);
  assert.doesNotMatch(html, /(src|href)="https?:/);
});

test('minima run prints the final table and the run folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-cli-run-'));
  const r = cliIn(dir, ['run', MOONS, '--backend', 'wasm', '--epochs', '2', '--runs', '.']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^training moons-small: 2 epochs × 10 steps/m);
  assert.match(r.stdout, /^validation accuracy\s+\d+\.\d\d%$/m);
  assert.match(r.stdout, /^run folder: .+moons-small$/m);
});

test('minima run refuses a recipe with errors and prints its diagnostics', () => {
  const r = cli('run', 'test-fixtures/nvim/unknown-optimizer.minima');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown-optimizer\.minima:\d+:\d+: error M012: /);
  assert.match(r.stderr, /has errors; fix them first/);
});

test('minima run reports a diverging run and exits 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-cli-run-'));
  const r = cliIn(dir, ['run', path.resolve('test-fixtures', 'runs', 'diverge.minima'), '--backend', 'wasm', '--runs', 'runs']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /run failed: training diverged/);
});

test('minima run with a bad option or a missing file exits 2', () => {
  assert.equal(cli('run').code, 2);
  assert.equal(cli('run', 'x.minima', '--backend', 'gpu').code, 2);
  assert.equal(cli('run', 'test-fixtures/runs/does-not-exist.minima').code, 2);
});

// A signal mid-run stops it within one step: the run folder's summary says cancelled, the last
// event is the `failed` (cancelled) one, and the exit code names the signal.
for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} mid-run stops it as cancelled and exits ${code}`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-cli-signal-'));
    const child = spawn(process.execPath, [MAIN, 'run', LONG, '--json', '--backend', 'wasm', '--runs', 'runs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Signal once the run has taken a few steps.
      if (sentAt === 0 && (stdout.match(/"type":"step"/g)?.length ?? 0) >= 3) {
        sentAt = Date.now();
        child.kill(signal);
      }
    });
    const exit = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.ok(sentAt > 0, `the run never reached its third step: ${stderr}`);
    assert.equal(exit, code, stderr);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; reason?: string; message?: string });
    const last = events[events.length - 1];
    assert.deepEqual([last?.type, last?.reason], ['failed', 'cancelled']);
    // Stopped at a step inside the first epoch (of 2,000), not at an epoch's end.
    assert.match(last?.message ?? '', /^stopped by the user at epoch 1, step \d+$/);
    const [id] = fs.readdirSync(path.join(dir, 'runs'));
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'runs', id ?? '', 'summary.json'), 'utf8')) as { status: string };
    assert.equal(summary.status, 'cancelled');
  });
}

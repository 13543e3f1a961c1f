// CLI tests: spawn the compiled CLI on fixtures and check its lines and exit codes, then a smoke
// test of bin/minima.js (skipped when out/ has not been built, e.g. when compiling elsewhere).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '..';

const CLI = path.join(__dirname, '..', 'main.js');
const BIN = path.resolve('bin', 'minima.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const LINE = /^(.+):(\d+):(\d+): (error|warning|info) (M\d{3}): (.+)$/;

test('a syntax error prints a compiler-style line and exits 1', () => {
  const r = cli('check', 'test-fixtures/cli/syntax-error.minima');
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes("test-fixtures/cli/syntax-error.minima:15:18: error M005: '(' is not closed: expected ')'"), r.stdout);
  for (const l of lines.slice(0, -1)) assert.match(l, LINE);
  assert.match(lines[lines.length - 1] ?? '', /^1 file checked: \d+ errors?, \d+ warnings?/);
});

test('the examples check clean and exit 0', () => {
  const r = cli('check', 'test-fixtures/recipes/examples');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /: (error|warning) M/);
  assert.match(r.stdout, /^ok: \d+ files? checked: 0 errors, 0 warnings/m);
});

test('warnings alone exit 0', () => {
  const r = cli('check', '--json', 'test-fixtures/cli/warnings');
  const report = JSON.parse(r.stdout) as { files: { path: string; diagnostics: { severity: string; line: number }[] }[] };
  const file = report.files[0];
  assert.equal(file?.path, path.join('test-fixtures', 'cli', 'warnings', 'large-lr.minima'));
  const severities = file?.diagnostics.map((d) => d.severity) ?? [];
  assert.ok(severities.includes('warning'), `expected a warning for sgd(lr: 5), got ${JSON.stringify(file?.diagnostics)}`);
  assert.ok(!severities.includes('error'), JSON.stringify(file?.diagnostics));
  assert.equal(r.code, 0);
});

test('--json reports 1-based positions and 0-based LSP ranges', () => {
  const r = cli('check', '--json', 'test-fixtures/cli/syntax-error.minima');
  assert.equal(r.code, 1);
  const report: unknown = JSON.parse(r.stdout);
  assert.deepEqual((report as { summary: unknown }).summary, { files: 1, errors: 1, warnings: 0, infos: 0, unreadable: 0 });
  const d = (report as { files: { diagnostics: unknown[] }[] }).files[0]?.diagnostics.find((x) => (x as { code: string }).code === 'M005');
  assert.deepEqual(d, {
    line: 15,
    column: 18,
    endLine: 15,
    endColumn: 19,
    range: { start: { line: 14, character: 17 }, end: { line: 14, character: 18 } },
    code: 'M005',
    severity: 'error',
    message: "'(' is not closed: expected ')'",
  });
});

test('control bytes in a file are printed as escapes, never sent to the terminal', () => {
  const r = cli('check', 'test-fixtures/cli/control-bytes.bin');
  assert.equal(r.code, 1, r.stderr);
  // Only the line breaks that end the printed lines are control characters.
  assert.doesNotMatch(r.stdout + r.stderr, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  const lines = r.stdout.split('\n');
  for (const expected of [
    "test-fixtures/cli/control-bytes.bin:3:12: error M001: unexpected character '\\x1b'",
    "test-fixtures/cli/control-bytes.bin:3:20: error M001: unexpected character '\\x07'",
    'test-fixtures/cli/control-bytes.bin:4:15: error M018: expected an optimizer or a wrapper, found "sgd\\x1b[2J"',
    "test-fixtures/cli/control-bytes.bin:6:15: error M001: unexpected character '\\x9b'",
    "test-fixtures/cli/control-bytes.bin:6:19: error M001: unexpected character '\\u202e'",
  ]) {
    assert.ok(lines.includes(expected), `${expected}\n${r.stdout}`);
  }
});

test(`${10_000} nested '[' or 'f(' are diagnostics, not an internal error`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-deep-'));
  try {
    fs.writeFileSync(path.join(dir, 'brackets.minima'), `train {\n  epochs = ${'['.repeat(10_000)}\n}\n`);
    fs.writeFileSync(path.join(dir, 'calls.minima'), `model {\n  dense: ${'f('.repeat(10_000)}\n}\n`);
    const r = cli('check', dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(r.stdout.match(/ error M004: nesting deeper than 64 levels/g)?.length, 2, r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('folders are searched recursively, files keep the path as given', () => {
  const r = cli('check', 'test-fixtures/cli');
  const checked = /(\d+) files checked/.exec(r.stdout);
  assert.equal(Number(checked?.[1]), 2, r.stdout);
  assert.match(r.stdout, /^test-fixtures\/cli\/syntax-error\.minima:15:18: /m);
  assert.equal(r.code, 1);
});

test('an unreadable file is reported clearly and exits 2', () => {
  const r = cli('check', 'test-fixtures/cli/does-not-exist.minima', 'test-fixtures/recipes/examples');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^test-fixtures\/cli\/does-not-exist\.minima: error: cannot read: no such file$/m);
  assert.match(r.stdout, /1 unreadable/);
});

test('usage errors exit 2', () => {
  assert.equal(cli('check').code, 2);
  assert.equal(cli('check', '--bogus', 'x.minima').code, 2);
  const r = cli('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('--help and --version', () => {
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /minima <command>/);
  assert.match(help.stdout, /check <files or folders…> \[--json\]/);
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
  const v = cli('--version');
  assert.equal(v.code, 0);
  // The version comes from the package.json above the compiled CLI; a build outside the
  // repository (tsc --outDir elsewhere) has none and says 'unknown'.
  const inRepo = !path.relative(process.cwd(), CLI).startsWith('..');
  assert.equal(v.stdout, `minima ${inRepo ? pkg.version : 'unknown'}\n`);
});

test('an internal error is caught once and printed without a stack trace', async () => {
  const err: string[] = [];
  const code = await main(['--version'], {
    out: () => {
      throw new Error('boom');
    },
    err: (s) => err.push(s),
    cwd: process.cwd(),
  });
  assert.equal(code, 70);
  const text = err.join('');
  assert.match(text, /^minima: internal error: boom$/m);
  if (process.env['MINIMA_DEBUG'] !== '1') assert.doesNotMatch(text, /\n\s+at /);
});

const built = fs.existsSync(path.resolve('out', 'runtime', 'cli', 'main.js'));

test('bin/minima.js runs the built CLI', { skip: built ? false : 'out/ is not built (npm run build)' }, () => {
  const r = spawnSync(process.execPath, [BIN, 'check', 'test-fixtures/recipes/examples'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok: /m);
});

const serverBuilt = fs.existsSync(path.resolve('out', 'server', 'main.js'));

test('bin/minima.js lsp --stdio answers initialize', { skip: serverBuilt ? false : 'out/server is not built (npm run build)', timeout: 20_000 }, async () => {
  const frame = (msg: object) => {
    const s = JSON.stringify(msg);
    return `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
  };
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const answered = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('"id":1')) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The stream stays open until the answer arrives: a server may exit as soon as stdin ends.
  child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  await answered;
  child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
  child.stdin.write(frame({ jsonrpc: '2.0', method: 'exit' }));
  child.stdin.end();
  await exited;
  assert.match(stdout, /"id":1,"result":\{"capabilities":/, stderr);
});

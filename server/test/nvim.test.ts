// End to end with a real non-VS Code client: headless Neovim (0.7+) starts the compiled language
// server over stdio, opens a recipe with a known error and asks for diagnostics, completion and
// hover (test-fixtures/nvim/probe.lua). Without `nvim` the test is skipped, except on CI (CI set),
// where it must run: .ci/run installs Neovim.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CATALOG } from '../../runtime/catalog';

const FIXTURE = path.resolve('test-fixtures', 'nvim', 'unknown-optimizer.minima');
const PROBE = path.resolve('test-fixtures', 'nvim', 'probe.lua');
const SERVER = path.join(__dirname, '..', 'main.js');

function hasNvim(): boolean {
  return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

const nvim = hasNvim();
const skip = nvim ? false : process.env['CI'] ? false : 'nvim is not installed (apt-get install neovim); CI runs this test';

/** The 0-based line of the first line containing `needle`, and the column of `needle` in it. */
function find(lines: readonly string[], needle: string): { line: number; character: number } {
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture lacks '${needle}'`);
  return { line, character: (lines[line] ?? '').indexOf(needle) };
}

test('neovim: diagnostics, completion and hover from the real server', { skip, timeout: 30_000 }, () => {
  assert.ok(nvim, 'CI is set but nvim is not on PATH: .ci/run must install neovim');
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n');
  const bad = find(lines, 'adamq(');
  const cosine = find(lines, 'cosine(');
  // The empty line inside `train` is where a new attribute would go.
  const schedule = find(lines, 'schedule =');
  assert.equal(lines[schedule.line + 1], '', 'the fixture needs an empty line after `schedule` inside train');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-nvim-'));
  try {
    const env = {
      ...process.env,
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      MINIMA_LSP_CMD: JSON.stringify([process.execPath, SERVER, '--stdio']),
      COMPLETION_LINE: String(schedule.line + 1),
      COMPLETION_CHAR: '0',
      HOVER_LINE: String(cosine.line),
      HOVER_CHAR: String(cosine.character + 2),
    };
    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${PROBE}`, FIXTURE], { env, encoding: 'utf8', timeout: 25_000 });
    assert.equal(r.status, 0, `nvim failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}\n${r.stdout}`);
    const messages = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { kind: string; items?: { lnum: number; code?: string; severity: number; message: string }[]; labels?: string[]; value?: string });
    const diagnostics = messages.find((m) => m.kind === 'diagnostics')?.items ?? [];
    assert.ok(
      diagnostics.some((d) => d.code === 'M012' && d.lnum === bad.line && d.severity === 1),
      `expected error M012 on line ${bad.line + 1}, got ${JSON.stringify(diagnostics)}`,
    );
    const labels = messages.find((m) => m.kind === 'completion')?.labels ?? [];
    assert.ok(labels.includes('grad_clip'), `expected 'grad_clip' among the completions inside train, got ${JSON.stringify(labels)}`);
    const hover = messages.find((m) => m.kind === 'hover')?.value ?? '';
    const summary = CATALOG.get('cosine', ['schedule'])?.summary;
    assert.ok(summary, 'the catalog has no cosine schedule');
    assert.ok(hover.includes(summary), `hover on 'cosine' lacks its summary '${summary}': ${JSON.stringify(hover)}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

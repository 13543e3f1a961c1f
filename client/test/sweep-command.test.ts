// The ▶ Sweep lens's line and the terminal `minima.sweep` opens: the extension's own CLI when it
// carries the compiled one (run by the editor's Node), else the workspace's, else `minima` on PATH.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { onPath, sweepBlockLine, sweepTerminal } from '../runs/sweep-command';

test('the sweep lens sits on the sweep block header, and only there', () => {
  const text = fs.readFileSync(path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima'), 'utf8').split('\n');
  const line = sweepBlockLine(text);
  assert.ok(line !== undefined);
  assert.match(text[line]!, /^sweep grid \{/);
  assert.equal(sweepBlockLine(['# sweep grid { is a comment', 'train {', '  epochs = 1', '}']), undefined);
  assert.equal(sweepBlockLine(['  sweep random{', '}']), 0);
  assert.equal(sweepBlockLine(['sweeping {']), undefined);
});

test('the terminal runs the extension\'s CLI, else the workspace\'s, else minima on PATH', () => {
  const have = (...paths: string[]) => (p: string) => paths.includes(p);
  const ext = path.join(path.sep, 'ext');
  const ws = path.join(path.sep, 'ws');
  const file = path.join(ws, 'r', 'grid.minima');
  const own = sweepTerminal(file, { extensionDir: ext, workspaceDir: ws, node: '/opt/code/code', nodeIsElectron: true, exists: have(path.join(ext, 'bin', 'minima.js'), path.join(ext, 'out', 'runtime', 'cli', 'main.js')) });
  assert.equal(own.shellPath, '/opt/code/code');
  assert.deepEqual(own.shellArgs, [path.join(ext, 'bin', 'minima.js'), 'sweep', 'grid.minima']);
  assert.deepEqual(own.env, { ELECTRON_RUN_AS_NODE: '1' });
  assert.equal(own.cwd, path.join(ws, 'r'));
  const local = sweepTerminal(file, { extensionDir: ext, workspaceDir: ws, node: 'node', nodeIsElectron: false, exists: have(path.join(ext, 'bin', 'minima.js'), path.join(ws, 'node_modules', '.bin', 'minima')) });
  assert.equal(local.shellPath, path.join(ws, 'node_modules', '.bin', 'minima'));
  assert.deepEqual(local.shellArgs, ['sweep', 'grid.minima']);
  const onPath = sweepTerminal(file, { extensionDir: ext, node: 'node', nodeIsElectron: false, exists: () => false });
  assert.equal(onPath.shellPath, 'minima');
  assert.equal(onPath.name, 'Minima sweep: grid.minima');
});

test('in this checkout the terminal\'s command runs the sweep', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-lens-'));
  const file = path.join(dir, 'grid.minima');
  fs.copyFileSync(path.join(process.cwd(), 'test-fixtures', 'sweep', 'digits-grid.minima'), file);
  const t = sweepTerminal(file, { extensionDir: process.cwd(), node: process.execPath, nodeIsElectron: false });
  assert.equal(t.shellPath, process.execPath);
  const r = spawnSync(t.shellPath, [...t.shellArgs, '--help'], { cwd: t.cwd, encoding: 'utf8', env: { ...process.env, ...t.env } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /usage: minima sweep <recipe.minima>/);
});

test('onPath finds a command in PATH\'s folders', () => {
  const have = (p: string) => p === path.join('/b', 'minima');
  assert.equal(onPath('minima', ['/a', '/b'].join(path.delimiter), have), true);
  assert.equal(onPath('minima', '/a', have), false);
  assert.equal(onPath('minima', '', have), false);
});

// The run store's folders: unique ids without relying on timing (several processes creating runs
// in the same second, with the same clock, each get their own folder), and a file system that
// refuses the folder is a value naming the path, never a throw.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { createRun, isEnvironmentError, type RunFolder } from '..';

const STORE = path.join(__dirname, '..', 'store.js');
const ENGINE = path.join(__dirname, '..', 'index.js');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'minima-store-'));
}

function folder(r: ReturnType<typeof createRun>): RunFolder {
  assert.ok(!isEnvironmentError(r), isEnvironmentError(r) ? r.message : '');
  return r;
}

test('runs created with the same clock in one process get distinct folders', () => {
  const root = tmp();
  const now = new Date(2024, 0, 2, 3, 4, 5);
  const ids = Array.from({ length: 5 }, () => {
    const run = folder(createRun(root, 'same', 'x', now));
    run.close();
    return run.id;
  });
  assert.deepEqual(ids, ['20240102-030405-same', '20240102-030405-same-2', '20240102-030405-same-3', '20240102-030405-same-4', '20240102-030405-same-5']);
});

test('processes racing to create runs with the same clock each get their own folder', async () => {
  const root = tmp();
  const processes = 24;
  const perProcess = 20;
  // Every child waits for the same instant, then creates its runs as fast as it can: each name is
  // wanted by all of them at once, which a check-then-mkdir store loses (EEXIST or a shared folder).
  const start = Date.now() + 1500;
  const script = `
    const { createRun } = require(${JSON.stringify(STORE)});
    const { isEnvironmentError } = require(${JSON.stringify(ENGINE)});
    while (Date.now() < ${start}) {}
    const out = [];
    for (let i = 0; i < ${perProcess}; i++) {
      try {
        const r = createRun(${JSON.stringify(root)}, 'race', 'recipe ' + process.pid, new Date(${start}));
        if (isEnvironmentError(r)) out.push('error: ' + r.message);
        else { out.push(r.id); r.close(); }
      } catch (e) { out.push('error: ' + e.message); }
    }
    process.stdout.write(JSON.stringify(out));`;
  const outputs = await Promise.all(
    Array.from({ length: processes }, () => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      return new Promise<string[]>((resolve) => child.on('close', () => resolve(JSON.parse(text || '[]') as string[])));
    }),
  );
  const ids = outputs.flat();
  assert.deepEqual(ids.filter((id) => id.startsWith('error')), []);
  assert.equal(ids.length, processes * perProcess);
  assert.equal(new Set(ids).size, ids.length, 'every run has its own id');
  assert.equal(fs.readdirSync(root).length, ids.length);
  // Each folder holds the recipe of the one process that created it.
  for (const id of ids) assert.match(fs.readFileSync(path.join(root, id, 'recipe.minima'), 'utf8'), /^recipe \d+$/);
});

test('a runs folder that is a file is an environment error naming it', () => {
  const dir = tmp();
  const file = path.join(dir, 'runs');
  fs.writeFileSync(file, 'not a folder');
  for (const root of [file, path.join(file, 'deeper')]) {
    const r = createRun(root, 'x', 'x');
    assert.ok(isEnvironmentError(r), 'expected an environment error');
    assert.ok(['EEXIST', 'ENOTDIR'].includes(r.code), r.code);
    assert.match(r.message, /^cannot create the run folder: .*runs.*: (a file is in the way where a folder should be|a part of the path is a file, not a folder) \((EEXIST|ENOTDIR)\); remove or rename that file, or choose another folder$/);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), 'not a folder');
});

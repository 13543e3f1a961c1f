// The run worker's environment: a private XDG_RUNTIME_DIR on Linux when the editor gave it none.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ensureRuntimeDir } from '../worker-env';

test('XDG_RUNTIME_DIR: made (0700) on Linux when unset or empty, left alone when set or elsewhere', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-worker-env-'));
  try {
    for (const unset of [{}, { XDG_RUNTIME_DIR: '' }]) {
      const env: NodeJS.ProcessEnv = { ...unset };
      const dir = ensureRuntimeDir(env, 'linux', tmp);
      assert.ok(dir !== undefined && dir.startsWith(tmp), String(dir));
      assert.equal(env['XDG_RUNTIME_DIR'], dir);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    }
    const set: NodeJS.ProcessEnv = { XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.equal(ensureRuntimeDir(set, 'linux', tmp), undefined);
    assert.equal(set['XDG_RUNTIME_DIR'], '/run/user/1000');
    const mac: NodeJS.ProcessEnv = {};
    assert.equal(ensureRuntimeDir(mac, 'darwin', tmp), undefined);
    assert.equal(mac['XDG_RUNTIME_DIR'], undefined);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

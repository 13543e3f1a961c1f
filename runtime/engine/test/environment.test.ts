// Environment errors: which errno codes are the file system refusing a write (a value with the
// path and what to do) and which stay bugs (undefined: the caller rethrows).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentError } from '../environment';

const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: …`), { code, ...(path !== undefined ? { path } : {}) });

const CASES: readonly (readonly [code: string, message: string])[] = [
  ['EACCES', 'cannot write the model: /w/out: permission denied (EACCES); make the folder writable or choose another one'],
  ['EPERM', 'cannot write the model: /w/out: operation not permitted (EPERM); make the folder writable or choose another one'],
  ['EROFS', 'cannot write the model: /w/out: the file system is read-only (EROFS); choose a folder on a writable disk'],
  ['ENOTDIR', 'cannot write the model: /w/out: a part of the path is a file, not a folder (ENOTDIR); remove or rename that file, or choose another folder'],
  ['EEXIST', 'cannot write the model: /w/out: a file is in the way where a folder should be (EEXIST); remove or rename that file, or choose another folder'],
  ['ENOSPC', 'cannot write the model: /w/out: the disk is full (ENOSPC); free some space or choose another disk'],
];

for (const [code, message] of CASES) {
  test(`${code} is an environment error naming the path`, () => {
    const env = environmentError(errno(code, '/w/out'), 'write the model', '/fallback');
    assert.deepEqual(env, { kind: 'environment', code, path: '/w/out', action: 'write the model', message });
  });
}

test('without a path on the error, the fallback path is named; with neither, none', () => {
  assert.equal(environmentError(errno('ENOSPC'), 'create the run folder', '/runs')?.message, 'cannot create the run folder: /runs: the disk is full (ENOSPC); free some space or choose another disk');
  assert.equal(environmentError(errno('ENOSPC'), 'write a file', '')?.message, 'cannot write a file: the disk is full (ENOSPC); free some space or choose another disk');
});

test('other errors are not environment errors', () => {
  for (const e of [new Error('boom'), errno('ERR_SOMETHING'), errno('ENOENT'), 'EACCES', undefined, null, 42]) {
    assert.equal(environmentError(e, 'write the model', '/x'), undefined, String(e));
  }
});

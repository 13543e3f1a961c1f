// Writes a file Minima produces (the exported model, the HTML report) without ever replacing a
// file that Minima did not write. A file at the target that `owned` recognizes (a model with
// producer 'minima', a report with Minima's generator tag) is replaced; anything else (another
// program's file, a folder, a link) is kept, and the data goes to `name-2.ext`, `name-3.ext`, …
// instead. New files are created exclusively, so two runs racing for one name never share it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentError, type EnvironmentError, type WriteAction } from './environment';

export interface OwnedWrite {
  /** The file written. */
  readonly path: string;
  /** The target, when a file there was not Minima's and `path` is a numbered name beside it. */
  readonly kept?: string;
}

/** How many bytes of an existing file `owned` gets to look at. */
export const OWNED_HEAD_BYTES = 4096;

const MAX_NUMBER = 99;

/** Writes `data` to `target` or, when a foreign file is there, to the first free or Minima-owned `name-K.ext`. */
export function writeOwnedFile(target: string, data: Uint8Array | string, owned: (head: Uint8Array) => boolean, action: WriteAction): OwnedWrite | EnvironmentError {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    for (let k = 1; k <= MAX_NUMBER; k++) {
      const candidate = k === 1 ? target : numbered(target, k);
      const state = inspect(candidate, owned);
      if (state === 'foreign') continue;
      const done = (): OwnedWrite => ({ path: candidate, ...(k > 1 ? { kept: target } : {}) });
      if (state === 'owned') {
        fs.writeFileSync(candidate, data);
        return done();
      }
      try {
        fs.writeFileSync(candidate, data, { flag: 'wx' });
        return done();
      } catch (e) {
        // Another process created it since `inspect` looked: look at this name again.
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') k--;
        else throw e;
      }
    }
    const last = numbered(target, MAX_NUMBER);
    return { kind: 'environment', code: 'EEXIST', path: target, action, message: `cannot ${action}: ${target} and ${path.basename(numbered(target, 2))} … ${path.basename(last)} all exist and were not written by Minima; move them or choose another name` };
  } catch (e) {
    const env = environmentError(e, action, target);
    if (env) return env;
    throw e;
  }
}

/** `out/m.onnx` → `out/m-2.onnx`. */
export function numbered(file: string, k: number): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${k}${ext}`;
}

function inspect(file: string, owned: (head: Uint8Array) => boolean): 'free' | 'owned' | 'foreign' {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'free';
    throw e;
  }
  if (!stat.isFile()) return 'foreign';
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = new Uint8Array(Math.min(OWNED_HEAD_BYTES, stat.size));
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return owned(head.subarray(0, n)) ? 'owned' : 'foreign';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // A file Minima cannot read is not one it can tell is its own.
    return 'foreign';
  }
}

// Reading the files a recipe names, with failures turned into `DataError` values.

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { dataError, type DataError } from './types';

/** The bytes of `file`, or an error naming it. */
export function readBytes(file: string): Uint8Array | DataError {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    if (code === 'ENOENT') return dataError(`file not found: ${file}`, file);
    if (code === 'EISDIR') return dataError(`expected a file but found a folder: ${file}`, file);
    return dataError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, file);
  }
}

/** `bytes` decompressed when they start with the gzip magic 1f 8b, else unchanged. */
export function gunzipIfNeeded(bytes: Uint8Array, file: string): Uint8Array | DataError {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes);
  } catch (e) {
    return dataError(`${file}: starts like gzip but cannot be decompressed (${e instanceof Error ? e.message : String(e)})`, file);
  }
}

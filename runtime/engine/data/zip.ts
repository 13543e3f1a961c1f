// The members of a ZIP archive (the container of NumPy's .npz files), read from memory.
//
// PKWARE's APPNOTE.TXT: the end-of-central-directory record (signature 0x06054b50, within the
// last 64 KiB + 22 bytes) gives the central directory; each of its headers (0x02014b50) gives a
// member's name, compression method, sizes and the offset of its local header (0x04034b50), after
// which the data starts. Sizes and offsets that do not fit 32 bits are 0xffffffff and live in the
// ZIP64 extra field (id 0x0001), and the archive's own counts in the ZIP64 end record. NumPy
// writes every member with ZIP64 headers (`force_zip64=True`), stored (np.savez) or deflated
// (np.savez_compressed); those are the two methods read here. Encrypted members are refused.

import * as zlib from 'node:zlib';
import { dataError, type DataError } from './types';

export interface ZipMember {
  readonly name: string;
  /** 0 = stored, 8 = deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeader: number;
  readonly encrypted: boolean;
}

/** The members listed in the archive's central directory, in its order. */
export function zipMembers(bytes: Uint8Array, file: string): ZipMember[] | DataError {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  if (end < 0) return dataError(`${file}: not a ZIP archive, or one cut short (it has no end-of-central-directory record); an .npz file is written by np.savez`, file);
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return dataError(`${file}: the ZIP64 end record is missing`, file);
    const end64 = safeNumber(view.getBigUint64(locator + 8, true));
    if (end64 + 56 > bytes.length || view.getUint32(end64, true) !== 0x06064b50) return dataError(`${file}: the ZIP64 end record is damaged`, file);
    count = safeNumber(view.getBigUint64(end64 + 32, true));
    offset = safeNumber(view.getBigUint64(end64 + 48, true));
  }
  const members: ZipMember[] = [];
  let at = offset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return dataError(`${file}: the ZIP central directory is damaged (entry ${k + 1} of ${count})`, file);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeader = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extra field: only the values that overflowed are present, in this order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(e, true);
      const length = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let p = e + 4;
        const next = (): number => {
          const v = p + 8 <= e + 4 + length ? safeNumber(view.getBigUint64(p, true)) : 0;
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeader === 0xffffffff) localHeader = next();
      }
      e += 4 + length;
    }
    members.push({ name, method, compressedSize, size, localHeader, encrypted: (flags & 1) !== 0 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** The uncompressed bytes of one member. */
export function zipMemberBytes(bytes: Uint8Array, member: ZipMember, file: string): Uint8Array | DataError {
  const where = `${file}: member ${member.name}`;
  if (member.encrypted) return dataError(`${where} is encrypted`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = member.localHeader;
  if (h + 30 > bytes.length || view.getUint32(h, true) !== 0x04034b50) return dataError(`${where}: its local header is damaged`, file);
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  if (start + member.compressedSize > bytes.length) return dataError(`${where} is cut short: the archive ends before its ${member.compressedSize} bytes`, file);
  const data = bytes.subarray(start, start + member.compressedSize);
  if (member.method === 0) return data;
  if (member.method !== 8) return dataError(`${where} uses ZIP compression method ${member.method}; only stored (np.savez) and deflated (np.savez_compressed) members are read`, file);
  try {
    const out = zlib.inflateRawSync(data);
    if (out.length !== member.size) return dataError(`${where} inflates to ${out.length} bytes, not the ${member.size} its header says`, file);
    return out;
  } catch (e) {
    return dataError(`${where} cannot be decompressed (${e instanceof Error ? e.message : String(e)})`, file);
  }
}

/** Offset of the end-of-central-directory record, searched from the end; −1 when absent. */
function findEnd(view: DataView): number {
  const last = view.byteLength - 22;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) if (view.getUint32(at, true) === 0x06054b50) return at;
  return -1;
}

function safeNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

// NumPy's `.npy` format (numpy.lib.format, versions 1.0, 2.0 and 3.0), read into memory.
//
// A file is the magic \x93NUMPY, a major and a minor version byte, the header length (a
// little-endian uint16 in version 1, uint32 in versions 2 and 3), then the header: a Python dict
// literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 3, 32, 32), } padded
// with spaces to a newline, then the elements, C order unless `fortran_order` is True.
// Read here: booleans, signed and unsigned integers of 1–8 bytes and float32/float64, in either
// byte order. Not read (each a clear error): Fortran order, structured and object (pickled)
// arrays, float16, complex numbers, strings, dates.

import { dataError, type DataError } from './types';

export interface NpyArray {
  /** The dtype in NumPy's words: `float32`, `uint8`, `int64`, … */
  readonly dtype: string;
  readonly kind: 'bool' | 'int' | 'uint' | 'float';
  readonly shape: readonly number[];
  /** Number of elements: the product of `shape` (1 for a 0-d array). */
  readonly size: number;
  /** Element i in C order, as a number (int64 values beyond 2^53 are rounded). */
  at(i: number): number;
  /** Every element as float32, each multiplied by `scale`. */
  toFloat32(scale?: number): Float32Array;
}

/** `bytes` parsed as a .npy file; `file` (and, inside an .npz, `member`) name it in errors. */
export function readNpy(bytes: Uint8Array, file: string): NpyArray | DataError {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    return dataError(`${file}: not a NumPy .npy file (it does not start with \\x93NUMPY)`, file);
  }
  const major = bytes[6] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) return dataError(`${file}: .npy format version ${major}.${bytes[7] ?? 0} is not read; versions 1.0 to 3.0 are`, file);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) return dataError(`${file}: the .npy header is cut short`, file);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (bytes.length < dataStart) return dataError(`${file}: the .npy header is cut short (${bytes.length} bytes, the header ends at ${dataStart})`, file);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const parsed = parseHeader(header, file);
  if ('message' in parsed) return parsed;
  const { descr, fortran, shape } = parsed;
  const type = dtypeOf(descr, file);
  if ('message' in type) return type;
  if (fortran && shape.length > 1) {
    return dataError(`${file}: the array is stored in Fortran order; save it in C order (np.save(f, np.ascontiguousarray(a)))`, file);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const expected = size * type.itemSize;
  const found = bytes.length - dataStart;
  if (found < expected) {
    return dataError(`${file}: the header promises shape (${shape.join(', ')}) of ${type.name} = ${expected} bytes of data but the file has ${found}`, file);
  }
  return makeArray(type, shape, size, new DataView(bytes.buffer, bytes.byteOffset + dataStart, expected));
}

/** Shape as NumPy prints it: `(5, 3)`, `(5,)`, `()`. */
export function showNpyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Element index i of an array of this shape as NumPy's multi-index: `[3, 0, 2]`. */
export function multiIndex(i: number, shape: readonly number[]): string {
  const out: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] ?? 1;
    out.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return `[${out.join(', ')}]`;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

interface Header {
  readonly descr: string;
  readonly fortran: boolean;
  readonly shape: readonly number[];
}

interface DType {
  readonly name: string;
  readonly kind: NpyArray['kind'];
  readonly itemSize: number;
  readonly little: boolean;
}

function parseHeader(header: string, file: string): Header | DataError {
  const bad = (what: string): DataError => dataError(`${file}: the .npy header ${what}: ${JSON.stringify(header.trim())}`, file);
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(header);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(header)) return dataError(`${file}: structured arrays (several named fields per element) are not read; save one plain array each for features and labels`, file);
    return bad('has no descr');
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  if (!fortran) return bad('has no fortran_order');
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shape) return bad('has no shape');
  const dims = (shape[1] ?? '').split(',').map((s) => s.trim().replace(/L$/, '')).filter((s) => s !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) return bad('has a shape that is not a tuple of sizes');
  return { descr: descr[2] ?? '', fortran: fortran[1] === 'True', shape: dims.map(Number) };
}

const KINDS: Readonly<Record<string, NpyArray['kind']>> = { b: 'bool', i: 'int', u: 'uint', f: 'float' };

function dtypeOf(descr: string, file: string): DType | DataError {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const order = m?.[1] ?? '';
  const code = m?.[2] ?? '';
  const itemSize = Number(m?.[3] ?? 0);
  const kind = KINDS[code];
  const name = kind === 'bool' ? 'bool' : kind === 'float' ? `float${itemSize * 8}` : kind ? `${kind}${itemSize * 8}` : descr;
  const readable = kind === 'bool' ? itemSize === 1 : kind === 'float' ? itemSize === 4 || itemSize === 8 : kind ? [1, 2, 4, 8].includes(itemSize) : false;
  if (!m || !kind || !readable) {
    const what = code === 'O' ? 'Python objects (a pickle), which Minima never loads' : code === 'f' && itemSize === 2 ? 'float16' : code === 'c' ? 'complex numbers' : code === 'U' || code === 'S' ? 'strings' : code === 'M' || code === 'm' ? 'dates or times' : `dtype ${descr}`;
    return dataError(`${file}: the array holds ${what}; Minima reads booleans, integers and float32/float64 (convert with a.astype(np.float32))`, file);
  }
  return { name, kind, itemSize, little: order !== '>' };
}

function makeArray(type: DType, shape: readonly number[], size: number, view: DataView): NpyArray {
  const { itemSize, little } = type;
  const read = reader(type, view);
  return {
    dtype: type.name,
    kind: type.kind,
    shape,
    size,
    at: read,
    toFloat32: (scale = 1) => {
      const out = new Float32Array(size);
      // NOTE: the common cases get a typed-array copy instead of a DataView read per element.
      if (type.kind === 'float' && itemSize === 4 && little && scale === 1) {
        new Uint8Array(out.buffer).set(new Uint8Array(view.buffer, view.byteOffset, size * 4));
      } else if (itemSize === 1 && type.kind !== 'int') {
        const bytes = new Uint8Array(view.buffer, view.byteOffset, size);
        for (let i = 0; i < size; i++) out[i] = (bytes[i] ?? 0) * scale;
      } else {
        for (let i = 0; i < size; i++) out[i] = read(i) * scale;
      }
      return out;
    },
  };
}

function reader(type: DType, v: DataView): (i: number) => number {
  const le = type.little;
  switch (`${type.kind}${type.itemSize}`) {
    case 'bool1':
      return (i) => (v.getUint8(i) === 0 ? 0 : 1);
    case 'uint1':
      return (i) => v.getUint8(i);
    case 'int1':
      return (i) => v.getInt8(i);
    case 'uint2':
      return (i) => v.getUint16(2 * i, le);
    case 'int2':
      return (i) => v.getInt16(2 * i, le);
    case 'uint4':
      return (i) => v.getUint32(4 * i, le);
    case 'int4':
      return (i) => v.getInt32(4 * i, le);
    case 'uint8':
      return (i) => Number(v.getBigUint64(8 * i, le));
    case 'int8':
      return (i) => Number(v.getBigInt64(8 * i, le));
    case 'float4':
      return (i) => v.getFloat32(4 * i, le);
    default:
      return (i) => v.getFloat64(8 * i, le);
  }
}
